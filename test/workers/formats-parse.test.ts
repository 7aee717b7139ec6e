// The S1 capture read by independent parsers (issue 14, item 5): every XML fixture well-formed for
// fast-xml-parser, every CSV fixture read by papaparse (RFC 4180) into a rectangle, each shaped as
// render_xml / render_csv shape the captured JSON answer to the same request where there is one.
import { describe, expect, it } from 'vitest';
import { type FixtureCase, fixtureBytes, fixtureText, manifest } from '../support/fixtures';
import { csvRecords, csvTwinMismatches, xmlMalformation, xmlTwinMismatches } from '../support/format-oracles';

const bodies = (extension: string) =>
  manifest.cases.filter((c): c is FixtureCase & { body: string } => !!c.body?.endsWith(extension));

/** A case's request less what picks the format (extension, `format`, Accept) and `callback`. */
function request(c: FixtureCase): string {
  const query = Object.entries(c.query)
    .filter(([name]) => name !== 'format' && name !== 'callback')
    .sort(([a], [b]) => a.localeCompare(b));
  const headers = Object.entries(c.headers).filter(([name]) => name.toLowerCase() !== 'accept');
  const path = c.path.replace(/\.(json|xml|csv)$/, '');
  return JSON.stringify([c.method, path, query, c.key, headers, c.clock]);
}

/** The captured JSON answers by request (without a callback: JSONP is not the twin). */
const jsonTwins = new Map(
  bodies('.json')
    .filter((c) => c.status === 200 && c.query.callback === undefined)
    .map((c) => [request(c), c] as const),
);

describe('S1 fixtures read by independent parsers', () => {
  it('every XML body is well-formed (fast-xml-parser) with the tree of its JSON twin', () => {
    const xml = bodies('.xml');
    expect(xml.length).toBeGreaterThan(30);
    let twinned = 0;
    const problems = xml.flatMap((c) => {
      const text = fixtureText(c.body);
      const malformed = xmlMalformation(text);
      if (malformed) return [`${c.id}: ${malformed}`];
      const twin = jsonTwins.get(request(c));
      if (!twin) return [];
      twinned += 1;
      return xmlTwinMismatches(text, JSON.parse(fixtureText(twin.body!))).map((p) => `${c.id}: ${p}`);
    });
    expect(problems).toEqual([]);
    // 31 of the 35 XML cases have a JSON case of the same request.
    expect(twinned).toBeGreaterThanOrEqual(31);
  });

  it('every CSV body parses (papaparse, RFC 4180) to the shape of its JSON twin', () => {
    const csv = bodies('.csv');
    expect(csv.length).toBeGreaterThan(20);
    let twinned = 0;
    const problems = csv.flatMap((c) => {
      const text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(fixtureBytes(c.body));
      const { records, problems } = csvRecords(text);
      const twin = jsonTwins.get(request(c));
      if (twin && !problems.length) {
        twinned += 1;
        problems.push(...csvTwinMismatches(records, JSON.parse(fixtureText(twin.body!))));
      }
      return problems.map((p) => `${c.id}: ${p}`);
    });
    expect(problems).toEqual([]);
    // 25 of the 28 CSV cases have a JSON case of the same request, the two empty lists among them.
    expect(twinned).toBeGreaterThanOrEqual(25);
  });

  // The oracles themselves: each check fails on a body broken the way a renderer could break it.
  it('the parsers refuse broken copies of the fixtures', () => {
    const xml = fixtureText('advertisers-xml.xml');
    expect(xmlMalformation(xml)).toBeUndefined();
    expect(xmlMalformation(xml.slice(0, -8))).toMatch(/not well-formed/);
    expect(xmlMalformation(xml.replace('&amp;', '&'))).toMatch(/not well-formed/);
    const xmlTwin = JSON.parse(fixtureText('advertisers-default.json')) as { data: unknown[] };
    expect(xmlTwinMismatches(xml, xmlTwin)).toEqual([]);
    expect(xmlTwinMismatches(xml.replace(/<item>.*?<\/item>/, ''), xmlTwin).join()).toMatch(/15 elements/);
    expect(
      xmlTwinMismatches(xml.replace('<name>', '<title>').replace('</name>', '</title>'), xmlTwin),
    ).toEqual(['xml/data/item: element <title>, the JSON twin name']);
    expect(xmlTwinMismatches(xml.replace('AC/DC', 'AC-DC'), xmlTwin).join()).toMatch(/AC-DC/);

    const csv = new TextDecoder('utf-16le').decode(fixtureBytes('advertisers-csv.csv'));
    const twin = JSON.parse(fixtureText('advertisers-default.json')) as { data: unknown[] };
    expect(csvRecords(csv).problems).toEqual([]);
    const records = csvRecords(csv).records;
    expect(csvTwinMismatches(records, twin)).toEqual([]);
    // An extra comma, a quote left open, a missing final line break.
    expect(csvRecords(csv.replace('\n16,', '\n16,,')).problems.join()).toMatch(/3 fields, the heading 2/);
    expect(csvRecords(csv.replace('"AC/DC Tours"', '"AC/DC Tours')).problems.join()).toMatch(
      /does not parse/,
    );
    expect(csvRecords(csv.slice(0, -1)).problems).toEqual(['CSV body does not end with a line break']);
    // A record lost, a heading renamed, a field changed: each differs from the JSON twin.
    expect(csvTwinMismatches(records.slice(0, -1), twin).join()).toMatch(/15 records, its JSON twin 16/);
    expect(csvTwinMismatches([['id', 'title'], ...records.slice(1)], twin).join()).toMatch(/heading/);
    const changed = csvRecords(csv.replace('AC/DC', 'AC-DC')).records;
    expect(csvTwinMismatches(changed, twin).join()).toMatch(/record 1 field 1/);
    // An empty list is two empty lines (an empty heading, one empty record), nothing else.
    expect(csvTwinMismatches(csvRecords('\n\n').records, { data: [] })).toEqual([]);
    expect(csvTwinMismatches(csvRecords('\n').records, { data: [] }).join()).toMatch(
      /0 records, its JSON twin 1/,
    );
  });
});
