import type { Duplex } from 'node:stream';
import { createPool, type Pool, type PoolOptions, type TypeCast } from 'mysql2';
import { type DbBudgets, DEFAULT_BUDGETS, statementBudgetMs } from './budgets';
import { MysqlSocket } from './socket';
import { limitStatement } from './statement-limit';

/**
 * Every column comes back as the string PHP mysqli (text protocol) would give: DATE, DATETIME,
 * DECIMAL and BIGINT included, NULL as null. Binary BLOBs keep mysql2's own decoding.
 */
export const mysqliTypeCast: TypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/**
 * How much later than the server's own limit the client gives up on a statement: the server's
 * answer (1969/3024, on a connection still usable) normally decides, and the client's timer only
 * catches a database or network that has gone silent.
 */
const CLIENT_GRACE_MS = 250;

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
    // allocated and filled up front (default 16,000 per connection, i.e. per request). This
    // factory never prepares (execute() is refused below).
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
