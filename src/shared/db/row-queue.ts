import type { PoolConnection } from 'mysql2';

/**
 * Batches of a streamed query waiting for their reader beyond which the socket is paused. One 64 KB
 * socket read holds several batches of metric rows: with a limit of 4 the socket was paused after
 * nearly every read, and the reader then waited for a read to be asked for and to arrive
 * (`npm run bench:profile` measures it; 32 was no better than 16). Held: at most 16 ×
 * STREAM_CHUNK_ROWS rows per query.
 */
const MAX_QUEUED_BATCHES = 16;

/**
 * The rows of one streamed query, in batches, between mysql2 (which emits them one by one as it
 * parses a socket read) and the reader (an async iterator).
 *
 * Batches: rows parsed in one go are handed over together (at most `batchRows`), so the layers
 * above (Kysely's stream, the renderer) pay one await per batch, not per row.
 *
 * Backpressure: beyond MAX_QUEUED_BATCHES unread batches (one before the reader's first call) the
 * connection is paused (mysql2 stops reading the socket, and MariaDB blocks writing), so memory
 * stays flat whatever the row count.
 *
 * Budget: mysql2's `timeout` is one timer for the whole query, however long a healthy 365-day
 * account takes to stream and however slowly the client reads it: with it, a large download
 * would be cut at 10 s by design. A stream gets the same budget as an inactivity limit instead:
 * whenever the reader waits for rows, MariaDB must deliver some within `budgetMs`. The first rows
 * are included, so a query that takes longer than the budget to start answering (the sort of a
 * whole window) still fails with PROTOCOL_SEQUENCE_TIMEOUT before any byte is sent, as a
 * buffered query would; a stalled stream fails the same way mid-body. Time spent waiting for a
 * slow client (queue full, socket paused) is not counted.
 */
export class RowQueue {
  private batches: unknown[][] = [];
  private current: unknown[] = [];
  private sealing = false;
  private paused = false;
  /**
   * Until the reader first asks for rows (a query sent ahead of its turn, streamRowsInTurn), one
   * batch is enough: MariaDB has prepared the result, and rows queued long before they are read
   * outlive the young generation (V8 promotes them, and the old one fills with them).
   */
  private limit = 1;
  private done = false;
  private error: unknown;
  private waiting: { resolve(batch: unknown[] | undefined): void; reject(error: unknown): void } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly connection: PoolConnection,
    private readonly batchRows: number,
    private readonly budgetMs: number,
  ) {}

  readonly add = (row: unknown) => {
    this.current.push(row);
    if (this.current.length >= this.batchRows) this.seal();
    else if (!this.sealing) {
      // The rest of this socket read is parsed synchronously: seal once it has been.
      this.sealing = true;
      queueMicrotask(this.seal);
    }
  };

  // mysql2 emits `end` after a failed query's `error` too: the failure stands. A failure after a
  // complete result (the connection lost later) changes nothing.
  readonly end = () => {
    this.seal();
    if (this.error === undefined) this.done = true;
    this.wake();
  };

  readonly fail = (error: unknown) => {
    if (this.done) return;
    this.error ??= error;
    this.wake();
  };

  private readonly seal = () => {
    this.sealing = false;
    if (this.current.length === 0) return;
    this.batches.push(this.current);
    this.current = [];
    if (this.batches.length >= this.limit && !this.paused) {
      this.paused = true;
      this.connection.pause();
    }
    this.wake();
  };

  /** The next batch, undefined after the last; after the rows read before it, the failure. */
  next(): Promise<unknown[] | undefined> {
    this.limit = MAX_QUEUED_BATCHES;
    const batch = this.batches.shift();
    if (batch) {
      if (this.paused && this.batches.length < this.limit) {
        this.paused = false;
        // May parse queued packets at once (add() → seal()), possibly pausing again.
        this.connection.resume();
      }
      return Promise.resolve(batch);
    }
    if (this.done) return Promise.resolve(undefined);
    if (this.error !== undefined) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.timer = setTimeout(() => {
        this.fail(
          Object.assign(new Error('No row within the query budget'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' }),
        );
      }, this.budgetMs);
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(this.timer);
    this.next().then(waiting.resolve, waiting.reject);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
