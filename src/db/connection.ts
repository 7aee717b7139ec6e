import type { Duplex } from 'node:stream';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  MysqlDialect,
  type QueryResult,
} from 'kysely';
import { createPool, type Pool, type PoolConnection, type PoolOptions, type TypeCast } from 'mysql2';
import { DEFAULTS } from '../config/defaults';
import { ApiError } from '../errors/api-error';
import { logEvent } from '../observability/logger';
import { MysqlSocket } from './socket';
import { limitStatement, SERVER_TIMEOUT_ERRNOS } from './statement-limit';
import { type TextRowField, type TextRowPacket, textRowReader } from './text-rows';

/**
 * Every column comes back as the string PHP mysqli (text protocol) would give: DATE, DATETIME,
 * DECIMAL and BIGINT included, NULL as null. Binary BLOBs keep mysql2's own decoding.
 */
export const mysqliTypeCast: TypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/**
 * Time budgets of seed 001 Phases 5–6: a slower connect is a failure, a slower query a 504.
 * `deadline` (epoch ms) is shared by every statement of one Kysely (a request's, or a stream's
 * connections): a statement gets what is left of it, at most `queryMs`, limited on the server too
 * (limitStatement), and one sent past it fails at once. A streamed query also gets `queryMs`
 * between rows (see RowQueue).
 */
export interface DbBudgets {
  connectMs: number;
  queryMs: number;
  deadline?: number | undefined;
  /** Streams: how long MariaDB may wait to write to a reader that has stopped (limitStatement). */
  netWriteTimeoutS?: number | undefined;
}
export const DEFAULT_BUDGETS: DbBudgets = { ...DEFAULTS.db };

/**
 * How much later than the server's own limit the client gives up on a statement: the server's
 * answer (1969/3024, on a connection still usable) normally decides, and the client's timer only
 * catches a database or network that has gone silent.
 */
const CLIENT_GRACE_MS = 250;

/** What a statement sent now may take: `queryMs`, or what is left before the deadline if less. */
export function statementBudgetMs(budgets: DbBudgets, now = Date.now()): number {
  return budgets.deadline === undefined ? budgets.queryMs : Math.min(budgets.queryMs, budgets.deadline - now);
}

/** The error of a statement not sent because its request's deadline has passed (a 504). */
const overBudget = () =>
  Object.assign(new Error('The database budget of this request is spent'), {
    code: 'PROTOCOL_SEQUENCE_TIMEOUT',
  });

function refuseBinaryProtocol(): never {
  // Production Hyperdrive rejects COM_STMT_PREPARE; local Hyperdrive would let it through, so the
  // factory refuses it everywhere to keep local behaviour honest.
  throw new Error('execute() (COM_STMT_PREPARE) is not supported through Hyperdrive; use query()');
}

export function poolOptions(hyperdrive: Hyperdrive, budgets: DbBudgets = DEFAULT_BUDGETS): PoolOptions {
  return {
    host: hyperdrive.host,
    port: hyperdrive.port,
    stream: () => new MysqlSocket(hyperdrive.host, hyperdrive.port) as unknown as Duplex,
    user: hyperdrive.user,
    password: hyperdrive.password,
    database: hyperdrive.database,
    // workerd forbids runtime code generation (new Function), which mysql2 uses by default.
    disableEval: true,
    typeCast: mysqliTypeCast,
    charset: 'utf8mb4_unicode_ci',
    connectTimeout: budgets.connectMs,
    // One request, one connection: Hyperdrive does the pooling.
    connectionLimit: 1,
    maxIdle: 0,
    enableKeepAlive: false,
    // mysql2 gives every connection an LRU of prepared statements, four arrays of this many slots
    // allocated and filled up front (default 16,000: about 0.5 MB and a tenth of a millisecond per
    // connection, i.e. per request). This factory never prepares (execute() is refused above).
    maxPreparedStatements: 1,
  };
}

/** A mysql2 pool over one Hyperdrive binding that can only speak the text protocol. */
export function createTextProtocolPool(hyperdrive: Hyperdrive, budgets: DbBudgets = DEFAULT_BUDGETS): Pool {
  const pool = createPool(poolOptions(hyperdrive, budgets));
  pool.execute = refuseBinaryProtocol;
  pool.on('connection', (connection) => {
    connection.execute = refuseBinaryProtocol;
    // Every query (Kysely's, a string) gets what is left of the budget, on the server (1969/3024)
    // and in mysql2 (PROTOCOL_SEQUENCE_TIMEOUT) a little later. Streams pass an options object.
    const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
    (connection as { query: unknown }).query = (sql: unknown, ...rest: unknown[]) => {
      if (typeof sql !== 'string') return query(sql, ...rest);
      const ms = Math.max(1, statementBudgetMs(budgets));
      return query({ sql: limitStatement(sql, { maxMs: ms }), timeout: ms + CLIENT_GRACE_MS }, ...rest);
    };
  });
  return pool;
}

