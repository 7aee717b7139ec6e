import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeJson,
  encodeJsonAround,
  encodeJsonByParts,
  encodeJsonString,
  JSON_CONTENT_TYPE,
  JSONP_CONTENT_TYPE,
  JSONP_TYPE_BOUND,
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  jsonpResponse,
} from './php-json';
import cases from './php-preg/cases.json';
import type { LegacyObject } from './types';

// [PHP string, json_encode($s, JSON_UNESCAPED_UNICODE)]
const STRINGS: [string, string][] = [
  ['', '""'],
  ['plain', '"plain"'],
  ['https://acme.example/', '"https:\\/\\/acme.example\\/"'], // slashes escaped
  ['say "hi"', '"say \\"hi\\""'],
  ['C:\\Campaigns\\"2027" ]]>', '"C:\\\\Campaigns\\\\\\"2027\\" ]]>"'],
  ['a\tb\nc\rd\be\ff', '"a\\tb\\nc\\rd\\be\\ff"'],
  ['\u0000', '"\\u0000"'],
  ['\u000b\u001b\u001f', '"\\u000b\\u001b\\u001f"'], // lowercase hex, as PHP's digits table
  ['\u007f', '"\u007f"'], // DEL is not a control character for json_encode
  ['Café Étoile', '"Café Étoile"'], // raw UTF-8
  ['Rocket 🚀 Labs', '"Rocket 🚀 Labs"'],
  ['中文 ⚡', '"中文 ⚡"'],
  ['line\u2028sep\u2029', '"line\\u2028sep\\u2029"'], // no JSON_UNESCAPED_LINE_TERMINATORS
  ["<b> & 'x'", `"<b> & 'x'"`], // no JSON_HEX_* flags
  ['R&amp;D &eacute;quipe', '"R&amp;D &eacute;quipe"'], // entities untouched in JSON
];

describe('json_encode string escaping', () => {
  it.each(STRINGS)('%j → %s', (text, json) => {
    expect(encodeJsonString(text)).toBe(json);
    expect(encodeJson(text)).toBe(json);
    expect(encodeJson({ [text]: [text] })).toBe(`{${json}:[${json}]}`);
  });

  it('refuses lone surrogates (MySQL utf8mb4 cannot produce them)', () => {
    expect(() => encodeJson('a\ud800b')).toThrow(TypeError);
    expect(() => encodeJson('\udc00')).toThrow(TypeError);
  });
});

describe('json_encode structure', () => {
  it('writes PHP arrays without whitespace, keys escaped, lists as arrays', () => {
    expect(encodeJson({ data: [{ id: '11', 'a/b': null, ok: true, no: false, n: 3, f: 0.5 }] })).toBe(
      '{"data":[{"id":"11","a\\/b":null,"ok":true,"no":false,"n":3,"f":0.5}]}',
    );
    expect(encodeJson({ status: true })).toBe('{"status":true}');
    expect(encodeJson([[], [1, [2]]])).toBe('[[],[1,[2]]]');
  });

  it('writes an empty PHP array as [] whether it stood for a list or an object', () => {
    expect(encodeJson([])).toBe('[]');
    expect(encodeJson({})).toBe('[]');
    expect(encodeJson({ data: [], contacts: {} })).toBe('{"data":[],"contacts":[]}');
  });
});

