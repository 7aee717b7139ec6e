import type { Context } from 'hono';
import type { AppEnv } from '../env';
import type { LegacyRowParts } from '../legacy/types';
import { configOf, type StreamSettings } from '../shared/config';
import { ApiError } from '../shared/errors/api-error';
import { apiErrorOf } from '../shared/errors/database';
import { logEvent } from '../shared/observability/logger';
import { bodyFormat } from './formats';
import { type ChunkSource, pumpBody } from './pump';
import { RowEncoder } from './row-encoder';

/** Rows are batched into chunks of the body of about this many bytes, not enqueued one by one. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Room in a chunk beyond STREAM_CHUNK_BYTES for the row that crosses it (a longer row grows the
 * chunk): every chunk's buffer is allocated at this size, and waits for V8's collector once sent.
 */
const CHUNK_SLACK_BYTES = 4 * 1024;

/**
 * A stream's limits (src/shared/config). `readerStallMs` (STREAM_READER_STALL_MS): how long a chunk
 * may wait for the reader before the stream is given up (checked once a period, so after one to
 * two of them): a reader that is slow but reading keeps its stream, one that has stopped reading
 * without going away would otherwise hold a database connection for as long as its TCP
 * connection lives. `maxDurationMs` (STREAM_MAX_DURATION_MS): how long one body may last from
 * the start of its rendering, however steadily it is read: past it the body is aborted.
 */
export type StreamLimits = Pick<StreamSettings, 'readerStallMs' | 'maxDurationMs'>;

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

/** The rows of batches one at a time; `inHand` tells whether the next needs no await. */
class RowReader {
  private batch: readonly LegacyRowParts[] = [];
  private at = 0;

  constructor(readonly iterator: AsyncIterator<readonly LegacyRowParts[]>) {}

  get inHand(): boolean {
    return this.at < this.batch.length;
  }

  /** The next row of the current batch (inHand must be true). */
  take(): LegacyRowParts {
    return this.batch[this.at++]!;
  }

  /** The next row, reading the next non-empty batch when needed; undefined after the last. */
  async next(): Promise<LegacyRowParts | undefined> {
    while (this.at >= this.batch.length) {
      const next = await this.iterator.next();
      if (next.done) return undefined;
      this.batch = next.value;
      this.at = 0;
    }
    return this.batch[this.at++];
  }
}

/**
 * A legacy success body `{"data":[rows]}` rendered while `rows` are produced, in batches: the same
 * bytes and Content-Type renderLegacy gives for `{ data: [...rows] }` (each row merged from its
 * parts), in every format (RowEncoder), sent as the reader takes it (pumpBody).
 *
 * Before the response exists, the first row is read (the CSV heading and an empty list's own form
 * need it; so does a JSONP Content-Type, which may read a few characters more): a failure up to
 * there is an ordinary error response (404, 503, 504…). After it, a failure aborts the body, so
 * the transfer is visibly broken; one error line is logged. The same happens to a body still
 * running at `limits.maxDurationMs`, or whose reader has stopped for `limits.readerStallMs`
 * (StreamLimits). Cancelling the body (the client went away) closes `rows`, whose cleanup
 * releases what it holds.
 */
export async function renderLegacyStream(
  c: Context<AppEnv>,
  rows: AsyncIterable<readonly LegacyRowParts[]>,
  chunkBytes = STREAM_CHUNK_BYTES,
  limits: StreamLimits = configOf(c.env).stream,
): Promise<Response> {
  const { readerStallMs, maxDurationMs } = limits;
  const endsAt = Date.now() + maxDurationMs;
  const format = bodyFormat(c);
  const reader = new RowReader(rows[Symbol.asyncIterator]());
  const encoder = new RowEncoder(format, chunkBytes + CHUNK_SLACK_BYTES);
  // What the request line reports once the body has ended (src/middleware/request-log.ts).
  const progress = { rows: 0 };
  c.set('bodyProgress', progress);
  let sent = 0;
  let finished = false;

  // The opening: the head and the first row(s), read before the response exists. A JSONP
  // Content-Type depends on the first `reach` bytes (at most JSONP_TYPE_BOUND + 2: about a chunk).
  let opening: Uint8Array;
  try {
    const first = await reader.next();
    if (first === undefined) {
      const empty = format.rows.empty;
      return c.body(encoder.empty() as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': format.contentType(empty),
      });
    }
    encoder.opening(first);
    encoder.row(first);
    while (encoder.size < format.reach && !finished) {
      const row = await reader.next();
      if (row === undefined) {
        finished = true;
        encoder.closing();
      } else encoder.row(row);
    }
    opening = encoder.take();
  } catch (error) {
    await closeQuietly(reader.iterator);
    throw error;
  }
  const bodyStart = format.reach > 0 ? new TextDecoder().decode(opening) : '';
  const headers = { 'Content-Type': format.contentType(bodyStart) };
  if (finished) return c.body(opening as Uint8Array<ArrayBuffer>, 200, headers);
  if (c.req.method === 'HEAD') {
    // Hono drops a HEAD body unread: nothing would ever pull or cancel it.
    await closeQuietly(reader.iterator);
    return c.body(null, 200, headers);
  }

  const source: ChunkSource = {
    // Writes rows until a chunk's worth of bytes is ready or the rows end (then the closing is
    // written). Rows already in hand are written without an await in between.
    async next(stopped) {
      while (!finished && !stopped() && encoder.size < chunkBytes) {
        if (reader.inHand) {
          encoder.row(reader.take());
          continue;
        }
        const row = await reader.next();
        if (row === undefined) {
          finished = true;
          encoder.closing();
        } else {
          encoder.row(row);
        }
      }
      return { chunk: encoder.take(), last: finished };
    },
    enqueued(chunk) {
      if (chunk === 'next') sent = encoder.rows;
      progress.rows = encoder.rows;
    },
    close: () => closeQuietly(reader.iterator),
  };
  const failure = {
    request_id: c.get('requestId'),
    endpoint: c.get('route')?.template ?? null,
    version: c.get('route')?.version ?? null,
    format: c.get('format') ?? null,
  };
  // The head and the first row(s) go out at once: the response has visibly started before the
  // rest is read, so a later failure can only ever look like a broken transfer.
  const body = pumpBody({
    opening,
    source,
    readerStallMs,
    endsAt,
    onAbort: (thrown, code) => {
      // A database failure is logged with the status it would have been answered with.
      const error = apiErrorOf(thrown);
      logEvent('error', 'response.stream_aborted', {
        ...failure,
        rows_sent: sent,
        status: error instanceof ApiError ? error.status : 500,
        code: code ?? errorCode(error),
      });
    },
  });
  return c.body(body, 200, headers);
}
