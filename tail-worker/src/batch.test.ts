import { describe, expect, it } from 'vitest';
import { batches, MAX_POST_BYTES, MAX_RECORDS_PER_POST } from './batch';
import type { LogRecord } from './records';

const COMMON = { environment: 'test', logtype: 'cloudflare-workers' };
const record = (i: number, message = `line ${i}`): LogRecord => ({
  timestamp: 1_764_000_000_000 + i,
  message,
  attributes: { level: 'INFO', n: i },
});
const bytesOf = (text: string) => new TextEncoder().encode(text).length;

describe('batches', () => {
  it('packs many records into few payloads of at most MAX_RECORDS_PER_POST, in order', () => {
    const records = Array.from({ length: 2_500 }, (_, i) => record(i));
    const { batches: out, oversized } = batches(records, COMMON);
    expect(oversized).toBe(0);
    expect(out.map((b) => b.records)).toEqual([MAX_RECORDS_PER_POST, MAX_RECORDS_PER_POST, 500]);
    const parsed = out.map((b) => JSON.parse(b.body) as Array<{ common: unknown; logs: LogRecord[] }>);
    for (const payload of parsed) {
      expect(payload).toHaveLength(1);
      expect(payload[0]!.common).toEqual({ attributes: COMMON });
    }
    expect(parsed.flatMap((p) => p[0]!.logs.map((l) => l.attributes.n))).toEqual(records.map((_, i) => i));
  });

  it('keeps each payload within MAX_POST_BYTES, counted in UTF-8 bytes', () => {
    // 15,000 two-byte characters (30 KB) each: 31 fit in 950,000 bytes, so 120 records make 4
    // payloads; counting characters instead of bytes would make 2, twice the limit each.
    const records = Array.from({ length: 120 }, (_, i) => record(i, 'é'.repeat(15_000)));
    const { batches: out } = batches(records, COMMON);
    expect(out.map((b) => b.records)).toEqual([31, 31, 31, 27]);
    for (const batch of out) {
      expect(batch.bytes).toBe(bytesOf(batch.body));
      expect(batch.bytes).toBeLessThanOrEqual(MAX_POST_BYTES);
    }
    expect(out.reduce((sum, b) => sum + b.records, 0)).toBe(120);
  });

  it('fills a payload up to the byte limit exactly, never over', () => {
    // Numbered 10..59: every record the same size.
    const records = Array.from({ length: 50 }, (_, i) => record(i + 10, 'x'.repeat(100)));
    const one = bytesOf(JSON.stringify(records[0]));
    const envelope = bytesOf(batches([records[0]!], COMMON).batches[0]!.body) - one;
    // Room for exactly 3 records and their 2 commas.
    const maxBytes = envelope + 3 * one + 2;
    const { batches: out } = batches(records, COMMON, { maxBytes, maxRecords: 1_000 });
    expect(out.slice(0, -1).every((b) => b.records === 3 && b.bytes === maxBytes)).toBe(true);
  });

  it('leaves out and counts a record that could never fit', () => {
    const { batches: out, oversized } = batches(
      [record(1), record(2, 'x'.repeat(5_000)), record(3)],
      COMMON,
      {
        maxBytes: 2_000,
        maxRecords: 10,
      },
    );
    expect(oversized).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]!.records).toBe(2);
  });

  it('makes no payload of no records', () => {
    expect(batches([], COMMON)).toEqual({ batches: [], oversized: 0 });
  });
});