// encodeJson takes JSON.stringify's output where it is json_encode's but for PHP's own escapes;
// every value must come out as the module's own writer gives it, or fail the same way.
describe('encodeJson: the JSON.stringify shortcut changes no byte', () => {
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom('a', 'Z', '0', ' ', '{}', '[]', ',', ':'),
      fc.constantFrom('/', '"', '\\', '\\ud800', '\u0000', '\u001f', '\u007f', '\b', '\n', '\t'),
      fc.constantFrom('\u2028', '\u2029', 'é', '€', '中', '😀', '\ud800', '\udc00', '\udbff'),
    ),
    maxLength: 12,
  });
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 1e-4, 9.99e-5, -1e-4, 1e17, 1e17 - 16, 2 ** 53 + 2, 1e21, 0.1, -5),
  );
  const scalar = fc.oneof(text, number, fc.bigInt(), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    ),
  }));
  const outcome = (encode: () => string) => {
    try {
      return { json: encode() };
    } catch (error) {
      return { error: (error as Error).constructor.name };
    }
  };

  it('gives what the writer gives, for any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        const legacy = v as Parameters<typeof encodeJson>[0];
        expect(outcome(() => encodeJson(legacy))).toEqual(outcome(() => encodeJsonByParts(legacy)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('JSONP (CONTRACT §3.2)', () => {
  const value: LegacyObject = { data: { id: '12', url: 'https://x/' } };
  const json = '{"data":{"id":"12","url":"https:\\/\\/x\\/"}}';
  const warn = (cb: string) =>
    `{"data":{"id":"12","url":"https:\\/\\/x\\/"},"warning":"INVALID JSONP CALLBACK: ${cb}"}`;
  const CASES: [string, string | undefined, string, string][] = [
    ['absent', undefined, json, JSON_CONTENT_TYPE],
    ['empty: plain JSON, yet `^` matches → JavaScript type', '', json, JSONP_CONTENT_TYPE],
    ['"0" is empty() for PHP', '0', json, JSON_CONTENT_TYPE],
    ['valid', 'cb', `cb(${json});`, JSONP_CONTENT_TYPE],
    ['valid dotted', 'a.b_c.$d0', `a.b_c.$d0(${json});`, JSON_CONTENT_TYPE],
    ['valid, `$` anchors the type regex', 'My.ns_1.$fn', `My.ns_1.$fn(${json});`, JSON_CONTENT_TYPE],
    ['valid, `$` alone', '$', `$(${json});`, JSON_CONTENT_TYPE],
    ['valid, case-insensitive', 'jQuery_12', `jQuery_12(${json});`, JSONP_CONTENT_TYPE],
    ['leading digit', '1bad', warn('1bad'), JSON_CONTENT_TYPE],
    ['parentheses', 'alert(1)', warn('alert(1)'), JSON_CONTENT_TYPE],
    ['trailing newline', 'cb\n', warn('cb\\n'), JSON_CONTENT_TYPE],
    ['empty segment', 'a..b', warn('a..b'), JSON_CONTENT_TYPE],
    ['a slash ends the PCRE pattern', '{/', warn('{\\/'), JSON_CONTENT_TYPE],
    ['invalid, but `^{` matches the body', '{', warn('{'), JSONP_CONTENT_TYPE],
    ['invalid, `^.` matches the body', '.', warn('.'), JSONP_CONTENT_TYPE],
    ['invalid, broken regex', '[', warn('['), JSON_CONTENT_TYPE],
    ['invalid, `^.*` matches any body', '.*', warn('.*'), JSONP_CONTENT_TYPE],
    ['invalid, `^.+`', '.+', warn('.+'), JSONP_CONTENT_TYPE],
    ['invalid, an escaped brace', '\\{', warn('\\\\{'), JSONP_CONTENT_TYPE],
    ['invalid, a repeated class', '[{a]+', warn('[{a]+'), JSONP_CONTENT_TYPE],
    ['invalid, back reference to no group', '\\1', warn('\\\\1'), JSON_CONTENT_TYPE],
    ['invalid, `\\/` is an escaped slash', '\\/', warn('\\\\\\/'), JSON_CONTENT_TYPE],
    ['invalid, `$` before a final newline only', '.*\\}$', warn('.*\\\\}$'), JSONP_CONTENT_TYPE],
  ];
  it.each(CASES)('%s', (_name, callback, body, contentType) => {
    expect(jsonpResponse(callback, value)).toEqual({ body, contentType });
  });

  it('overwrites an existing warning member in place, as PHP array assignment does', () => {
    expect(jsonpResponse('1', { warning: 'x', data: [] }).body).toBe(
      '{"warning":"INVALID JSONP CALLBACK: 1","data":[]}',
    );
  });
});

describe('the body split around a list, for a streamed renderer', () => {
  const items: LegacyObject[] = [
    { id: '1', url: 'https://x/' },
    { id: '2', name: 'é 😀' },
  ];
  const join = (around: { head: string; tail: string }, rows: LegacyObject[]) =>
    around.head + rows.map(encodeJson).join(',') + around.tail;

  it('encodeJsonAround: head + items + tail is encodeJson, wherever the list is', () => {
    const list: LegacyObject[] = [];
    const value = { meta: { n: 1 }, data: list, after: [1, 2] };
    for (const rows of [[], items.slice(0, 1), items]) {
      expect(join(encodeJsonAround(value, list), rows)).toBe(encodeJson({ ...value, data: rows }));
    }
  });

  it.each([undefined, '', '0', 'cb', '1bad', '{'])(
    'jsonpAround(%j) gives jsonpResponse’s body',
    (callback) => {
      const list: LegacyObject[] = [];
      for (const rows of [[], items]) {
        const { body, contentType } = jsonpResponse(callback, { data: rows });
        const streamed = join(jsonpAround(callback, { data: list }, list), rows);
        expect(streamed).toBe(body);
        const reach = jsonpContentTypeReach(callback);
        expect(jsonpContentType(callback, streamed.slice(0, reach))).toBe(contentType);
      }
    },
  );
});

// PHP's own answers (scripts/php-preg-record.mjs): the legacy's render_json
// (../shared/legacy/oracle/lib/format.php) for each callback and payload: the Content-Type (1:
// JavaScript) and the FNV-1a 32 of the body.
const recorded = cases as unknown as { payloads: LegacyObject[]; callbacks: [string, string, string][] };

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

describe('JSONP against the legacy, recorded (preg_match of the callback as a regex)', () => {
  it('gives the legacy’s body and Content-Type for every callback and payload', () => {
    const wrong: string[] = [];
    for (const [callback, types, hashes] of recorded.callbacks) {
      const bodyHashes = hashes.split(' ');
      recorded.payloads.forEach((payload, k) => {
        const { body, contentType } = jsonpResponse(callback, payload);
        const type = contentType === JSONP_CONTENT_TYPE ? '1' : '0';
        if (type !== types[k] || fnv1a(body) !== bodyHashes[k]) {
          wrong.push(`${JSON.stringify(callback)} × payload ${k}: legacy ${types[k]} ${bodyHashes[k]}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(recorded.callbacks.length * recorded.payloads.length).toBeGreaterThan(4000);
  });

  // A streamed body is typed from its opening: the first `reach` bytes decide as the whole body does,
  // including bodies longer than the bound.
  it('decides from the first jsonpContentTypeReach bytes as from the whole body', () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({ id: String(i), name: `row ${i} é {x}` }));
    const payloads = [...recorded.payloads, { data: rows }];
    const wrong: string[] = [];
    for (const [callback] of recorded.callbacks) {
      for (const payload of payloads) {
        const { body, contentType } = jsonpResponse(callback, payload);
        const reach = jsonpContentTypeReach(callback);
        expect(reach).toBeLessThanOrEqual(JSONP_TYPE_BOUND + 2);
        // reach code units are at least reach bytes.
        if (jsonpContentType(callback, body.slice(0, reach)) !== contentType)
          wrong.push(JSON.stringify(callback));
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the type regex reads a bounded prefix of the body', () => {
  const long = {
    data: Array.from({ length: 4000 }, (_, i) => ({ id: String(i), name: 'aaaaaaaaaaaaaaaa' })),
  };
  const body = jsonpResponse('x', long).body;

  it('needs a few bytes for a callback that reads a few, the bound for one that may read on', () => {
    expect(jsonpContentTypeReach(undefined)).toBe(0);
    expect(jsonpContentTypeReach('cb')).toBe(4);
    expect(jsonpContentTypeReach('a.b')).toBe(5);
    expect(jsonpContentTypeReach('é')).toBe(4);
    expect(jsonpContentTypeReach('a/b')).toBe(0); // never matches
    expect(jsonpContentTypeReach('.*')).toBe(JSONP_TYPE_BOUND + 2);
    expect(jsonpContentTypeReach('x|y')).toBe(JSONP_TYPE_BOUND + 2); // `y` may match anywhere
    expect(jsonpContentTypeReach('(?m)x|^y')).toBe(JSONP_TYPE_BOUND + 2);
  });

  it('matches within the first 64 KiB, not beyond (PCRE answered there, at best, within its limits)', () => {
    expect(new TextEncoder().encode(body).length).toBeGreaterThan(2 * JSONP_TYPE_BOUND);
    expect(jsonpContentType('.{65535}.', body)).toBe(JSONP_CONTENT_TYPE); // 64 KiB
    expect(jsonpContentType('.{65535}..', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*"3999"', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*"29"', body)).toBe(JSONP_CONTENT_TYPE);
    // `$` and \z hold at the body's end only: not where the prefix stops.
    expect(jsonpContentType('.*$', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*$', jsonpResponse('.*$', { data: [] }).body)).toBe(JSONP_CONTENT_TYPE);
  });
});
