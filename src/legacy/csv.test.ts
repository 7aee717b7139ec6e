import { describe, expect, it } from 'vitest';
import {
  csvField,
  csvHeadingLine,
  csvLine,
  csvRecordLine,
  csvSource,
  csvText,
  encodeUtf16le,
  toCsv,
} from './csv';
import type { LegacyObject, LegacyScalar } from './types';

// [field, how PHP 8.2 fputcsv($h, [$field], ',', '"') writes it (without the LF)]
const FIELDS: [LegacyScalar, string][] = [
  ['Acme & Sons', '"Acme & Sons"'], // a space is enough to enclose
  ['2021-05-01 10:00:00', '"2021-05-01 10:00:00"'],
  ['=SUM(A1:A9)', '=SUM(A1:A9)'], // no formula protection
  ['C:\\Campaigns\\"2027" ]]>', '"C:\\Campaigns\\"2027"" ]]>"'], // `"` after `\` not doubled
  ['plain', 'plain'],
  ['', ''],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['"', '""""'],
  ['tab\there', '"tab\there"'],
  ['line\nbreak', '"line\nbreak"'],
  ['cr\r', '"cr\r"'],
  ['back\\slash', '"back\\slash"'],
  ['\\"', '"\\""'],
  ['\\\\"', '"\\\\""'], // a run of backslashes keeps the escape state
  ['\\a"', '"\\a"""'], // any other character resets it
  ["O'Brien;x|y", "O'Brien;x|y"],
  ['Café 🚀', '"Café 🚀"'],
  ['Émoji', 'Émoji'],
  [null, ''],
  [true, '1'],
  [false, ''],
  [42, '42'],
  [1.01, '1.01'],
  [0.1 + 0.2, '0.3'],
];

describe('fputcsv quoting', () => {
  it.each(FIELDS)('%j → %s', (field, written) => {
    expect(csvLine([field])).toBe(`${written}\n`);
  });

  it('joins fields with commas and ends lines with LF only', () => {
    expect(csvLine(['11', 'Acme & Sons', null, 1])).toBe('11,"Acme & Sons",,1\n');
    expect(csvLine([])).toBe('\n');
  });

  it('writes nested arrays as the string Array', () => {
    expect(csvField([])).toBe('Array');
    expect(csvField({ a: 1 })).toBe('Array');
    expect(csvField(null)).toBe('');
  });
});

describe('Format::to_csv structure', () => {
  it('writes a list of rows: keys of the first row, then every row', () => {
    expect(
      csvText([
        { id: '11', name: 'Acme & Sons' },
        { id: '12', name: 'Bistro' },
      ]),
    ).toBe('id,name\n11,"Acme & Sons"\n12,Bistro\n');
  });

  it('writes a single object as one heading line and one record, nested lists as Array', () => {
    expect(csvText({ id: '11', created_at: '2021-05-01 10:00:00', contacts: [{ id: '1' }] })).toBe(
      'id,created_at,contacts\n11,"2021-05-01 10:00:00",Array\n',
    );
    expect(csvText({ id: '11', contacts: [] })).toBe('id,contacts\n11,Array\n');
  });

  it('writes an empty list (or null) as two empty lines', () => {
    expect(csvText([])).toBe('\n\n');
    expect(csvText(null)).toBe('\n\n');
  });

  it('writes a flat list as one record headed by its indexes', () => {
    expect(csvText(['a', 'b'])).toBe('0,1\na,b\n');
    expect(csvText([[], []])).toBe('0,1\nArray,Array\n'); // empty nested arrays: not multi-dimensional
  });

  it('takes data, or the whole body when there is none', () => {
    expect(csvSource({ data: [] })).toEqual([]);
    expect(csvText(csvSource({ status: true }))).toBe('status\n1\n');
  });

  it('encodes UTF-16LE without BOM, astral characters as surrogate pairs', () => {
    expect([...encodeUtf16le('a,é\n')]).toEqual([0x61, 0, 0x2c, 0, 0xe9, 0, 0x0a, 0]);
    expect([...encodeUtf16le('🚀')]).toEqual([0x3d, 0xd8, 0x80, 0xde]);
    expect([...toCsv({ status: true })]).toEqual([...encodeUtf16le('status\n1\n')]);
  });

  it('encodes a large text (the runtime encoder) exactly as a small one (the loop)', () => {
    const piece = 'a,é\n🚀"x" Ω\u2028\u0000';
    const large = piece.repeat(1000);
    const units = Array.from({ length: large.length }, (_, i) => large.charCodeAt(i));
    const expected = new Uint8Array(units.flatMap((unit) => [unit & 0xff, unit >> 8]));
    expect(large.length).toBeGreaterThan(4096);
    const encoded = encodeUtf16le(large);
    expect(encoded.byteLength).toBe(large.length * 2);
    expect(encoded).toEqual(expected);
    // Piece by piece (each under the threshold) gives the same bytes.
    expect(new Uint8Array([...encodeUtf16le(piece)])).toEqual(expected.slice(0, piece.length * 2));
  });
});

describe('to_csv a record at a time, for a streamed renderer', () => {
  it('heading + each record line is csvText of the list (a first record with a member)', () => {
    const rows: LegacyObject[] = [
      { id: '1', name: 'Acme & Sons', n: 3 },
      { id: '2', name: 'quote " and \\"', n: 0.5 },
      {},
    ];
    expect(csvHeadingLine(rows[0]!) + rows.map(csvRecordLine).join('')).toBe(csvText(rows));
  });
});
