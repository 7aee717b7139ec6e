import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phpFloat } from './php-float';
import { encodeJson, encodeJsonAround, encodeJsonByParts, encodeJsonString } from './php-json';
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
  // A PHP float that would pass for an int (integral, 1e14 up to 2^53): phpFloat boxes it.
  const boxedFloat = fc
    .tuple(
      fc.oneof(
        fc.maxSafeNat().map((n) => 1e14 + (n % (Number.MAX_SAFE_INTEGER - 1e14))),
        fc.constantFrom(1e14, Number.MAX_SAFE_INTEGER),
      ),
      fc.boolean(),
    )
    .map(([n, negative]) => phpFloat(negative ? -n : n));
  const scalar = fc.oneof(text, number, boxedFloat, fc.bigInt(), fc.boolean(), fc.constant(null));
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
});
