import { describe, expect, it } from 'vitest';
import { byteDifferences, judgeCase } from '../../parity/byte-compare.ts';
import type { Observed } from '../../parity/compare.ts';
import { diagnose } from '../../parity/diagnose.ts';
import type { CaptureCase, CaptureManifest } from '../../parity/manifest.ts';
import { caseResult, formatReport } from '../../parity/reconcile.ts';

// The reconciler's verdict is the bytes (issue 14): each pair below is equal once parsed, or
// outside JSON altogether, so a leaf-by-leaf comparison would call it identical.
const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'application/xml; charset=utf-8';
const CSV_TYPE = 'application/csv; charset=utf-8';

function answer(body: string | Uint8Array, contentType = JSON_TYPE, status = 200): Observed {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { status, contentType, retryAfter: null, body: bytes };
}

/** CSV bodies are UTF-16LE without BOM (CONTRACT.md §3.4). */
const utf16 = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));

const verdict = (a: Observed, b: Observed, secondary?: Observed) => judgeCase(a, b, secondary).kind;

describe('reconciler byte comparison', () => {
  const jsonPairs: Array<[string, string, string, string]> = [
    ['member order', '{"id":"11","name":"Acme"}', '{"name":"Acme","id":"11"}', '$ (member order)'],
    [
      '`\\/` escapes',
      '{"website":"https:\\/\\/a.example\\/"}',
      '{"website":"https://a.example/"}',
      '$.website',
    ],
    ['12 vs 12.0', '{"ctr":12}', '{"ctr":12.0}', '$.ctr'],
    ['an integer past 2^53', '{"id":9007199254740993}', '{"id":9007199254740992}', '$.id'],
  ];
  for (const [what, legacy, worker, field] of jsonPairs) {
    it(`catches ${what} in JSON`, () => {
      // Equal as parsed values: only the bytes tell them apart.
      expect(JSON.parse(worker)).toEqual(JSON.parse(legacy));
      expect(verdict(answer(legacy), answer(worker))).toBe('different');
      const [difference] = byteDifferences(answer(legacy), answer(worker));
      expect(difference?.part).toBe('body');
      expect(diagnose(answer(legacy), answer(worker)).map((f) => f.path)).toContain(field);
    });
  }

  it('catches an XML difference, down to the element', () => {
    const legacy =
      '<?xml version="1.0" encoding="utf-8"?>\n<xml><data><item><id>11</id><name>A &amp; B</name></item><item><id>12</id><name>C</name></item></data></xml>\n';
    const worker = legacy.replace('A &amp; B', 'A &#38; B');
    const differences = byteDifferences(answer(legacy, XML_TYPE), answer(worker, XML_TYPE));
    expect(differences).toMatchObject([{ part: 'body', offset: legacy.indexOf('&amp;') + 1 }]);
    expect(diagnose(answer(legacy, XML_TYPE), answer(worker, XML_TYPE))).toEqual([
      { path: 'xml.data.item[0].name', primary: 'A &amp; B', candidate: 'A &#38; B' },
    ]);
  });

  it('catches an XML difference no element shows (an empty element spelled open-close)', () => {
    const legacy = '<?xml version="1.0" encoding="utf-8"?>\n<xml><data><website/></data></xml>\n';
    const worker = legacy.replace('<website/>', '<website></website>');
    expect(verdict(answer(legacy, XML_TYPE), answer(worker, XML_TYPE))).toBe('different');
    // The diagnosis falls back to the first differing line; it does not decide.
    expect(diagnose(answer(legacy, XML_TYPE), answer(worker, XML_TYPE))[0]?.path).toBe('line 2');
  });

  it('catches a CSV difference in its UTF-16LE bytes', () => {
    const legacy = 'id,name,industry\n11,Acme,"Food & Drink"\n12,"Café Étoile",Retail\n';
    const worker = legacy.replace('"Food & Drink"', 'Food & Drink');
    const differences = byteDifferences(answer(utf16(legacy), CSV_TYPE), answer(utf16(worker), CSV_TYPE));
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ part: 'body', offset: 2 * legacy.indexOf('"Food') });
    // Context decoded from UTF-16LE, not shown as NUL-riddled UTF-8.
    expect(differences[0]!.detail).toContain('Acme,\\"Food & Drink\\"');
    expect(diagnose(answer(utf16(legacy), CSV_TYPE), answer(utf16(worker), CSV_TYPE))).toEqual([
      { path: 'csv.rows[0].industry', primary: '"Food & Drink"', candidate: 'Food & Drink' },
    ]);
    // The same text in UTF-8 is a different body.
    expect(verdict(answer(utf16(legacy), CSV_TYPE), answer(legacy, CSV_TYPE))).toBe('different');
  });

  it('passes identical bodies in every format', () => {
    const json = '{"data":[{"id":"11","ctr":1.01,"website":"https:\\/\\/a.example\\/"}]}';
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<xml><data/></xml>\n';
    expect(verdict(answer(json), answer(json))).toBe('identical');
    expect(verdict(answer(xml, XML_TYPE), answer(xml, XML_TYPE))).toBe('identical');
    expect(verdict(answer(utf16('id\n11\n'), CSV_TYPE), answer(utf16('id\n11\n'), CSV_TYPE))).toBe(
      'identical',
    );
  });

  it('compares the Content-Type of successes', () => {
    expect(byteDifferences(answer('{}'), answer('{}', 'application/json'))).toMatchObject([
      { part: 'content-type' },
    ]);
  });

  it('compares errors on status and Retry-After only (CONTRACT.md §4)', () => {
    const problem = (detail: string, status: number, retryAfter: string | null = null): Observed => ({
      ...answer(JSON.stringify({ type: 'about:blank', status, detail }), 'application/problem+json', status),
      retryAfter,
    });
    expect(verdict(problem('Unknown advertiser', 404), problem('advertiser 99 not found', 404))).toBe(
      'identical',
    );
    expect(verdict(problem('x', 404), { ...problem('x', 404), contentType: 'text/html' })).toBe('identical');
    expect(verdict(problem('x', 429, '1800'), problem('y', 429, '1800'))).toBe('identical');
    expect(byteDifferences(problem('x', 429, '1800'), problem('x', 429, '1799'))).toMatchObject([
      { part: 'retry-after' },
    ]);
    expect(byteDifferences(problem('x', 404), problem('x', 400))).toMatchObject([{ part: 'status' }]);
    expect(byteDifferences(answer('{}'), problem('x', 500))).toMatchObject([{ part: 'status' }]);
  });

  it('calls a difference noise only where primary and secondary differ too', () => {
    const legacy = answer('{"now":"10:30:00"}');
    const again = answer('{"now":"10:30:01"}');
    const worker = answer('{"now":"10:30:02"}');
    expect(verdict(legacy, worker, again)).toBe('noise');
    expect(verdict(legacy, worker, legacy)).toBe('different');
    // An unstable body does not excuse a different status.
    expect(verdict(legacy, { ...worker, status: 404 }, again)).toBe('different');
  });
});

