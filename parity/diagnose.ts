// Field-level diagnosis of two success bodies that differ on bytes: which field differs, to read
// beside the byte offset. It never decides whether there is a difference (byte-compare.ts does).
// Leaves keep their bytes as written (`12.0`, `"a\/b"`, `9007199254740993`, a CSV cell with its
// quotes) and objects their member order, so the spellings JSON.parse would erase still show.
import type { Observed } from './compare.ts';

export interface FieldDifference {
  /** `$.data[3].ctr`, `xml.data.item[3].ctr`, `csv.rows[3].ctr`, `line 4`; `… (member order)`. */
  path: string;
  primary: string;
  candidate: string;
}

type Tree =
  | { kind: 'leaf'; raw: string }
  | { kind: 'object'; members: Array<[string, Tree]> }
  | { kind: 'list'; items: Tree[] };

const ABSENT = '(absent)';
/** Enough to read; a shifted list in a large body would otherwise list every row. */
const MAX_DIFFERENCES = 1000;

function render(tree: Tree | undefined): string {
  if (!tree) return ABSENT;
  if (tree.kind === 'leaf') return tree.raw;
  return tree.kind === 'list' ? `[${tree.items.length} item(s)]` : `{${tree.members.length} member(s)}`;
}

/** Both trees side by side; a repeated member name (an XML list) is indexed when either side repeats it. */
function diffTrees(a: Tree | undefined, b: Tree | undefined, path: string, out: FieldDifference[]): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (a?.kind === 'list' && b?.kind === 'list') {
    const n = Math.max(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) diffTrees(a.items[i], b.items[i], `${path}[${i}]`, out);
    return;
  }
  if (a?.kind === 'object' && b?.kind === 'object') {
    const order = (t: typeof a) => t.members.map(([name]) => name).join(',');
    if (order(a) !== order(b))
      out.push({ path: `${path} (member order)`, primary: order(a), candidate: order(b) });
    const names = [...new Set([...a.members, ...b.members].map(([name]) => name))];
    for (const name of names) {
      const as = a.members.filter(([n]) => n === name).map(([, t]) => t);
      const bs = b.members.filter(([n]) => n === name).map(([, t]) => t);
      const n = Math.max(as.length, bs.length);
      const at = path ? `${path}.${name}` : name;
      for (let i = 0; i < n; i++) diffTrees(as[i], bs[i], n > 1 ? `${at}[${i}]` : at, out);
    }
    return;
  }
  if (a?.kind === 'leaf' && b?.kind === 'leaf' && a.raw === b.raw) return;
  out.push({ path, primary: render(a), candidate: render(b) });
}

/** JSON with every leaf's bytes as written; throws on anything that is not one JSON document. */
export function parseJsonRaw(text: string): Tree {
  const token = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)|([{}[\]:,]))/y;
  let at = 0;
  const next = (): { string?: string; scalar?: string; punct?: string } => {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) throw new Error(`not JSON at ${at}`);
    at = token.lastIndex;
    return { string: m[1], scalar: m[2], punct: m[3] };
  };
  const value = (t = next()): Tree => {
    if (t.string !== undefined) return { kind: 'leaf', raw: t.string };
    if (t.scalar !== undefined) return { kind: 'leaf', raw: t.scalar };
    if (t.punct === '[') {
      const items: Tree[] = [];
      let u = next();
      if (u.punct === ']') return { kind: 'list', items };
      for (;;) {
        items.push(value(u));
        u = next();
        if (u.punct === ']') return { kind: 'list', items };
        if (u.punct !== ',') throw new Error(`expected , or ] at ${at}`);
        u = next();
      }
    }
    if (t.punct === '{') {
      const members: Array<[string, Tree]> = [];
      let u = next();
      if (u.punct === '}') return { kind: 'object', members };
      for (;;) {
        if (u.string === undefined) throw new Error(`expected a member name at ${at}`);
        const name = JSON.parse(u.string) as string;
        if (next().punct !== ':') throw new Error(`expected : at ${at}`);
        members.push([name, value()]);
        u = next();
        if (u.punct === '}') return { kind: 'object', members };
        if (u.punct !== ',') throw new Error(`expected , or } at ${at}`);
        u = next();
      }
    }
    throw new Error(`unexpected ${t.punct} at ${at}`);
  };
  const root = value();
  if (text.slice(at).trim() !== '') throw new Error(`trailing bytes at ${at}`);
  return root;
}

/**
 * The legacy XML (CONTRACT.md §3.4: elements and text only, no attributes): an element with
 * children is an object of its children in order, any other its text as written. The
 * declaration and what follows the root are leaves too.
 */