const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'HANDSHAKE_NO_SSL_SUPPORT',
]);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** What a database error means for the caller, without logging anything. */
function kindOf(error: unknown): 'timeout' | 'unreachable' | 'other' {
  const code = codeOf(error);
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') return 'timeout';
  // The server's own limit (limitStatement): mysql2 names neither MariaDB's 1969 nor gives it a code.
  if (
    typeof error === 'object' &&
    error !== null &&
    SERVER_TIMEOUT_ERRNOS.has(Number((error as { errno?: unknown }).errno))
  )
    return 'timeout';
  // The pool closed by the request's own teardown (a query still pending when the response was
  // sent, e.g. one started in parallel and no longer needed): not the database's failure.
  if (error instanceof Error && code === undefined && /^Pool is closed/.test(error.message)) return 'other';
  const unreachable =
    (code !== undefined && CONNECTION_FAILURES.has(code)) ||
    (error instanceof Error && /connect|socket|network|closed/i.test(error.message) && code === undefined);
  return unreachable ? 'unreachable' : 'other';
}

/** Database trouble as the caller should see it: 504 over budget, 503 unreachable (logged once). */
export function classifyDbError(error: unknown, database: string): unknown {
  if (error instanceof ApiError) return error;
  switch (kindOf(error)) {
    case 'timeout':
      logEvent('error', 'db.query_timeout', { database });
      return new ApiError(504, 'The database did not answer within its time budget; retry later.', {
        cause: error,
      });
    case 'unreachable':
      logEvent('error', 'db.unreachable', { database, code: codeOf(error) ?? 'unknown' });
      return new ApiError(503, 'The database is unreachable; retry later.', {
        headers: { 'Retry-After': '30' },
        cause: error,
      });
    default:
      return error;
  }
}

/** A failure to connect that one retry may cure (classified only: the final failure is logged). */
const isConnectionFailure = (error: unknown) =>
  !(error instanceof ApiError) && kindOf(error) === 'unreachable';

/**
 * Batches of a streamed query waiting for their reader beyond which the socket is paused. One 64 KB
 * socket read holds up to ~1,700 metric rows (3–4 batches): with 4 the socket was paused after
 * nearly every read, and the reader then waited for a read to be asked for and to arrive
 * (bench:profile, 365-day /dataconnector: 4.7 s with 4, 4.2 s with 16, no better with 32). Held:
 * at most 16 × STREAM_CHUNK_ROWS rows per query (~1 MB of metric rows).
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
 * whole window) still fails with PROTOCOL_SEQUENCE_TIMEOUT (504) before any byte is sent, as a
 * buffered query would; a stalled stream fails the same way mid-body. Time spent waiting for a
 * slow client (queue full, socket paused) is not counted.
 */
