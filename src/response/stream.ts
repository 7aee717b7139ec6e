import type { Context } from 'hono';
import { configOf, type StreamSettings } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';
import {
  CSV_CONTENT_TYPE,
  CSV_PART_RULES,
  csvFieldText,
  csvHeadingLine,
  csvRecordFields,
  csvText,
  encodeJson,
  encodeJsonMembers,
  encodeJsonName,
  isPhpInt32,
  JSON_PART_RULES,
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  XML_CONTENT_TYPE,
  xmlAround,
  xmlMembers,
  xmlPartRules,
} from '../legacy';
import type { LegacyObject, LegacyPartRules, LegacyRowParts, LegacyValue } from '../legacy/types';
import { logEvent } from '../observability/logger';
import { jsonpCallback } from '../request/query';
import { type BodyEncoding, ChunkBuilder, encodeText } from './chunk-builder';

/** Rows are batched into chunks of the body of about this many bytes, not enqueued one by one. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Room in a chunk beyond STREAM_CHUNK_BYTES for the row that crosses it (a longer row grows the
 * chunk): every chunk's buffer is allocated at this size, and waits for V8's collector once sent.
 */
const CHUNK_SLACK_BYTES = 4 * 1024;

/**
 * A stream's limits (src/config). `readerStallMs` (STREAM_READER_STALL_MS): how long a chunk
 * may wait for the reader before the stream is given up (checked once a period, so after one to
 * two of them): a reader that is slow but reading keeps its stream, one that has stopped reading
 * without going away would otherwise hold a database connection for as long as its TCP
 * connection lives. `maxDurationMs` (STREAM_MAX_DURATION_MS): how long one body may last from
 * the start of its rendering, however steadily it is read: past it the body is aborted.
 */
export type StreamLimits = Pick<StreamSettings, 'readerStallMs' | 'maxDurationMs'>;

/** How one format writes `{"data":[rows]}` a row at a time (the legacy functions, split). */
interface RowWriter {
  /** The Content-Type, from at least the first `reach` UTF-8 bytes of the body (or all of it). */
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
  encoding: BodyEncoding;
  /**
   * Optional: writes the members of a part straight into the chunk (what `members` returns, as
   * bytes), `opener` before the first; false when the part has none (nothing written).
   */
  writeMembers?(builder: ChunkBuilder, part: LegacyObject, opener: Uint8Array): boolean;
}

/**
 * Writes a part's members straight into the chunk: before each, its prefix (`prefix(key, first)`:
 * the JSON name, or the CSV comma), then the value, an integer as its digits (isPhpInt32), any
 * other value as `text(value)`. The bytes `members` would give, without making its string.
 */
function memberWriter(
  prefix: (key: string, first: boolean) => Uint8Array,
  text: (value: LegacyValue) => string,
): NonNullable<RowWriter['writeMembers']> {
  return (builder, part, opener) => {
    let first = true;
    for (const key in part) {
      if (first) builder.bytes(opener);
      builder.bytes(prefix(key, first));
      first = false;
      const value = part[key]!;
      if (isPhpInt32(value)) builder.int32(value);
      else builder.text(text(value));
    }
    return !first;
  };
}

/** JSON members (encodeJsonMembers): each name encoded once per writer, with and without its comma. */
function jsonMemberWriter(): NonNullable<RowWriter['writeMembers']> {
  const names = new Map<string, { first: Uint8Array; later: Uint8Array }>();
  const prefix = (key: string, first: boolean) => {
    let encoded = names.get(key);
    if (encoded === undefined) {
      const name = encodeJsonName(key);
      encoded = { first: encodeText(name, 'utf8'), later: encodeText(`,${name}`, 'utf8') };
      if (names.size < 256) names.set(key, encoded);
    }
    return first ? encoded.first : encoded.later;
  };
  return memberWriter(prefix, encodeJson);
}

/** CSV fields (csvRecordFields): a comma between them, each by fputcsv's rules. */
function csvFieldWriter(): NonNullable<RowWriter['writeMembers']> {
  const none = new Uint8Array(0);
  const comma = encodeText(',', 'utf16le');
  return memberWriter((_, first) => (first ? none : comma), csvFieldText);
}

