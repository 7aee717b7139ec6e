import { describe, expect, it } from 'vitest';
import {
  foldName,
  isKeyName,
  keyValuesOf,
  REDACTED,
  redactHeaders,
  redactQuery,
  redactText,
  redactUrl,
  valueScrubber,
} from './redact';

// Made-up key values (never the seed's): long enough to be scrubbed by value too.
const K = 'Planted-Key-7f3a9c';

describe('key names as the legacy read them', () => {
  it.each([
    'api_key',
    'integration_key',
    'API_KEY',
    'Integration_Key',
    '%61pi_key',
    '%61%70%69%5f%6b%65%79',
    'api%5Fkey',
    'api.key',
    'api+key',
    'api%20key',
    ' api_key',
    'api[key',
    'api_key[]',
    'api_key[0]',
    'integration.key',
    'api_key%00junk',
    '%2561pi_key',
    'x-api-key',
    'X-Integration-Key',
    'X-API-KEY',
    'apikey',
    'int_key',
  ])('%s is a key name', (name) => {
    expect(isKeyName(name)).toBe(true);
  });

  it.each(['api', 'key', 'format', 'advertiser_id', 'campaign_key_x', 'monkey', 'keyword', 'capi_keys'])(
    '%s is not',
    (name) => {
      expect(isKeyName(name)).toBe(false);
    },
  );

  it('folds as PHP mangled $_GET names, then case', () => {
    expect(foldName('%61pi.KEY')).toBe('api_key');
    expect(foldName(' Integration Key')).toBe('integration_key');
    expect(foldName('api_key\0rest')).toBe('api_key');
  });
});

describe('redactQuery / redactUrl', () => {
  it('replaces every spelling of a key parameter and keeps the rest', () => {
    const query = [
      `api_key=${K}1`,
      `%61pi_key=${K}2`,
      `API_KEY=${K}3`,
      `api.key=${K}4`,
      `integration%5Fkey=${K}5`,
      `api+key=${K}6`,
      `api_key[]=${K}7`,
      `%2561pi_key=${K}8`,
      'format=json',
      'advertiser_id=11',
    ].join('&');
    const out = redactQuery(query);
    for (let i = 1; i <= 8; i++) expect(out).not.toContain(`${K}${i}`);
    expect(out).toContain('format=json&advertiser_id=11');
    expect(out).toContain(`api_key=${REDACTED}&%61pi_key=${REDACTED}&API_KEY=${REDACTED}`);
  });

  it('removes a key glued into a name by an encoded `=`', () => {
    const out = redactQuery(`api_key%3D${K}=1`);
    expect(out).not.toContain(K);
    expect(out).toBe(`api_key=${REDACTED}`);
  });

  it('splits on `;` as well and keeps the path, fragment-free values whole', () => {
    expect(redactUrl(`https://api.adventive.com/v1.0/advertisers.json?x=1;api_key=${K}#frag`)).toBe(
      `https://api.adventive.com/v1.0/advertisers.json?x=1;api_key=${REDACTED}`,
    );
  });

  it('leaves a URL without keys unchanged', () => {
    const url = 'https://api.adventive.com/dataconnector?from=2026-01-01&to=2026-01-31&format=csv';
    expect(redactUrl(url)).toBe(url);
  });

  it('catches a key named in the path', () => {
    expect(redactUrl(`https://h/v1.0/api_key=${K}/advertisers`)).not.toContain(K);
  });
});

describe('redactHeaders', () => {
  it('replaces the key headers in any case and credential headers, keeps the others', () => {
    const out = redactHeaders({
      'x-api-key': `${K}1`,
      'X-INTEGRATION-KEY': `${K}2`,
      'X-Api-Key': `${K}3`,
      authorization: 'Bearer abc',
      cookie: 'session=abc',
      'user-agent': 'curl/8',
      referer: `https://sheet/?api_key=${K}4`,
    });
    expect(out).toEqual({
      'x-api-key': REDACTED,
      'X-INTEGRATION-KEY': REDACTED,
      'X-Api-Key': REDACTED,
      authorization: REDACTED,
      cookie: REDACTED,
      'user-agent': 'curl/8',
      referer: `https://sheet/?api_key=${REDACTED}`,
    });
  });
});

describe('redactText', () => {
  it.each([
    [`X-Api-Key: ${K}`, `X-Api-Key: ${REDACTED}`],
    [`x-integration-key:${K}`, `x-integration-key:${REDACTED}`],
    [`{"x-api-key":"${K}","user-agent":"curl"}`, `{"x-api-key":"${REDACTED}","user-agent":"curl"}`],
    [`{"api_key":"${K}"}`, `{"api_key":"${REDACTED}"}`],
    [`{\\"api_key\\":\\"${K}\\"}`, `{\\"api_key\\":\\"${REDACTED}\\"}`],
    [`'integration_key' => '${K}'`, `'integration_key' => '${REDACTED}'`],
    [`GET /advertisers?%61pi_key=${K}&format=json`, `GET /advertisers?%61pi_key=${REDACTED}&format=json`],
    [`failed for api.key=${K} at 10:00`, `failed for api.key=${REDACTED} at 10:00`],
    [`apiKey=${K}`, `apiKey=${REDACTED}`],
  ])('%s', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text =
      '{"level":"info","event":"request","request_id":"a1b2","status":200,"endpoint":"/advertisers"}';
    expect(redactText(text)).toBe(text);
  });

  it('is linear on a long line with no `=` (bounded name length)', () => {
    const started = Date.now();
    redactText('a'.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('keys by value', () => {
  it('collects the key values a request carried, as sent and decoded', () => {
    const values = keyValuesOf(`https://h/p?%61pi_key=${K}%2Bx&integration_key=short&x=1`, {
      'X-Integration-Key': `${K}-int`,
    });
    expect(values.sort()).toEqual([`${K}%2Bx`, `${K}+x`, `${K}-int`]);
  });

  it('scrubs them in any case, percent-encoded or JSON-escaped', () => {
    const scrub = valueScrubber([`${K}/é"`]);
    const text = [
      `${K}/é"`,
      `${K}/é"`.toUpperCase(),
      encodeURIComponent(`${K}/é"`),
      JSON.stringify(`${K}/é"`).slice(1, -1),
    ].join(' | ');
    expect(scrub(text)).toBe([REDACTED, REDACTED, REDACTED, REDACTED].join(' | '));
  });

  it('does nothing without keys', () => {
    expect(valueScrubber([])('anything')).toBe('anything');
  });
});
