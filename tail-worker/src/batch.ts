// Records → Log API payloads: as few POSTs as the limits allow, in the order the records came.
import type { Attribute, LogRecord } from './records';

/**
 * New Relic takes at most 10^6 bytes per POST. The bound applies to the JSON before gzip, which
 * never grows it by more than a few dozen bytes, so the compressed body is within it too.
 */
export const MAX_POST_BYTES = 950_000;
/** Records per POST: keeps one failed POST (and its retries) small. */
export const MAX_RECORDS_PER_POST = 1_000;

export interface Limits {
  maxBytes: number;
  maxRecords: number;
}

export interface Batch {
  /** The payload: `[{"common":{"attributes":…},"logs":[…]}]`, UTF-8 JSON. */
  body: string;
  records: number;
  bytes: number;
}

const utf8 = new TextEncoder();

/**
 * Splits records into payloads sharing `common`. A record that cannot fit in a payload of its own
 * (records.ts bounds them far below that) is left out and counted in `oversized`.
 */
export function batches(
  records: readonly LogRecord[],
  common: Record<string, Attribute>,
  limits: Limits = { maxBytes: MAX_POST_BYTES, maxRecords: MAX_RECORDS_PER_POST },
): { batches: Batch[]; oversized: number } {
  const head = `[{"common":{"attributes":${JSON.stringify(common)}},"logs":[`;
  const tail = ']}]';
  const envelope = utf8.encode(head).length + utf8.encode(tail).length;
  const out: Batch[] = [];
  let oversized = 0;
  let parts: string[] = [];
  let bytes = envelope;
  const flush = () => {
    if (parts.length === 0) return;
    out.push({ body: head + parts.join(',') + tail, records: parts.length, bytes });
    parts = [];
    bytes = envelope;
  };
  for (const record of records) {
    const json = JSON.stringify(record);
    const size = utf8.encode(json).length;
    if (envelope + size > limits.maxBytes) {
      oversized++;
      continue;
    }
    const separator = parts.length > 0 ? 1 : 0;
    if (parts.length >= limits.maxRecords || bytes + separator + size > limits.maxBytes) flush();
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(json);
  }
  flush();
  return { batches: out, oversized };
}