class RowQueue {
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

/**
 * How a streamed query's rows come. By default, objects of mysqli strings (the connection's type
 * cast), as every other query. `numbers`: integer columns as JS numbers parsed by mysql2 itself
 * (an integer beyond 2^53 stays a string), DATE/DATETIME and DECIMAL as their strings: for rows
 * whose counts become numbers anyway, it skips the type cast callback and the four objects mysql2
 * builds for it per column of every row. `columns`: each row an array of its values in exactly
 * this column order (checked against the result's columns before the first row): no object with
 * a dynamic key per column and row. With both, a query whose columns are all integers and DATEs
 * is read straight from mysql2's packets (src/db/text-rows.ts: the same values, a fraction of the
 * CPU).
 */
export interface RowOptions {
  numbers?: boolean;
  columns?: readonly string[];
}
const NUMBERS = { typeCast: true, dateStrings: true, supportBigNumbers: true } as const;

/** Wraps a connection so that every query failure is classified, and streams in batches. */
class BudgetedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    /** The mysql2 connection under `inner` (Kysely keeps it private). */
    private readonly raw: PoolConnection,
    private readonly database: string,
    private readonly budgets: DbBudgets,
  ) {}

  async executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    try {
      if (statementBudgetMs(this.budgets) <= 0) throw overBudget();
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw classifyDbError(error, this.database);
    }
  }

  /**
   * The query's rows in batches of up to `chunkSize` as mysql2 parses them (Kysely's own MySQL
   * stream yields them one by one through a Node stream: several times the CPU of a buffered
   * query), with the stream budget of RowQueue. When the stream does not reach its end (failure,
   * timeout, or the reader stopped early) the connection is destroyed: mysql2 would otherwise read
   * the rest of the result set to its end, and a connection must not go back to a pool mid-result.
   */
  async *streamQuery<R>(
    query: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    for await (const rows of this.rowBatches<R>(query, chunkSize)) yield { rows };
  }

  /** streamQuery's batches as bare row arrays (see streamRows). */
  async *rowBatches<R>(
    query: CompiledQuery,
    chunkSize: number,
    options: RowOptions = {},
  ): AsyncGenerator<R[], void, undefined> {
    const rows = this.startRows(query, chunkSize, options);
    try {
      for (let batch = await rows.next(); batch !== undefined; batch = await rows.next()) {
        yield batch as R[];
      }
    } finally {
      rows.close();
    }
  }

  /**
   * Sends `query` now; its rows queue up (RowQueue: at most a few batches, then the socket is
   * paused) until read with `next()`. `close()` must follow: unless every row was read, it
   * destroys the connection: mysql2 would otherwise read the rest of the result set to its end,
   * and a connection must not go back to a pool mid-result.
   */
  startRows(query: CompiledQuery, chunkSize: number, options: RowOptions = {}): RowsInFlight {
    const raw = this.raw;
    const rows = new RowQueue(raw, Math.max(1, chunkSize), this.budgets.queryMs);
    // On the server, a streamed statement is limited by its deadline (a stream's: its duration
    // cap), not by queryMs, which is the wait for rows here (RowQueue).
    const { deadline, netWriteTimeoutS } = this.budgets;
    const sql =
      deadline === undefined
        ? query.sql
        : limitStatement(query.sql, { maxMs: deadline - Date.now(), netWriteTimeoutS });
    // An options object: the pool's query() wrapper leaves it without mysql2's whole-query timeout.
    const command = raw.query({
      sql,
      values: [...query.parameters],
      ...(options.numbers ? NUMBERS : {}),
      ...(options.columns ? { rowsAsArray: true } : {}),
    });
    const { columns } = options;
    if (columns) {
      command.once('fields', (fields: Array<TextRowField & { name: string }> | undefined) => {
        const names = (fields ?? []).map((field) => field.name);
        if (names.join('\0') !== columns.join('\0')) {
          rows.fail(new Error(`streamed columns ${names.join(', ')} are not ${columns.join(', ')}`));
          return;
        }
        const read = options.numbers ? textRowReader(fields ?? []) : undefined;
        if (read) readRowsDirectly(command, read, rows.add);
      });
    }
    command.on('result', rows.add).on('end', rows.end).on('error', rows.fail);
    // A connection lost mid-stream is reported to the connection only (mysql2 tells a command
    // without a callback nothing): without this the stream would wait for its budget.
    raw.on('error', rows.fail);
    let complete = false;
    return {
      next: async () => {
        try {
          const batch = await rows.next();
          if (batch === undefined) complete = true;
          return batch;
        } catch (error) {
          throw classifyDbError(error, this.database);
        }
      },
      close: () => {
        rows.close();
        raw.off('error', rows.fail);
        command.off('result', rows.add);
        if (!complete) {
          // mysql2's destroy() only half-closes the socket: MariaDB, busy writing the result, would
          // not notice. Destroying the socket ends the query at once.
          raw.destroy();
          (raw as { stream?: { destroy?(): void } }).stream?.destroy?.();
        }
      },
    };
  }
}

/** mysql2's Query command, as far as readRowsDirectly replaces its row state. */
type RowState = (this: unknown, packet: TextRowPacket & { isEOF(): boolean }, connection: unknown) => unknown;
interface QueryCommand {
  row: RowState;
  off(event: 'result', listener: (row: unknown) => void): unknown;
}

/**
 * Hands a query's rows to `onRow` as `read` decodes them (src/db/text-rows.ts) instead of through
 * mysql2's row parser and 'result' event. mysql2 parses a result's rows in the state its
 * column-definitions end returns as `this.row`: the query's own `row`, replaced here once the
 * columns are known ('fields'), before the first row. The end of the rows is still mysql2's
 * (its `row` state given the EOF packet). The 'result' listener is removed: should a mysql2
 * upgrade stop calling the replaced state, the stream tests see no rows at all rather than a
 * silently slower path.
 */
