import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  MysqlDialect,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { createPool, type Pool, type PoolOptions, type TypeCast } from 'mysql2';
import { ApiError } from '../errors/api-error';
import { logEvent } from '../observability/logger';

/**
 * Every column comes back as the string PHP mysqli (text protocol) would give: DATE, DATETIME,
 * DECIMAL and BIGINT included, NULL as null. Binary BLOBs keep mysql2's own decoding.
 */
export const mysqliTypeCast: TypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/** Time budgets of seed 001 Phases 5–6: a slower connect is a failure, a slower query a 504. */
export interface DbBudgets {
  connectMs: number;
  queryMs: number;
}
export const DEFAULT_BUDGETS: DbBudgets = { connectMs: 5_000, queryMs: 10_000 };

function refuseBinaryProtocol(): never {
  // Production Hyperdrive rejects COM_STMT_PREPARE; local Hyperdrive would let it through, so the
  // factory refuses it everywhere to keep local behaviour honest.
  throw new Error('execute() (COM_STMT_PREPARE) is not supported through Hyperdrive; use query()');
}

export function poolOptions(hyperdrive: Hyperdrive, budgets: DbBudgets = DEFAULT_BUDGETS): PoolOptions {
  return {
    host: hyperdrive.host,
    port: hyperdrive.port,
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
  };
}

/** A mysql2 pool over one Hyperdrive binding that can only speak the text protocol. */
export function createTextProtocolPool(hyperdrive: Hyperdrive, budgets: DbBudgets = DEFAULT_BUDGETS): Pool {
  const pool = createPool(poolOptions(hyperdrive, budgets));
  pool.execute = refuseBinaryProtocol;
  pool.on('connection', (connection) => {
    connection.execute = refuseBinaryProtocol;
    // Every query gets the budget: mysql2 fails it with PROTOCOL_SEQUENCE_TIMEOUT when exceeded.
    const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
    (connection as { query: unknown }).query = (sql: unknown, ...rest: unknown[]) =>
      query(typeof sql === 'string' ? { sql, timeout: budgets.queryMs } : sql, ...rest);
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

/** Database trouble as the caller should see it: 504 over budget, 503 unreachable. */
export function classifyDbError(error: unknown, database: string): unknown {
  if (error instanceof ApiError) return error;
  const code = codeOf(error);
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    logEvent('error', 'db.query_timeout', { database });
    return new ApiError(504, 'The database did not answer within its time budget; retry later.', {
      cause: error,
    });
  }
  const unreachable =
    (code !== undefined && CONNECTION_FAILURES.has(code)) ||
    (error instanceof Error && /connect|socket|network|closed/i.test(error.message) && code === undefined);
  if (unreachable) {
    logEvent('error', 'db.unreachable', { database, code: code ?? 'unknown' });
    return new ApiError(503, 'The database is unreachable; retry later.', {
      headers: { 'Retry-After': '30' },
      cause: error,
    });
  }
  return error;
}

const isConnectionFailure = (error: unknown) => {
  const classified = classifyDbError(error, '');
  return classified instanceof ApiError && classified.status === 503;
};

/** Wraps a connection so that every query failure is classified. */
class BudgetedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly database: string,
  ) {}

  async executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw classifyDbError(error, this.database);
    }
  }

  async *streamQuery<R>(
    query: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw classifyDbError(error, this.database);
    }
  }
}

/**
 * Kysely's MySQL driver plus the budgets: one retry with jittered backoff when the connection
 * cannot be made (never for a failed query), and errors classified as 503/504.
 */
class BudgetedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly database: string,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      return new BudgetedConnection(await this.inner.acquireConnection(), this.database);
    } catch (error) {
      if (!isConnectionFailure(error)) throw classifyDbError(error, this.database);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      try {
        return new BudgetedConnection(await this.inner.acquireConnection(), this.database);
      } catch (retryError) {
        throw classifyDbError(retryError, this.database);
      }
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as BudgetedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class BudgetedMysqlDialect extends MysqlDialect {
  constructor(
    pool: Pool,
    private readonly database: string,
  ) {
    super({ pool });
  }

  override createDriver(): Driver {
    return new BudgetedDriver(super.createDriver(), this.database);
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
    dialect: new BudgetedMysqlDialect(createTextProtocolPool(hyperdrive, budgets), label),
    // Query time feeds the request log's query_ms (errors included: a timeout is time spent too).
    log: onQuery ? (event) => onQuery(event.queryDurationMillis) : undefined,
  });
}
