// The real proof: the renderers reproduce the captured legacy bodies byte for byte.
// JSON bodies are re-encoded from their own parse; XML and CSV bodies are rendered from the JSON
// body of the same request (paired below), JSONP bodies from the JSON body without `callback`.
import { describe, expect, it } from 'vitest';
import { type FixtureCase, fixtureBytes, fixtureText, manifest } from '../../test/support/fixtures';
import { csvSource, toCsv } from './csv';
import { encodeJson } from './php-json';
import { jsonpResponse } from './php-jsonp';
import { phpRound } from './php-round';
import type { LegacyObject } from './types';
import { toXml } from './xml';

const ok200 = manifest.cases.filter((c) => c.status === 200 && c.body !== null);
const isJsonBody = (c: FixtureCase) => c.body!.endsWith('.json');
const hasCallback = (c: FixtureCase) => 'callback' in c.query;

function parseJson(c: FixtureCase): LegacyObject | undefined {
  try {
    return JSON.parse(fixtureText(c.body!)) as LegacyObject;
  } catch {
    return undefined;
  }
}

/** The key alias a case used: an explicit key pair equal to an alias's counts as that alias. */
function keyAlias(c: FixtureCase, resolve: boolean): string {
  if (typeof c.key === 'string') return c.key;
  const { int_key, api_key } = c.key;
  const alias = Object.entries(manifest.keys).find(([, k]) => k.int_key === int_key && k.api_key === api_key);
  return resolve && alias ? alias[0] : JSON.stringify(c.key);
}

/**
 * What identifies "the same request" apart from the output format (extension, `format`, Accept).
 * - strict: same key, same path without extension, same query but `format`.
 * - normalized (only when strict finds nothing), by CONTRACT rules: a key pair equal to an alias is
 *   that alias; `/vN.M` is the v1 or v2 schema (§1.2); `callback` is JSON-only (§3.2);
 *   `removeZeros` is read by v1 /connector and /dataconnector only, `0`/`false` being the default;
 *   `data_connector` is `1`/`true` (case-insensitive) or nothing (§1.4).
 */
function requestKey(c: FixtureCase, normalized: boolean): string {
  let path = c.path.replace(/\.(json|xml|csv)$/, '');
  let query = Object.entries(c.query).filter(([name]) => name !== 'format');
  if (normalized) {
    const version = /^\/v(\d+)\.\d+(?=\/)/.exec(path);
    const schema = version && Number(version[1]) >= 2 ? 'v2' : 'v1';
    path = `${schema}${version ? path.slice(version[0].length) : path}`;
    const readsRemoveZeros = schema === 'v1' && /^v1\/(connector|dataconnector)$/.test(path);
    query = query.flatMap(([name, value]): [string, string][] => {
      const lower = value.toLowerCase();
      if (name === 'callback') return [];
      if (name === 'removeZeros')
        return readsRemoveZeros && (lower === '1' || lower === 'true') ? [[name, '1']] : [];
      if (name === 'data_connector') return lower === '1' || lower === 'true' ? [[name, '1']] : [];
      return [[name, value]];
    });
  }
  query.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([keyAlias(c, normalized), path, query]);
}

type Pairing = { json: FixtureCase; tier: 'strict' | 'normalized' } | { problem: 'unpaired' | 'ambiguous' };

const plainJsonCases = ok200.filter((c) => isJsonBody(c) && !hasCallback(c));

/** The JSON case of the same request; ambiguous when candidates' bodies differ. */
function pairWithJson(c: FixtureCase, callbackIgnored = false): Pairing {
  for (const tier of ['strict', 'normalized'] as const) {
    const normalized = tier === 'normalized';
    const self = callbackIgnored
      ? { ...c, query: Object.fromEntries(Object.entries(c.query).filter(([n]) => n !== 'callback')) }
      : c;
    const key = requestKey(self, normalized);
    const candidates = plainJsonCases.filter((j) => requestKey(j, normalized) === key);
    const bodies = new Set(candidates.map((j) => fixtureText(j.body!)));
    if (bodies.size > 1) return { problem: 'ambiguous' };
    if (candidates[0]) return { json: candidates[0], tier };
  }
  return { problem: 'unpaired' };
}

const utf16 = (bytes: Uint8Array) => new TextDecoder('utf-16le').decode(bytes);

describe('JSON fixtures: encodeJson(JSON.parse(body)) is the body', () => {
  const parsed = ok200.filter(isJsonBody).filter((c) => parseJson(c) !== undefined);
  it('covers every 200 JSON body except the two JSONP-wrapped ones', () => {
    const wrapped = ok200.filter(isJsonBody).filter((c) => parseJson(c) === undefined);
    expect(wrapped.map((c) => c.id)).toEqual(['jsonp-callback', 'jsonp-dotted-callback']);
    expect(parsed.length).toBe(132);
  });
  it.each(parsed.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(encodeJson(parseJson(c)!)).toBe(fixtureText(c.body!));
    // (the Content-Type of JSONP requests is checked below)
    if (!hasCallback(c)) expect(c.content_type).toBe('application/json; charset=utf-8');
  });
});