export function parseXmlRaw(text: string): Tree {
  const tag = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>/y;
  const decl = /^(<\?xml[^?]*\?>)\s*/.exec(text);
  let at = decl ? decl[0].length : 0;
  const element = (): [string, Tree] => {
    tag.lastIndex = at;
    const open = tag.exec(text);
    if (!open || open[1]) throw new Error(`expected an element at ${at}`);
    at = tag.lastIndex;
    const name = open[2]!;
    if (open[3]) return [name, { kind: 'leaf', raw: '' }];
    const members: Array<[string, Tree]> = [];
    let textStart = at;
    for (;;) {
      const lt = text.indexOf('<', at);
      if (lt === -1) throw new Error(`unclosed <${name}>`);
      if (text.startsWith('</', lt)) {
        tag.lastIndex = lt;
        const close = tag.exec(text);
        if (!close || close[2] !== name) throw new Error(`expected </${name}> at ${lt}`);
        at = tag.lastIndex;
        return [
          name,
          members.length ? { kind: 'object', members } : { kind: 'leaf', raw: text.slice(textStart, lt) },
        ];
      }
      at = lt;
      members.push(element());
      textStart = at;
    }
  };
  const root = element();
  return {
    kind: 'object',
    members: [
      ['<?xml?>', { kind: 'leaf', raw: decl?.[1] ?? '' }],
      root,
      ['(after)', { kind: 'leaf', raw: text.slice(at) }],
    ],
  };
}

/** PHP fputcsv output: records split on LF outside quotes, cells on commas, kept as written. */
export function parseCsvRaw(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let escaped = false;
  for (const ch of text) {
    // fputcsv's escape character: a quote right after a backslash is written as is, not doubled.
    if (ch === '"' && !escaped) quoted = !quoted;
    escaped = quoted && ch === '\\';
    if (!quoted && ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (!quoted && ch === '\n') {
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || cells.length) records.push([...cells, cell]);
  return records;
}

/** Records as objects named by each side's own heading line (the first record). */
function csvTree(text: string): Tree {
  const [heading = [], ...rows] = parseCsvRaw(text);
  return {
    kind: 'object',
    members: [
      ['heading', { kind: 'leaf', raw: heading.join(',') }],
      [
        'rows',
        {
          kind: 'list',
          items: rows.map((cells) => ({
            kind: 'object',
            members: cells.map((raw, i): [string, Tree] => [heading[i] ?? `#${i}`, { kind: 'leaf', raw }]),
          })),
        },
      ],
    ],
  };
}

/** The first line that differs: the fallback for bodies that do not parse. */
function firstDifferingLine(a: string, b: string): FieldDifference[] {
  const as = a.split('\n');
  const bs = b.split('\n');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    if (as[i] !== bs[i])
      return [{ path: `line ${i + 1}`, primary: as[i] ?? ABSENT, candidate: bs[i] ?? ABSENT }];
  }
  return [];
}

/** JSONP `callback(<json>);` split into its callback and its JSON. */
function unwrapJsonp(text: string): { callback: string; json: string } {
  const m = /^([A-Za-z_$][\w$.]*)\(([\s\S]*)\);?$/.exec(text);
  return m ? { callback: m[1]!, json: m[2]! } : { callback: '', json: text };
}

/** The fields in which two success bodies differ, by the primary's Content-Type. */
export function diagnose(primary: Observed, candidate: Observed): FieldDifference[] {
  const type = primary.contentType ?? '';
  const csv = type.startsWith('application/csv');
  const decoder = new TextDecoder(csv ? 'utf-16le' : 'utf-8');
  const a = decoder.decode(primary.body);
  const b = decoder.decode(candidate.body);
  const out: FieldDifference[] = [];
  try {
    if (csv) diffTrees(csvTree(a), csvTree(b), 'csv', out);
    else if (type.includes('xml')) diffTrees(parseXmlRaw(a), parseXmlRaw(b), '', out);
    else if (type.includes('json') || type.includes('javascript')) {
      const [pa, pb] = [unwrapJsonp(a), unwrapJsonp(b)];
      if (pa.callback !== pb.callback)
        out.push({ path: 'callback', primary: pa.callback, candidate: pb.callback });
      diffTrees(parseJsonRaw(pa.json), parseJsonRaw(pb.json), '$', out);
    }
  } catch {
    // One side does not parse as its format: say where the text first differs instead.
    return firstDifferingLine(a, b);
  }
  // Nothing differs field by field (whitespace between tokens, a format not parsed): the line.
  return out.length ? out : firstDifferingLine(a, b);
}

/** An exact path folded for grouping: list and repeated-element indexes removed. */
export const groupedPath = (path: string) => path.replace(/\[\d+\]/g, '[]');