function rowWriter(c: Context<AppEnv>): RowWriter {
  // The rows' place in the body, by identity: the legacy functions split the body around it.
  const list: LegacyValue[] = [];
  const body: LegacyObject = { data: list };
  switch (c.var.format) {
    case 'xml': {
      const { head, itemName, tail, empty } = xmlAround(body, list);
      return {
        contentType: () => XML_CONTENT_TYPE,
        reach: 0,
        head: () => head,
        members: (part) => xmlMembers(itemName, part) || undefined,
        parts: xmlPartRules(itemName),
        between: '',
        tail,
        empty,
        encoding: 'utf8',
      };
    }
    case 'csv':
      return {
        contentType: () => CSV_CONTENT_TYPE,
        reach: 0,
        head: (first) => {
          // With a member in its first record the list is to_csv's multi-dimensional case: heading,
          // then one line per record. Without one, to_csv would need the later rows to decide.
          if (Object.keys(first).length === 0) throw new TypeError('streamed CSV: the first row is empty');
          return csvHeadingLine(first);
        },
        members: csvRecordFields,
        writeMembers: csvFieldWriter(),
        parts: CSV_PART_RULES,
        between: '',
        tail: '',
        empty: csvText([]),
        encoding: 'utf16le',
      };
    default: {
      const callback = jsonpCallback(c.req.raw);
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
        encoding: 'utf8',
        writeMembers: jsonMemberWriter(),
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
 * The same happens to a body still running at `limits.maxDurationMs`, or whose reader has stopped
 * for `limits.readerStallMs` (StreamLimits).
 * Cancelling the body (the client went away) closes `rows`, whose cleanup releases what it holds.
 */
export async function renderLegacyStream(
  c: Context<AppEnv>,
  rows: AsyncIterable<readonly LegacyRowParts[]>,
  chunkBytes = STREAM_CHUNK_BYTES,
  limits: StreamLimits = configOf(c.env).stream,
): Promise<Response> {
  const { readerStallMs, maxDurationMs } = limits;
  const endsAt = Date.now() + maxDurationMs;
  const writer = rowWriter(c);
  const iterator = rows[Symbol.asyncIterator]();
  const bytesOf = (text: string) => encodeText(text, writer.encoding);
  let batch: readonly LegacyRowParts[] = [];
  let nextInBatch = 0;
  let count = 0;
  let sent = 0;
  // What the request line reports once the body has ended (src/middleware/request-log.ts).
  const progress = { rows: 0 };
  c.set('bodyProgress', progress);
  let finished = false;
  let cancelled = false;
  const { open, separator, close, empty } = writer.parts;

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

  // The body as bytes: a shared part is encoded once (remembered by identity), the pieces that
  // never change once, and only each row's own part is encoded per row.
  const builder = new ChunkBuilder(writer.encoding, chunkBytes + CHUNK_SLACK_BYTES);
  const [closeBytes, emptyBytes, betweenEmptyBytes, tailBytes, openBytes, betweenOpenBytes, separatorBytes] =
    [close, empty, writer.between + empty, writer.tail, open, writer.between + open, separator].map(
      bytesOf,
    ) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  // A shared part's members with what precedes them: as the row's first members (of the first
  // row, or of a later one, after the separator between rows), or after other members.
  interface SharedBytes {
    firstOfFirstRow: Uint8Array;
    firstOfRow: Uint8Array;
    later: Uint8Array;
  }
  const sharedBytes = new WeakMap<LegacyObject, SharedBytes | null>();
  const sharedBytesOf = (part: LegacyObject) => {
    let encoded = sharedBytes.get(part);
    if (encoded === undefined) {
      const members = writer.members(part);
      encoded =
        members === undefined
          ? null
          : {
              firstOfFirstRow: bytesOf(open + members),
              firstOfRow: bytesOf(writer.between + open + members),
              later: bytesOf(separator + members),
            };
      sharedBytes.set(part, encoded);
    }
    return encoded;
  };
  const writeOwn: NonNullable<RowWriter['writeMembers']> =
    writer.writeMembers ??
    ((chunk, part, opener) => {
      const members = writer.members(part);
      if (members === undefined) return false;
      chunk.bytes(opener);
      chunk.text(members);
      return true;
    });
  const writeRow = (row: LegacyRowParts) => {
    const firstRow = count++ === 0;
    let any = false;
    for (const part of row.shared) {
      const encoded = sharedBytesOf(part);
      if (encoded === null) continue;
      builder.bytes(any ? encoded.later : firstRow ? encoded.firstOfFirstRow : encoded.firstOfRow);
      any = true;
    }
    const opener = any ? separatorBytes : firstRow ? openBytes : betweenOpenBytes;
    if (writeOwn(builder, row.own, opener)) any = true;
    if (any) builder.bytes(closeBytes);
    else builder.bytes(firstRow ? emptyBytes : betweenEmptyBytes);
  };
  // The opening: the head and the first row(s), read before the response exists. A JSONP
  // Content-Type depends on the first `reach` bytes (at most JSONP_TYPE_BOUND + 2: about a chunk).
  let opening: Uint8Array | undefined;
  try {
    const first = await nextRow();
    if (first === undefined) {
      return c.body(bytesOf(writer.empty) as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': writer.contentType(writer.empty),
      });
    }
    builder.text(writer.head(merged(first)));
    writeRow(first);
    while (builder.size < writer.reach && !finished) {
      const row = await nextRow();
      if (row === undefined) {
        finished = true;
        builder.bytes(tailBytes);
      } else writeRow(row);
    }
    opening = builder.take();
  } catch (error) {
    await closeQuietly(iterator);
    throw error;
  }
  const bodyStart = writer.reach > 0 ? new TextDecoder().decode(opening) : '';
  const headers = { 'Content-Type': writer.contentType(bodyStart) };
  if (finished) return c.body(opening as Uint8Array<ArrayBuffer>, 200, headers);
  if (c.req.method === 'HEAD') {
    // Hono drops a HEAD body unread: nothing would ever pull or cancel it.
    await closeQuietly(iterator);
    return c.body(null, 200, headers);
  }

  // Writes rows until a chunk's worth of bytes is ready or the rows end (then the tail is written).
  // Rows already in hand are written without an await in between.
  const fill = async () => {
    while (!finished && !cancelled && builder.size < chunkBytes) {
      if (nextInBatch < batch.length) {
        writeRow(batch[nextInBatch++]!);
        continue;
      }
      const row = await nextRow();
      if (row === undefined) {
        finished = true;
        builder.bytes(tailBytes);
      } else {
        writeRow(row);
      }
    }
  };

  // The head and the first row(s) go out at once: the response has visibly started before the
  // rest is read, so a later failure can only ever look like a broken transfer.

  const failure = {
    request_id: c.var.requestId,
    endpoint: c.var.route?.template ?? null,
    version: c.var.route?.version ?? null,
    format: c.var.format ?? null,
  };
  // The reader's progress, checked by one timer at a time: each stall period it looks whether a
  // chunk is still waiting for the reader and no pull has come since the last look. (A timer per
  // chunk, set and cleared every 64 KB, was 2 % of a large body's isolate time, bench:profile.)
  // A reader that stops is given up after one to two periods.
  let stall: ReturnType<typeof setTimeout> | undefined;
  let pulls = 0;
  let waiting = false;
  let overtime: ReturnType<typeof setTimeout> | undefined;
  const abort = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
    error: unknown,
    code: string,
  ) => {
    clearTimeout(stall);
    clearTimeout(overtime);
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
    waiting = true;
    if (stall !== undefined) return;
    const seen = pulls;
    stall = setTimeout(() => {
      stall = undefined;
      if (!waiting || cancelled) return;
      if (pulls !== seen) {
        awaitReader(controller);
        return;
      }
      cancelled = true; // nothing more is read or enqueued
      void abort(controller, new Error('the reader stopped taking the body'), 'READER_STALLED');
    }, readerStallMs);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The duration cap, from the start of the rendering (the opening included). A body cut here
      // is aborted like any failure after the first byte: never a complete-looking one.
      overtime = setTimeout(
        () => {
          if (finished || cancelled) return;
          cancelled = true; // nothing more is read or enqueued
          void abort(controller, new Error('the stream passed its maximum duration'), 'STREAM_MAX_DURATION');
        },
        Math.max(0, endsAt - Date.now()),
      );
    },
    async pull(controller) {
      pulls++;
      waiting = false;
      if (opening !== undefined) {
        controller.enqueue(opening);
        progress.rows = count;
        opening = undefined;
        awaitReader(controller);
        return;
      }
      try {
        await fill();
        // Cancelled while rows were awaited: the reader is gone, nothing more is enqueued.
        if (cancelled) return;
        controller.enqueue(builder.take());
        sent = count;
        progress.rows = count;
        if (finished) {
          clearTimeout(stall);
          clearTimeout(overtime);
          controller.close();
        } else awaitReader(controller);
      } catch (error) {
        if (cancelled) return;
        await abort(controller, error, errorCode(error));
      }
    },
    async cancel() {
      cancelled = true;
      clearTimeout(stall);
      clearTimeout(overtime);
      // Waits for a pull's pending read of `rows`, if any, then closes them.
      await closeQuietly(iterator);
    },
  });
  return c.body(body, 200, headers);
}