describe('JSONP fixtures: jsonpResponse(callback, value of the same request without it)', () => {
  const jsonp = ok200.filter((c) => isJsonBody(c) && hasCallback(c));
  it('finds the six JSONP cases', () => expect(jsonp.length).toBe(6));
  it.each(jsonp.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const pairing = pairWithJson(c, true);
    if (!('json' in pairing)) throw new Error(`${c.id}: ${pairing.problem}`);
    const value = JSON.parse(fixtureText(pairing.json.body!)) as LegacyObject;
    expect(jsonpResponse(c.query.callback, value)).toEqual({
      body: fixtureText(c.body!),
      contentType: c.content_type,
    });
  });
});

describe('XML and CSV fixtures: rendered from the JSON body of the same request', () => {
  const others = ok200.filter((c) => !isJsonBody(c));
  const pairings = others.map((c) => ({ c, pairing: pairWithJson(c) }));
  const verified = pairings.flatMap(({ c, pairing }) => ('json' in pairing ? [{ c, ...pairing }] : []));
  const unpaired = pairings.filter(({ pairing }) => !('json' in pairing)).map(({ c }) => c.id);

  it('pairs all but the requests that have no JSON twin in the capture', () => {
    const count = (ext: string, tier: string) =>
      verified.filter(({ c, tier: t }) => c.body!.endsWith(ext) && t === tier).length;
    console.info(
      `legacy fixtures verified: XML ${count('.xml', 'strict')} strict + ${count('.xml', 'normalized')} normalized, ` +
        `CSV ${count('.csv', 'strict')} strict + ${count('.csv', 'normalized')} normalized; unpaired: ${unpaired.join(', ')}`,
    );
    expect(others.length).toBe(63);
    expect(verified.length).toBe(others.length - unpaired.length);
    expect(pairings.filter(({ pairing }) => 'problem' in pairing && pairing.problem === 'ambiguous')).toEqual(
      [],
    );
    expect(unpaired).toEqual([
      'dataconnector-v2-advertiser-19-xml',
      'campaigns-advertiser-19-xml',
      'dataconnector-data_connector-1-xml',
      'auth-query-keys-csv',
      'scope-dataconnector-v2-mislabelled-day-csv',
    ]);
  });

  it.each(verified.map(({ c, json, tier }) => [`${c.id} ← ${json.id} (${tier})`, c, json] as const))(
    '%s',
    (_name, c, json) => {
      const value = JSON.parse(fixtureText(json.body!)) as LegacyObject;
      const want = fixtureBytes(c.body!);
      if (c.body!.endsWith('.xml')) {
        expect(c.content_type).toBe('application/xml; charset=utf-8');
        const got = new TextEncoder().encode(toXml(value));
        expect(new TextDecoder().decode(got)).toBe(fixtureText(c.body!));
        expect(got).toEqual(want);
      } else {
        expect(c.content_type).toBe('application/csv; charset=utf-8');
        const got = toCsv(csvSource(value));
        expect(utf16(got)).toBe(utf16(want));
        expect(got).toEqual(want);
      }
    },
  );
});

describe('Rates in every JSON fixture are PHP 8.2 round(a / b * 100, 2)', () => {
  it('holds for ctr, interaction_rate, engagement_rate and video_completion_rate', () => {
    const RATES: [string, string, string][] = [
      ['ctr', 'clicks', 'impressions'],
      ['interaction_rate', 'interactions', 'impressions'],
      ['engagement_rate', 'engagements', 'impressions'],
      ['video_completion_rate', 'video_completes', 'video_starts'],
    ];
    let checked = 0;
    let naiveWouldFail = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(visit);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const row = node as Record<string, unknown>;
      for (const [rate, part, whole] of RATES) {
        if (!(rate in row)) continue;
        const a = row[part] as number;
        const b = row[whole] as number;
        const expected = b === 0 ? 0 : phpRound((a / b) * 100, 2);
        expect(row[rate], `${rate} of ${a}/${b}`).toBe(expected);
        if (b !== 0 && Math.round((a / b) * 100 * 100) / 100 !== expected) naiveWouldFail++;
        checked++;
      }
      Object.values(row).forEach(visit);
    };
    for (const c of ok200.filter(isJsonBody)) visit(parseJson(c));
    expect(checked).toBeGreaterThan(1000);
    expect(naiveWouldFail).toBeGreaterThan(0);
  });
});