function readRowsDirectly(
  command: unknown,
  read: (packet: TextRowPacket) => unknown[],
  onRow: (row: unknown) => void,
): void {
  const query = command as QueryCommand;
  const mysql2Row = query.row;
  const row: RowState = function (this: unknown, packet, connection) {
    if (packet.isEOF()) return mysql2Row.call(this, packet, connection);
    onRow(read(packet));
    return row;
  };
  query.row = row;
  query.off('result', onRow);
}

/** A query sent and not yet read to its end (BudgetedConnection.startRows). */
interface RowsInFlight {
  /** The next batch of rows, undefined after the last; a failure as classifyDbError gives it. */
  next(): Promise<unknown[] | undefined>;
  /** Stops reading (destroying the connection unless every row was read). */
  close(): void;
}

/**
 * One mysql2 pool holding one connection, and Kysely's MySQL driver over it. A database of a
 * request is a few lanes: one connection runs its queries one after another even inside
 * `Promise.all`, so queries sent together need a connection each (cheap through Hyperdrive,
 * which pools them), and with one connection per pool the connection a pool acquires is the one
 * Kysely wraps.
 */
class Lane {
  readonly pool: Pool;
  readonly driver: Driver;
  private ready: Promise<void> | undefined;

  constructor(hyperdrive: Hyperdrive, budgets: DbBudgets) {
    this.pool = createTextProtocolPool(hyperdrive, budgets);
    this.driver = new MysqlDialect({ pool: this.pool }).createDriver();
  }

  /** Kysely's connection plus the mysql2 connection under it (the pool's `acquire` names it). */
  async acquire(database: string, budgets: DbBudgets): Promise<BudgetedConnection> {
    this.ready ??= this.driver.init();
    await this.ready;
    let raw: PoolConnection | undefined;
    const onAcquire = (connection: PoolConnection) => {
      raw = connection;
    };
    this.pool.once('acquire', onAcquire);
    try {
      const inner = await this.driver.acquireConnection();
      if (!raw) throw new Error('the pool did not report the acquired connection');
      return new BudgetedConnection(inner, raw, database, budgets);
    } finally {
      this.pool.off('acquire', onAcquire);
    }
  }
}

/** Connections of one database a request may hold at once (queries sent together). */
export const MAX_LANES = 4;

/**
 * Kysely's MySQL driver plus the budgets, over up to `maxLanes` connections (Lane): one retry with
 * jittered backoff when a connection cannot be made (never for a failed query), and errors
 * classified as 503/504. Kysely acquires a connection per query, so queries of one Kysely sent
 * together run on connections of their own; beyond `maxLanes` they wait for one to be free.
 */
class BudgetedDriver implements Driver {
  private readonly lanes: Lane[] = [];
  private readonly idle: Lane[] = [];
  private readonly waiting: Array<(lane: Lane) => void> = [];
  private readonly laneOf = new WeakMap<DatabaseConnection, Lane>();

  constructor(
    private readonly hyperdrive: Hyperdrive,
    private readonly database: string,
    private readonly budgets: DbBudgets,
    private readonly maxLanes = MAX_LANES,
  ) {}

  async init(): Promise<void> {}

  private takeLane(): Promise<Lane> {
    const lane = this.idle.pop();
    if (lane) return Promise.resolve(lane);
    if (this.lanes.length < this.maxLanes) {
      const created = new Lane(this.hyperdrive, this.budgets);
      this.lanes.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private giveBack(lane: Lane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const lane = await this.takeLane();
    try {
      const connection = await this.acquireOn(lane);
      this.laneOf.set(connection, lane);
      return connection;
    } catch (error) {
      this.giveBack(lane);
      throw error;
    }
  }

  private async acquireOn(lane: Lane): Promise<BudgetedConnection> {
    try {
      return await lane.acquire(this.database, this.budgets);
    } catch (error) {
      if (!isConnectionFailure(error)) throw classifyDbError(error, this.database);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      try {
        return await lane.acquire(this.database, this.budgets);
      } catch (retryError) {
        throw classifyDbError(retryError, this.database);
      }
    }
  }

  beginTransaction(): Promise<void> {
    // A transaction would pin one lane across queries; nothing here needs one.
    throw new Error('transactions are not supported by this driver');
  }

  commitTransaction(): Promise<void> {
    throw new Error('transactions are not supported by this driver');
  }

  rollbackTransaction(): Promise<void> {
    throw new Error('transactions are not supported by this driver');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lane = this.laneOf.get(connection);
    if (!lane) return;
    this.laneOf.delete(connection);
    try {
      await lane.driver.releaseConnection((connection as BudgetedConnection).inner);
    } finally {
      this.giveBack(lane);
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.driver.destroy()));
  }
}

class BudgetedMysqlDialect extends MysqlDialect {
  constructor(
    private readonly hyperdrive: Hyperdrive,
    private readonly database: string,
    private readonly budgets: DbBudgets,
    private readonly maxLanes = MAX_LANES,
  ) {
    // The pools are the lanes' own (BudgetedDriver); this one is never opened.
    super({ pool: async () => ({}) as Pool });
  }

