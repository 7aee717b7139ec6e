// Independent parsers as oracles for the legacy XML and CSV bodies (issue 14, item 5): what a real
// consumer would run on them. fast-xml-parser says whether an XML body is well-formed and reads
// its tree; papaparse, in plain RFC 4180 mode, reads a CSV body. Each is then held against its
// JSON twin (the same request answered in JSON), as the legacy's render_xml and render_csv
// (../shared/legacy/oracle/lib/format.php) shape it.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Papa from 'papaparse';

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => value !== null && typeof value === 'object';
const entriesOf = (value: Container): [string, unknown][] =>
  Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);

/**
 * Is `text` PHP's (string) of a JSON value? A nested array is `Array` (CSV only; XML nests it),
 * false is '' for CSV and '0' for XML (render_xml casts booleans to int first).
 */
function holds(text: string, value: unknown, falseAs: '' | '0'): boolean {
  if (value === null || value === undefined) return text === '';
  if (typeof value === 'boolean') return text === (value ? '1' : falseAs);
  if (typeof value === 'string') return text === value;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return text === String(value);
    // (string) of a float uses PHP's `precision` (14 significant digits), JSON the shortest form.
    return Number(text) === Number(value.toPrecision(14));
  }
  return text === 'Array';
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

/** Why an XML body is not well-formed, or undefined when it is. */
export function xmlMalformation(text: string): string | undefined {
  const result = XMLValidator.validate(text);
  if (result === true) return undefined;
  return `XML not well-formed (${result.err.code} at ${result.err.line}:${result.err.col}): ${result.err.msg}`;
}

// Element order kept, text as written (no trimming, no number parsing), character references
// decoded (htmlspecialchars writes `'` as &#039;).
const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

type XmlNode = Record<string, XmlNode[] | string>;

/**
 * How a well-formed XML body differs from render_xml of its JSON twin: under `<xml>`, one element
 * per member or list item, in order, named after the member (list items' names, from CI's
 * singular(), are not checked); a scalar's text is its (string) value. Text holding `&` is not
 * compared: render_xml html_entity_decode()s it first.
 */
export function xmlTwinMismatches(text: string, twin: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const compare = (nodes: XmlNode[], value: unknown, path: string) => {
    if (problems.length >= 3) return;
    const elements = nodes.filter((node) => !('#text' in node));
    const own = nodes.map((node) => node['#text'] ?? '').join('');
    if (!isContainer(value)) {
      if (elements.length)
        problems.push(`${path}: elements where the JSON twin has ${JSON.stringify(value)}`);
      else if (!String(value).includes('&') && !holds(own as string, value, '0'))
        problems.push(`${path}: ${JSON.stringify(own).slice(0, 60)} ≠ ${JSON.stringify(value)}`);
      return;
    }
    const entries = entriesOf(value);
    if (elements.length !== entries.length) {
      problems.push(`${path}: ${elements.length} elements, the JSON twin ${entries.length}`);
      return;
    }
    entries.forEach(([key, member], i) => {
      const element = elements[i]!;
      const name = Object.keys(element).find((k) => k !== ':@')!;
      const expected = /^\d+$/.test(key) ? name : key.replace(/[^a-z_\-0-9]/gi, '');
      if (name !== expected) problems.push(`${path}: element <${name}>, the JSON twin ${key}`);
      else compare(element[name] as XmlNode[], member, `${path}/${name}`);
    });
  };
  const root = (xmlParser.parse(text) as XmlNode[]).find((node) => 'xml' in node);
  if (!root) return ['XML without its <xml> root'];
  compare(root.xml as XmlNode[], twin, 'xml');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** The records papaparse reads from a CSV body (already decoded from UTF-16LE), and what is wrong. */
export function csvRecords(text: string): { records: string[][]; problems: string[] } {
  // fputcsv ends every line with LF; RFC 4180 reads a final line break as the end of the last
  // record, papaparse as one more empty record, so it is taken off here.
  if (!text.endsWith('\n')) return { records: [], problems: ['CSV body does not end with a line break'] };
  const parsed = Papa.parse<string[]>(text.slice(0, -1), {
    delimiter: ',',
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    // The legacy writes an empty line for a record without fields (an empty list: see csvShapeOf).
    skipEmptyLines: false,
  });
  const problems = parsed.errors
    .slice(0, 3)
    .map((e) => `CSV does not parse (${e.code}, record ${e.row ?? '?'}): ${e.message}`);
  const records = parsed.data;
  const width = records[0]?.length ?? 0;
  const ragged = records.findIndex((record) => record.length !== width);
  if (ragged >= 0)
    problems.push(`CSV record ${ragged} has ${records[ragged]!.length} fields, the heading ${width}`);
  return { records, problems };
}

/** The heading and the records of the CSV the legacy rendered for a JSON body. */
export interface CsvShape {
  heading: string[];
  records: unknown[][];
}

/**
 * render_csv of the body's `data` (the whole body when it has none, as `/credentialscheck`): a
 * list with a non-empty nested array is a heading (the first record's keys) and one record per
 * element, up to the first that is not an array; anything else is one record, its keys as the
 * heading. So an empty list is an empty heading and one empty record: two empty lines.
 */
export function csvShapeOf(body: Record<string, unknown>): CsvShape {
  const source = 'data' in body ? body.data : body;
  const data: Container =
    source === null || source === undefined ? [] : isContainer(source) ? source : [source];
  const values = (v: Container) => entriesOf(v).map(([, item]) => item);
  const keys = (v: Container) => entriesOf(v).map(([key]) => key);
  const nested = values(data).some((item) => isContainer(item) && values(item).length > 0);
  if (Array.isArray(data) && data.length > 0 && data[0] !== null && nested) {
    const end = data.findIndex((item) => !isContainer(item));
    const records = (end < 0 ? data : data.slice(0, end)) as Container[];
    return { heading: keys(data[0] as Container), records: records.map(values) };
  }
  return { heading: keys(data), records: [values(data)] };
}

/** How the records papaparse read differ from the CSV render_csv gives the JSON twin. */
export function csvTwinMismatches(records: string[][], twin: Record<string, unknown>): string[] {
  const shape = csvShapeOf(twin);
  // A line without fields reads as one empty field in RFC 4180.
  const width = (fields: unknown[]) => Math.max(fields.length, 1);
  const problems: string[] = [];
  const [heading = [], ...rest] = records;
  const expected = shape.heading.length ? shape.heading : [''];
  if (JSON.stringify(heading) !== JSON.stringify(expected))
    problems.push(
      `CSV heading ${JSON.stringify(heading).slice(0, 120)} ≠ the JSON twin's fields ${JSON.stringify(shape.heading).slice(0, 120)}`,
    );
  if (rest.length !== shape.records.length)
    problems.push(`CSV has ${rest.length} records, its JSON twin ${shape.records.length}`);
  const fields: string[] = [];
  rest.forEach((record, r) => {
    const values = shape.records[r];
    if (!values) return;
    if (record.length !== width(values))
      fields.push(`record ${r}: ${record.length} fields, the JSON twin ${values.length}`);
    else
      values.forEach((value, c) => {
        if (!holds(record[c]!, value, ''))
          fields.push(
            `record ${r} field ${c}: ${JSON.stringify(record[c]).slice(0, 60)} ≠ ${JSON.stringify(value)}`,
          );
      });
  });
  if (fields.length) problems.push(`CSV fields differ from the JSON twin: ${fields.slice(0, 3).join('; ')}`);
  return problems;
}
