import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';
import {
  CSV_PART_RULES,
  csvHeadingLine,
  csvRecordFields,
  csvText,
  encodeJsonMembers,
  encodeUtf16le,
  JSON_PART_RULES,
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  xmlAround,
  xmlMembers,
  xmlPartRules,
} from '../legacy';
import type { LegacyObject, LegacyPartRules, LegacyRowParts, LegacyValue } from '../legacy/types';
import { logEvent } from '../observability/logger';
import { CONTENT_TYPES } from './render';

/** Rows are batched into chunks of the body of about this many bytes, not enqueued one by one. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * How long a chunk may wait for the reader before the stream is given up (STREAM_READER_STALL_MS).
 * A reader that is slow but reading keeps its stream, however long the body takes; one that has
 * stopped reading without going away would otherwise hold a database connection for as long as
 * its TCP connection lives.
 */
export const DEFAULT_READER_STALL_MS = 60_000;

function readerStallOf(env: { STREAM_READER_STALL_MS?: string | undefined } | undefined): number {
  const configured = Number(env?.STREAM_READER_STALL_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_READER_STALL_MS;
}

/** How one format writes `{"data":[rows]}` a row at a time (the legacy functions, split). */
interface RowWriter {
  /** The Content-Type, from at least the first `reach` characters of the body (or all of it). */
  contentType(bodyStart: string): string;
  reach: number;
  /** What precedes the rows; the CSV heading needs the first row (merged). */
  head(first: LegacyObject): string;
  /** The members of one part of a row in this format, undefined when it has none. */
  members(part: LegacyObject): string | undefined;
  /** How a row is written from its parts' members. */
  parts: LegacyPartRules;
  /** What separates two rows. */
  between: string;
  tail: string;
  /** The whole body without rows: some formats write an empty list differently. */
  empty: string;
  encode(text: string): Uint8Array;
  /** Bytes per character of `encode`, to size chunks (UTF-8: 1 for the ASCII that rows mostly are). */
  charBytes: number;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
/**
 * The same text, as a one-byte string when it can be. Text decoded from the database arrives as
 * two-byte strings in workerd even when it is ASCII, and one two-byte piece makes V8 copy a whole
 * chunk as two-byte text and encode it the slow way (measured: a fifth of a 365-day stream's CPU).
 * Done once per shared part; a text the round trip would change (a lone surrogate) is kept as is.
 */
const compact = (text: string) => {
  const decoded = utf8Decoder.decode(utf8.encode(text));
  return decoded === text ? decoded : text;
};
// Chunks hold whole rows, so a surrogate pair is never split across two encode() calls; UTF-16LE
// would not care anyway (one code unit → two bytes), UTF-8 would.
const encodeUtf8 = (text: string) => utf8.encode(text);

function rowWriter(c: Context<AppEnv>): RowWriter {
  // The rows' place in the body, by identity: the legacy functions split the body around it.
  const list: LegacyValue[] = [];
  const body: LegacyObject = { data: list };
  switch (c.var.format) {
    case 'xml': {
      const { head, itemName, tail, empty } = xmlAround(body, list);
      return {
        contentType: () => CONTENT_TYPES.xml,
        reach: 0,
        head: () => head,
        members: (part) => xmlMembers(itemName, part) || undefined,
        parts: xmlPartRules(itemName),
        between: '',
        tail,
        empty,
        encode: encodeUtf8,
        charBytes: 1,
      };
    }
    case 'csv':
      return {
        contentType: () => CONTENT_TYPES.csv,
        reach: 0,
        head: (first) => {
          // With a member in its first record the list is to_csv's multi-dimensional case: heading,
          // then one line per record. Without one, to_csv would need the later rows to decide.
          if (Object.keys(first).length === 0) throw new TypeError('streamed CSV: the first row is empty');
          return csvHeadingLine(first);
        },
        members: csvRecordFields,
        parts: CSV_PART_RULES,
        between: '',
        tail: '',
        empty: csvText([]),
        encode: encodeUtf16le,
        charBytes: 2,
      };
    default: {
      const callback = c.req.query('callback');
      const { head, tail } = jsonpAround(callback, body, list);
      return {
        contentType: (bodyStart) => jsonpContentType(callback, bodyStart),
        reach: jsonpContentTypeReach(callback),
        head: () => head,
        members: encodeJsonMembers,
        parts: JSON_PART_RULES,
        between: ',',
        tail,
        empty: head + tail,
        encode: encodeUtf8,
        charBytes: 1,
      };
    }
  }
}

async function closeQuietly(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // Already failing or finished: the source's own cleanup has run or reported.
  }
}

function errorCode(error: unknown): string {
  const source = error instanceof ApiError && error.cause !== undefined ? error.cause : error;
  if (typeof source === 'object' && source !== null && 'code' in source) return String(source.code);
  return source instanceof Error ? source.name : typeof source;
}

/** The merged row of its parts (LegacyRowParts): what the CSV heading is read from. */
const merged = (row: LegacyRowParts): LegacyObject => Object.assign({}, ...row.shared, row.own);

/**
 * A legacy success body `{"data":[rows]}` rendered while `rows` are produced, in batches: the same
 * bytes and Content-Type renderLegacy gives for `{ data: [...rows] }` (each row merged from its
 * parts), in every format. A shared part of a row is encoded once and remembered by identity.
 *
 * Before the response exists, the first row is read (the CSV heading and an empty list's own form
 * need it; so does a JSONP Content-Type, which may read a few characters more): a failure up to
 * there is an ordinary error response (404, 503, 504…). After it, a failure aborts the body
 * (`controller.error`), so the transfer is visibly broken: it never ends with the closing
 * `]}` / `</xml>`, and a chunked response lacks its final chunk. One error line is logged.
 * Cancelling the body (the client went away) closes `rows`, whose cleanup releases what it holds.
 */
export async function renderLegacyStream(
  c: Context<AppEnv>,
  rows: AsyncIterable<readonly LegacyRowParts[]>,
  chunkBytes = STREAM_CHUNK_BYTES,
  readerStallMs = readerStallOf(c.env),
): Promise<Response> {
  const writer = rowWriter(c);
  const chunkChars = Math.max(1, Math.floor(chunkBytes / writer.charBytes));
  const iterator = rows[Symbol.asyncIterator]();
  const sharedMembers = new WeakMap<LegacyObject, string | null>();
  let batch: readonly LegacyRowParts[] = [];
  let nextInBatch = 0;
  // The text of the next chunk, a rope: V8 links the pieces, and encoding it copies them once.
  let pending = '';
  let count = 0;
  let sent = 0;
  let finished = false;
  let cancelled = false;
  const push = (text: string) => {
    pending += text;
  };
  const take = () => {
    const text = pending;
    pending = '';
    return text;
  };
  // One row's text from its parts. Plain concatenation on purpose: V8 links the pieces (no copy)
  // and take() copies each chunk once.
  const { open, separator, close, empty } = writer.parts;
  const rowText = (row: LegacyRowParts) => {
    let members: string | undefined;
    for (const part of row.shared) {
      let encoded = sharedMembers.get(part);
      if (encoded === undefined) {
        encoded = writer.members(part) ?? null;
        if (encoded !== null) encoded = compact(encoded);
        sharedMembers.set(part, encoded);
      }
      if (encoded !== null) members = members === undefined ? encoded : members + separator + encoded;
    }
    const own = writer.members(row.own);
    if (own !== undefined) members = members === undefined ? own : members + separator + own;
    const text = members === undefined ? empty : open + members + close;
    return count++ === 0 ? text : writer.between + text;
  };
  /** The next row, reading the next non-empty batch when needed; undefined after the last. */
  const nextRow = async (): Promise<LegacyRowParts | undefined> => {
    while (nextInBatch >= batch.length) {
      const next = await iterator.next();
      if (next.done) return undefined;
      batch = next.value;
      nextInBatch = 0;
    }
    return batch[nextInBatch++];
  };
  // Reads rows until `chars` characters are pending or the rows end (then the tail is pending).
  // Rows already in hand are rendered without an await in between.
  const fill = async (chars: number) => {
    while (!finished && !cancelled && pending.length < chars) {
      if (nextInBatch < batch.length) {
        push(rowText(batch[nextInBatch++]!));
        continue;
      }
      const row = await nextRow();
      if (row === undefined) {
        finished = true;
        push(writer.tail);
      } else {
        push(rowText(row));
      }
    }
  };

  try {
    const first = await nextRow();
    if (first === undefined) {
      const empty = writer.empty;
      return c.body(writer.encode(empty) as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': writer.contentType(empty),
      });
    }
    push(writer.head(merged(first)));
    push(rowText(first));
    await fill(writer.reach);
  } catch (error) {
    await closeQuietly(iterator);
    throw error;
  }
  const start = take();
  const headers = { 'Content-Type': writer.contentType(start) };
  if (finished) return c.body(writer.encode(start) as Uint8Array<ArrayBuffer>, 200, headers);
  if (c.req.method === 'HEAD') {
    // Hono drops a HEAD body unread: nothing would ever pull or cancel it.
    await closeQuietly(iterator);
    return c.body(null, 200, headers);
  }
  // The head and the first row(s) go out at once: the response has visibly started before the
  // rest is read, so a later failure can only ever look like a broken transfer.
  let opening: string | undefined = start;

  const failure = {
    request_id: c.var.requestId,
    endpoint: c.var.route?.template ?? null,
    version: c.var.route?.version ?? null,
    format: c.var.format ?? null,
  };
  // Armed whenever a chunk waits for the reader; the reader's next pull disarms it.
  let stall: ReturnType<typeof setTimeout> | undefined;
  const abort = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
    error: unknown,
    code: string,
  ) => {
    clearTimeout(stall);
    logEvent('error', 'response.stream_aborted', {
      ...failure,
      rows_sent: sent,
      status: error instanceof ApiError ? error.status : 500,
      code,
    });
    controller.error(error);
    await closeQuietly(iterator);
  };
  const awaitReader = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    stall = setTimeout(() => {
      cancelled = true; // nothing more is read or enqueued
      void abort(controller, new Error('the reader stopped taking the body'), 'READER_STALLED');
    }, readerStallMs);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      clearTimeout(stall);
      if (opening !== undefined) {
        controller.enqueue(writer.encode(opening));
        opening = undefined;
        awaitReader(controller);
        return;
      }
      try {
        await fill(chunkChars);
        // Cancelled while rows were awaited: the reader is gone, nothing more is enqueued.
        if (cancelled) return;
        controller.enqueue(writer.encode(take()));
        sent = count;
        if (finished) controller.close();
        else awaitReader(controller);
      } catch (error) {
        if (cancelled) return;
        await abort(controller, error, errorCode(error));
      }
    },
    async cancel() {
      cancelled = true;
      clearTimeout(stall);
      // Waits for a pull's pending read of `rows`, if any, then closes them.
      await closeQuietly(iterator);
    },
  });
  return c.body(body, 200, headers);
}
