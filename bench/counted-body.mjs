// Response bodies read without being kept: the rows counted as they stream (JSON `{"date":`
// objects, or CSV lines), and getCounted, a GET that returns only what the benchmark reports of
// its body (status, bytes, rows, times, head and tail).
import { readBody } from './worker.mjs';

/** Counts `{"date":` objects in a JSON body as it streams. */
export function jsonRowCounter() {
  const needle = Buffer.from('{"date":');
  let carry = Buffer.alloc(0);
  let rows = 0;
  return {
    push(chunk) {
      const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (let i = buffer.indexOf(needle); i !== -1; i = buffer.indexOf(needle, i + needle.length)) rows++;
      carry = buffer.subarray(Math.max(0, buffer.length - needle.length + 1));
    },
    get rows() {
      return rows;
    },
  };
}

/** Counts the rows of a body as it streams: CSV lines minus the header, or JSON `{"date":` objects. */
export function rowCounter(format) {
  if (format !== 'csv') return jsonRowCounter();
  let lines = 0;
  return {
    push(chunk) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    },
    get rows() {
      return Math.max(0, lines - 1);
    },
  };
}

/** GET with node:http, the body counted not kept: status, bytes, rows, times, head and tail. */
export async function getCounted(url, headers, timeoutMs) {
  const result = { status: undefined, bytes: 0, error: undefined, aborted: false };
  const counter = jsonRowCounter();
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const start = performance.now();
  try {
    const response = await readBody(url, headers, {
      signal: abort.signal,
      onChunk(chunk) {
        result.firstByteMs ??= performance.now() - start;
        result.bytes += chunk.byteLength;
        counter.push(chunk);
        if (head.length < 400) head = Buffer.concat([head, chunk.subarray(0, 400 - head.length)]);
        tail = chunk.length >= 64 ? chunk.subarray(-64) : Buffer.concat([tail, chunk]).subarray(-64);
      },
    });
    result.status = response.status;
  } catch (error) {
    result.aborted = abort.signal.aborted;
    result.error = result.aborted
      ? `aborted after ${timeoutMs / 1000} s`
      : (error.cause?.message ?? error.message);
  } finally {
    clearTimeout(timer);
  }
  result.totalMs = performance.now() - start;
  result.rows = counter.rows;
  result.head = head.toString('utf8');
  result.tail = tail.toString('utf8');
  return result;
}
