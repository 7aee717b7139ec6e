// Value generators (raw, as they appear in the URL: already percent-encoded, or deliberately not)
// for ids, dates, enums, flags, formats, callbacks and Accept headers.
import fc from 'fast-check';

export const enc = encodeURIComponent;
/** A value sent encoded. */
export const encoded = (arb: fc.Arbitrary<string>) => arb.map(enc);

/** Odd encodings that decode to something else or to nothing valid. */
export const MALFORMED = [
  '%ZZ',
  '%E9',
  '%',
  '%%',
  '%C3',
  '%C3%28',
  '%ED%A0%80',
  '%00',
  '%0A',
  '%2',
  '%u0041',
  '%FF%FE',
];

export const unicodeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
export const longText = fc
  .integer({ min: 256, max: 4096 })
  .chain((n) => fc.constantFrom('a', '9', 'é', '🚀', '%').map((c) => c.repeat(n)));

/** Values of a decimal id parameter: seed ids, and everything the id rule must refuse. */
export function idValues(seedIds: string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seedIds);
  return fc.oneof(
    { weight: 60, arbitrary: seed.map(enc) },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), seed).map(([n, id]) => '0'.repeat(n) + id),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 1000, max: 4000 }), seed).map(([n, id]) => '0'.repeat(n) + id),
    },
    { weight: 6, arbitrary: fc.stringMatching(/^[0-9]{1,12}$/) },
    { weight: 3, arbitrary: fc.bigInt({ min: 4_294_967_290n, max: 4_294_967_300n }).map(String) },
    { weight: 2, arbitrary: fc.bigInt({ min: 10n ** 10n, max: 10n ** 40n }).map(String) },
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        '1e3',
        '+5',
        '%2B5',
        '-1',
        '0',
        '00',
        '1.0',
        '1%2E0',
        '0x1F',
        '11%0A',
        '11%20',
        '%2011',
        '11%00',
        '%31%31',
        '%EF%BC%91%EF%BC%91', // fullwidth digits
        '%D9%A1%D9%A1', // Arabic-Indic digits
        '11abc',
        'null',
        '%5B%5D',
        '4294967295',
        '4294967296',
        '18446744073709551616',
        'NaN',
        'Infinity',
      ),
    },
    { weight: 3, arbitrary: fc.tuple(seed, fc.constantFrom(...MALFORMED)).map(([id, bad]) => id + bad) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED) },
    { weight: 2, arbitrary: encoded(unicodeText) },
    { weight: 1, arbitrary: encoded(longText) },
  );
}

function dateString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export const dates = fc.oneof(
  {
    weight: 24,
    arbitrary: fc
      .date({ min: new Date('2026-05-01'), max: new Date('2026-12-31'), noInvalidDate: true })
      .map(dateString),
  },
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('1970-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map(dateString),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-02-29',
      '2024-02-29',
      '2026-11-1',
      '20261101',
      '2026%2F11%2F01',
      '2026-13-01',
      '2026-00-10',
      '2026-11-00',
      '2026-11-31',
      '9999-12-31',
      '0001-01-01',
      '0050-03-01',
      '0099-12-31',
      '0100-01-01',
      '1000-02-29',
      '1900-02-29',
      '2000-02-29',
      '0000-01-01',
      '2026-11-01%0A',
      '2026-11-01%20',
      '2026-11-01T00%3A00%3A00',
      'yesterday',
      '-2026-11-01',
      '%EF%BC%92026-11-01',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED) },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

export function enumValues(values: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom(...values) },
    { weight: 2, arbitrary: fc.constantFrom(...values).map((v) => v.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(...values).map((v) => `${v}%0A`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('', 'running', 'Active', 'act%C3%ADve', '%ZZ', 'active,paused', 'active%00'),
    },
    { weight: 1, arbitrary: encoded(unicodeText) },
    { weight: 1, arbitrary: encoded(longText) },
  );
}

export const flagValues = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '0', 'true', 'false', 'TRUE', 'False', 'tRuE') },
  { weight: 3, arbitrary: fc.constantFrom('', 'yes', '2', '-1', '1%0A', 'true%20', 'on', '%ZZ', '%E9') },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

export const formatValues = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom('json', 'xml', 'csv', 'JSON', 'Xml', 'cSv') },
  { weight: 2, arbitrary: fc.constantFrom('php', 'serialized', 'PHP') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'html',
      'jsonp',
      'array',
      'yaml',
      'json%0A',
      'js%C3%B6n',
      '%ZZ',
      '%E9',
      'json%00',
    ),
  },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

export const callbackValues = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('cb', 'jQuery123_456', 'a.b.c', '_', 'ns.fn_2', 'My.ns_1.%24fn', '%24'),
  },
  { weight: 2, arbitrary: fc.constantFrom('', '0') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'cb%0A',
      'alert(1)',
      '%3Cscript%3E',
      '1abc',
      'a..b',
      'a.',
      'cb%2F',
      '%ZZ',
      '%E9',
      'a%20b',
    ),
  },
  // Pasted into preg_match('/^<callback>/') for the Content-Type (CONTRACT §3.2): regex syntax.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%7B',
      '%5B%7B%5D',
      '.',
      '(',
      '(%7B',
      '(%3F%3D%7B)',
      '%5E',
      '%5C',
      '(a%2B)%2Bb',
      'a%7B1%2C99999%7D',
      '%5B%5E%5D',
      '(%3F%3C%3Dx)',
      '%7B%22data%22',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z_$][a-zA-Z0-9$_]{0,20}$/).map(enc) },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

export const ACCEPTS = [
  'application/json',
  'text/csv',
  'application/xml',
  'text/xml',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  '*/*',
  '',
  'application/x-php',
  'text/javascript',
  'application/jsonp',
  'text/xml, text/csv',
  'text/html, text/csv',
  'array, xml',
  'application/problem+json',
  'image/png',
  `text/csv;${'q=1;'.repeat(1000)}`,
];
