// The token readers of PCRE2 10.42's pattern parser (pcre2_compile.c: read_repeat_counts,
// read_number, read_name, get_ucp, check_posix_syntax; check_escape is lex-escape.ts), over a
// cursor into the pattern's bytes. They build no tree: parse.ts and its parts do.
import { type ByteSet, PcreSyntaxError } from './ast';
import { C_LETTER, CTYPES, complement, isDigit, isWordByte, propertyTable } from './tables';

export const MAX_REPEAT_COUNT = 65535;
export const MAX_GROUP_NUMBER = 65535;
const MAX_NAME_SIZE = 32;

/** Where the parser is in the pattern, and how many capture groups it has opened so far. */
export class PatternCursor {
  i = 0;
  /** Capture groups opened so far: check_escape reads `\8` as a back reference only below it. */
  bracount = 0;

  constructor(readonly p: Uint8Array) {}

  /** Fails the compile with PCRE2's error number, at the offset PCRE2 reports. */
  fail(code: number, offset = this.i): never {
    throw new PcreSyntaxError(code, offset);
  }
}

// read_repeat_counts: `{n}`, `{n,}`, `{n,m}` (10.42: no `{,m}`, no spaces); null when not one.
export function readRepeatCounts(
  s: PatternCursor,
  from: number,
): { min: number; max: number; next: number } | null {
  const p = s.p;
  let q = from;
  let hadComma = false;
  for (; ; q++) {
    if (q >= p.length) return null;
    const c = p[q]!;
    if (isDigit(c)) continue;
    if (c === 125) break;
    if (c === 44) {
      if (hadComma) return null;
      hadComma = true;
    } else return null;
  }
  q = from;
  const readNum = (): number => {
    if (!isDigit(p[q])) return Number.NaN;
    let n = 0;
    while (q < p.length && isDigit(p[q])) {
      n = n * 10 + p[q++]! - 48;
      if (n > MAX_REPEAT_COUNT) s.fail(5, q);
    }
    return n;
  };
  const min = readNum();
  if (Number.isNaN(min)) return null; // `{,…}`: read_number finds no number, not a quantifier
  let max: number;
  if (p[q] === 125) {
    q++;
    max = min;
  } else {
    q++;
    if (p[q] !== 125) {
      max = readNum();
      if (max < min) s.fail(4, q);
    } else max = -1;
    q++;
  }
  return { min, max, next: q };
}

// read_number: digits, optionally signed (relative to `allowSign` when it is >= 0).
export function readNumber(
  s: PatternCursor,
  allowSign: number,
  maxValue: number,
  maxError: number,
): number | null {
  const p = s.p;
  let sign = 0;
  let q = s.i;
  if (allowSign >= 0 && q < p.length) {
    if (p[q] === 43) {
      sign = 1;
      maxValue -= allowSign;
      q++;
    } else if (p[q] === 45) {
      sign = -1;
      q++;
    }
  }
  if (q >= p.length || !isDigit(p[q])) return null;
  let n = 0;
  while (q < p.length && isDigit(p[q])) {
    n = n * 10 + p[q++]! - 48;
    if (n > maxValue) {
      s.i = q;
      s.fail(maxError);
    }
  }
  if (allowSign >= 0 && sign !== 0) {
    if (n === 0) {
      s.i = q;
      s.fail(26);
    }
    if (sign > 0) n += allowSign;
    else if (n > allowSign) {
      s.i = q;
      s.fail(15);
    } else n = allowSign + 1 - n;
  }
  s.i = q;
  return n;
}

// read_name: a group name (word characters, not starting with a digit) and its terminator, or
// (from a `*`) a verb or alpha assertion name.
export function readName(s: PatternCursor, terminator: number, isGroup: boolean): string {
  const p = s.p;
  if (++s.i >= p.length) s.fail(isGroup ? 62 : 60);
  const start = s.i;
  if (isGroup && isDigit(p[s.i])) s.fail(44);
  while (s.i < p.length && isWordByte(p[s.i]!)) s.i++;
  if (s.i - start > MAX_NAME_SIZE) s.fail(48);
  const name = String.fromCharCode(...p.subarray(start, s.i));
  if (isGroup) {
    if (name === '') s.fail(62);
    if (s.i >= p.length || p[s.i] !== terminator) s.fail(42);
    s.i++;
  }
  return name;
}

// get_ucp: \p / \P's name, as a set of bytes (already negated for \P and `^`).
export function unicodeProperty(s: PatternCursor, negatedEscape: boolean): ByteSet {
  const p = s.p;
  const end = p.length;
  if (s.i >= end) s.fail(46);
  let c = p[s.i++]!;
  let negated = false;
  let name = '';
  const isspace = (x: number) => (x >= 9 && x <= 13) || x === 32;
  if (c === 123) {
    if (s.i >= end) s.fail(46);
    if (p[s.i] === 94) {
      negated = true;
      s.i++;
    }
    let closed = false;
    for (let n = 0; n < 49; n++) {
      if (s.i >= end) s.fail(46);
      c = p[s.i++]!;
      while (c === 95 || c === 45 || isspace(c)) {
        if (s.i >= end) s.fail(46);
        c = p[s.i++]!;
      }
      if (c === 0) s.fail(46);
      if (c === 125) {
        closed = true;
        break;
      }
      name += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    }
    if (!closed) s.fail(46);
  } else if (CTYPES[c]! & C_LETTER) {
    name = String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  } else s.fail(46);

  const table = propertyTable();
  let entry: { set: ByteSet; script: boolean } | undefined;
  const sep = name.search(/[:=]/);
  if (sep >= 0) {
    const prefix = name.slice(0, sep);
    const value = name.slice(sep + 1);
    if (prefix === 'bidiclass' || prefix === 'bc') entry = table.get(`bidi${value}`);
    else if (prefix === 'script' || prefix === 'sc' || prefix === 'scriptextensions' || prefix === 'scx') {
      entry = table.get(value);
      if (entry && !entry.script) entry = undefined;
    }
  } else entry = table.get(name);
  if (!entry) s.fail(47);
  return negated !== negatedEscape ? complement(entry.set) : entry.set;
}

// check_posix_syntax: `[:…:]` (or `.`/`=`) ahead, from the character after `[`.
export function posixSyntaxEnd(s: PatternCursor, from: number): number {
  const p = s.p;
  const terminator = p[from]!;
  for (let q = from + 1; p.length - q >= 2; q++) {
    if (p[q] === 92 && (p[q + 1] === 93 || p[q + 1] === 92)) q++;
    else if ((p[q] === 91 && p[q + 1] === terminator) || p[q] === 93) return -1;
    else if (p[q] === terminator && p[q + 1] === 93) return q;
  }
  return -1;
}