  override createDriver(): Driver {
    return new BudgetedDriver(this.hyperdrive, this.database, this.budgets, this.maxLanes);
  }
}

/** Kysely over one Hyperdrive binding; the caller owns it and must `destroy()` it. */
export function createKysely<Database>(
  hyperdrive: Hyperdrive,
  budgets: DbBudgets = DEFAULT_BUDGETS,
  label = hyperdrive.database,
  onQuery?: (durationMs: number) => void,
): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new BudgetedMysqlDialect(hyperdrive, label, budgets),
    // Query time feeds the request log's query_ms (errors included: a timeout is time spent too).
    log: onQuery ? (event) => onQuery(event.queryDurationMillis) : undefined,
  });
}

/**
 * One connection of a stream (streamRowsInTurn), opened at once over its own pool and driver
 * (connection retry, error classification), and closed with them.
 */
class StreamLane {
  private readonly driver: Driver;
  private readonly connection: Promise<BudgetedConnection>;

  constructor(hyperdrive: Hyperdrive, budgets: DbBudgets, label: string) {
    const driver = new BudgetedMysqlDialect(hyperdrive, label, budgets, 1).createDriver();
    this.driver = driver;
    this.connection = driver.init().then(() => driver.acquireConnection() as Promise<BudgetedConnection>);
    // Reported by start(); a lane closed before its first query must not leave it unhandled.
    this.connection.catch(() => undefined);
  }

  async start(query: CompiledQuery, batchRows: number, options: RowOptions): Promise<RowsInFlight> {
    return (await this.connection).startRows(query, batchRows, options);
  }

  async close(): Promise<void> {
    const connection = await this.connection.catch(() => undefined);
    if (connection) await this.driver.releaseConnection(connection).catch(() => undefined);
    // A failed goodbye (QUIT on a connection already gone) changes nothing for the rows.
    await this.driver.destroy().catch(() => undefined);
  }
}

/**
 * The rows of `queries`, one query after the other, as one stream of batches (each query's rows as
 * BudgetedConnection.startRows reads them: backpressure and the stream's inactivity budget).
 * While a query is read, the next one already runs on a second connection, so that MariaDB
 * prepares it (a sort, say) while the rows before it are still being used: a long read split into
 * consecutive queries starts answering after the first one's preparation, not the whole read's.
 * Each connection is its own over `hyperdrive`; both are closed when the rows end, fail, or the
 * reader stops early. One query, one connection. For the large connector bodies: Kysely's own
 * `.stream()` hands rows over one at a time, an await (several promise hops) per row.
 */
export async function* streamRowsInTurn<R>(
  hyperdrive: Hyperdrive,
  queries: readonly CompiledQuery[],
  batchRows: number,
  options: RowOptions,
  budgets: DbBudgets = DEFAULT_BUDGETS,
  label = hyperdrive.database,
): AsyncGenerator<R[], void, undefined> {
  const lanes: StreamLane[] = [];
  const start = (index: number) => {
    lanes[index % 2] ??= new StreamLane(hyperdrive, budgets, label);
    const started = lanes[index % 2]!.start(queries[index]!, batchRows, options);
    // Awaited when its turn comes; one that fails before then must not go unhandled meanwhile.
    started.catch(() => undefined);
    return started;
  };
  let next = queries.length > 0 ? start(0) : undefined;
  try {
    for (let index = 0; next !== undefined; index++) {
      const rows = await next;
      next = index + 1 < queries.length ? start(index + 1) : undefined;
      try {
        for (let batch = await rows.next(); batch !== undefined; batch = await rows.next()) {
          yield batch as R[];
        }
      } finally {
        rows.close();
      }
    }
  } finally {
    // Stopped early: the query running ahead is ended (its connection destroyed) before closing.
    (await next?.catch(() => undefined))?.close();
    await Promise.all(lanes.map((lane) => lane.close()));
  }
}