describe('reconciler report', () => {
  const manifest: CaptureManifest = {
    dataset: 'T',
    clock: '2026-11-22 10:30:00',
    timezone: 'America/New_York',
    keys: { main: { int_key: 'int-secret-main', api_key: 'api-secret-main-0001' } },
    cases: [],
  };
  const base: CaptureCase = {
    id: 'advertisers-default',
    method: 'GET',
    path: '/advertisers',
    query: {},
    key: 'main',
    headers: {},
    clock: manifest.clock,
    status: 200,
    content_type: JSON_TYPE,
    body: 'advertisers-default.json',
  };
  const viaQuery: CaptureCase = {
    ...base,
    id: 'advertisers-query-keys',
    key: { int_key: 'int-secret-main', api_key: 'api-secret-main-0001' },
  };
  const request = (c: CaptureCase) => ({
    method: 'GET',
    target:
      typeof c.key === 'string'
        ? c.path
        : `${c.path}?integration_key=${c.key.int_key}&api_key=${c.key.api_key}`,
    headers:
      typeof c.key === 'string'
        ? ([
            ['X-Integration-Key', 'int-secret-main'],
            ['X-Api-Key', 'api-secret-main-0001'],
          ] as Array<[string, string]>)
        : [],
  });

  it('counts per endpoint, prints offsets and fields, and never a key', () => {
    // A body that echoes the key (it never should): the report masks it all the same.
    const legacy = answer('{"data":[{"id":"11","ctr":12,"note":"api-secret-main-0001"}]}');
    const worker = answer('{"data":[{"id":"11","ctr":12.0,"note":"API-SECRET-MAIN-0001 "}]}');
    const results = [
      caseResult(base, request(base), legacy, legacy),
      caseResult(viaQuery, request(viaQuery), legacy, worker),
    ];
    const report = formatReport(results, {
      primary: 'http://legacy.test',
      candidate: 'http://worker.test',
    }).join('\n');
    expect(report).toMatch(/\/advertisers\s+json\s+1\s+1/);
    expect(report).toContain('first differing byte 28');
    expect(report).toContain(
      'json $.data[].ctr: 1 case(s), e.g. advertisers-query-keys $.data[0].ctr: 12 / 12.0',
    );
    expect(report).toContain('integration_key=***&api_key=***');
    expect(report).toContain('reconcile: 1 byte-identical, 1 different of 2');
    expect(report.toLowerCase()).not.toContain('secret');
  });
});
