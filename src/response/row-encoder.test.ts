import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../test/support/bytes';
import type { LegacyObject, LegacyRowParts } from '../legacy/types';
import type { BodyFormat } from './formats';
import { csv } from './formats/csv';
import { json } from './formats/json';
import { jsonp } from './formats/jsonp';
import { xml } from './formats/xml';
import { RowEncoder } from './row-encoder';

// The pure half of a streamed body: rows in, bytes out, no stream. Its bytes must be the
// whole-body render's for the same rows, byte for byte (the pump only decides when they go out).

/** Each format, with the Content-Type both paths must give for these rows. */
const FORMATS: [string, BodyFormat, string][] = [
  ['json', json, 'application/json; charset=utf-8'],
  ['jsonp with a valid callback', jsonp('cb'), 'application/javascript; charset=utf-8'],
  ['jsonp with an invalid callback (the warning member)', jsonp('1bad'), 'application/json; charset=utf-8'],
  ['jsonp with an empty callback', jsonp(''), 'application/javascript; charset=utf-8'],
  [
    'jsonp with a callback matching the body',
    jsonp('{"data":.{"date"'),
    'application/javascript; charset=utf-8',
  ],
  ['xml', xml, 'application/xml; charset=utf-8'],
  ['csv', csv, 'application/csv; charset=utf-8'],
];

const ROW = (i: number): LegacyObject => ({
  date: `2026-11-${String(i + 1).padStart(2, '0')}`,
  advertiser_id: String(11 + i),
  advertiser_name: i % 2 === 0 ? 'Acme & Sons <b>"quoted"</b>' : `Café 𝄞 ${i}\r\nline`,
  campaign_name: 'back\\slash, comma; tab\there 😀 &amp;',
  impressions: i * 1000,
  clicks: 2 ** 31 + i,
  ctr: i + 0.25,
  negative_zero: -0,
  flag: i % 2 === 0,
  nothing: null,
});

/** `row` as a stream gives it: its first key and the next two as shared parts (`names` by identity). */
function partsOf(row: LegacyObject, names: Map<string, LegacyObject>): LegacyRowParts {
  const [date, id, name, ...own] = Object.entries(row);
  const key = JSON.stringify([id, name]);
  if (!names.has(key)) names.set(key, Object.fromEntries([id!, name!]));
  return { shared: [Object.fromEntries([date!]), names.get(key)!], own: Object.fromEntries(own) };
}

/** The rows through a RowEncoder, a chunk taken after each row, and the Content-Type of the result. */
function encode(format: BodyFormat, rows: LegacyRowParts[]): { bytes: Uint8Array; contentType: string } {
  const encoder = new RowEncoder(format, 16);
  const [first] = rows;
  if (first === undefined)
    return { bytes: encoder.empty(), contentType: format.contentType(format.rows.empty) };
  const chunks: Uint8Array[] = [];
  encoder.opening(first);
  for (const row of rows) {
    encoder.row(row);
    chunks.push(encoder.take());
  }
  encoder.closing();
  chunks.push(encoder.take());
  expect(encoder.rows).toBe(rows.length);
  const bytes = concatBytes(chunks);
  return { bytes, contentType: format.contentType(format.reach > 0 ? new TextDecoder().decode(bytes) : '') };
}

describe.each(FORMATS)('RowEncoder, %s: the bytes of the whole-body render', (_, format, contentType) => {
  const agree = (merged: LegacyObject[], parts: LegacyRowParts[]) => {
    const whole = format.render({ data: merged });
    const streamed = encode(format, parts);
    expect(streamed.bytes).toEqual(whole.bytes);
    expect(streamed.contentType).toBe(whole.contentType);
    return whole;
  };
  const rowsOf = (count: number) => {
    const merged = Array.from({ length: count }, (_, i) => ROW(i % 3));
    const names = new Map<string, LegacyObject>();
    return { merged, parts: merged.map((row) => partsOf(row, names)) };
  };

  it('no rows', () => {
    agree([], []);
  });

  it('one row', () => {
    const { merged, parts } = rowsOf(1);
    expect(agree(merged, parts).contentType).toBe(contentType);
  });

  it('several rows, shared parts reused by identity', () => {
    const { merged, parts } = rowsOf(7);
    expect(agree(merged, parts).contentType).toBe(contentType);
  });

  it('a row given whole, without shared parts', () => {
    agree(
      [ROW(0), ROW(1)],
      [ROW(0), ROW(1)].map((own) => ({ shared: [], own })),
    );
  });
});

describe.each(FORMATS.filter(([, format]) => format !== csv))(
  'RowEncoder, %s: a row without members',
  (_, format) => {
    it('is written as the render writes an empty object, first or later, with empty parts', () => {
      const rows: LegacyRowParts[] = [
        { shared: [{}], own: {} },
        { shared: [{ a: 1 }], own: {} },
        { shared: [], own: {} },
        { shared: [{}], own: { b: '' } },
      ];
      expect(encode(format, rows).bytes).toEqual(
        format.render({ data: [{}, { a: 1 }, {}, { b: '' }] }).bytes,
      );
    });
  },
);

describe('RowEncoder, csv', () => {
  it('refuses a first row without members: to_csv would need the later rows to decide', () => {
    const encoder = new RowEncoder(csv, 16);
    expect(() => encoder.opening({ shared: [{}], own: {} })).toThrow(TypeError);
  });

  it('writes UTF-16LE: two bytes per code unit, as the render', () => {
    const { bytes } = encode(csv, [{ shared: [], own: { a: 'é' } }]);
    expect([...bytes]).toEqual([0x61, 0, 0x0a, 0, 0xe9, 0, 0x0a, 0]);
  });
});
