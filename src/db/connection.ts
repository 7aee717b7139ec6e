import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool, type PoolOptions, type TypeCast } from 'mysql2';

/**
 * Every column comes back as the string PHP mysqli (text protocol) would give: DATE, DATETIME,
 * DECIMAL and BIGINT included, NULL as null. Binary BLOBs keep mysql2's own decoding.
 */
export const mysqliTypeCast: TypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/** Connection budget (seed 001 Phase 5): a connect that takes longer is a failure. */
export const CONNECT_TIMEOUT_MS = 5_000;

function refuseBinaryProtocol(): never {
  // Production Hyperdrive rejects COM_STMT_PREPARE; local Hyperdrive would let it through, so the
  // factory refuses it everywhere to keep local behaviour honest.
  throw new Error('execute() (COM_STMT_PREPARE) is not supported through Hyperdrive; use query()');
}

export function poolOptions(hyperdrive: Hyperdrive): PoolOptions {
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
    connectTimeout: CONNECT_TIMEOUT_MS,
    // One request, one connection: Hyperdrive does the pooling.
    connectionLimit: 1,
    maxIdle: 0,
    enableKeepAlive: false,
  };
}

/** A mysql2 pool over one Hyperdrive binding that can only speak the text protocol. */
export function createTextProtocolPool(hyperdrive: Hyperdrive): Pool {
  const pool = createPool(poolOptions(hyperdrive));
  pool.execute = refuseBinaryProtocol;
  pool.on('connection', (connection) => {
    connection.execute = refuseBinaryProtocol;
  });
  return pool;
}

/** Kysely over one Hyperdrive binding; the caller owns it and must `destroy()` it. */
export function createKysely<Database>(hyperdrive: Hyperdrive): Kysely<Database> {
  return new Kysely<Database>({ dialect: new MysqlDialect({ pool: createTextProtocolPool(hyperdrive) }) });
}
