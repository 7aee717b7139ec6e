import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
} from 'kysely';
import { type ConfigVars, configOf } from '../config';
import type { DbBudgets } from './budgets';
import { createKysely } from './kysely-driver';
import type { AggregateDatabase, ConsoleDatabase } from './schema';
import { streamRowsInTurn } from './stream-in-turn';

export type { DbBudgets } from './budgets';
export { DatabaseError, type DatabaseFailure } from './database-error';
export { createKysely } from './kysely-driver';
export type { AggregateDatabase, ConsoleDatabase } from './schema';

type BudgetVars = ConfigVars;

/** The Hyperdrive bindings of the two databases (each Worker names them so in its wrangler.toml). */
interface DatabaseBindings {
  DB_CONSOLE: Hyperdrive;
  DB_AGGREGATE: Hyperdrive;
}

/** The two databases of one request. */
export interface RequestDatabases {
  readonly console: Kysely<ConsoleDatabase>;
  readonly aggregate: Kysely<AggregateDatabase>;
}

/** The database budgets of an environment (src/shared/config; tests use small ones). */
export function budgetsOf(env: BudgetVars): DbBudgets {
  return configOf(env).db;
}

/** Kysely over the `console` database (DB_CONSOLE). The caller must `destroy()` it. */
export function getConsole(env: Pick<DatabaseBindings, 'DB_CONSOLE'> & BudgetVars): Kysely<ConsoleDatabase> {
  return createKysely<ConsoleDatabase>(env.DB_CONSOLE, budgetsOf(env), 'console');
}

/** Kysely over the `aggregate` database (DB_AGGREGATE). The caller must `destroy()` it. */
export function getAggregate(
  env: Pick<DatabaseBindings, 'DB_AGGREGATE'> & BudgetVars,
): Kysely<AggregateDatabase> {
  return createKysely<AggregateDatabase>(env.DB_AGGREGATE, budgetsOf(env), 'aggregate');
}

/**
 * Builds and compiles `aggregate` queries without a connection (streamAggregateRows runs them):
 * Kysely's MySQL dialect with a driver that never connects.
 */
export const aggregateQueryBuilder = new Kysely<AggregateDatabase>({
  dialect: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
});

/**
 * Beyond a stream's duration cap, how long its statements may still run on the server: the
 * Worker's own abort (src/response/stream.ts) comes first and is the one logged; the server's
 * limit is for a Worker that is no longer there to abort.
 */
const STREAM_SERVER_GRACE_MS = 5_000;

/**
 * The budgets of a stream's connections: `queryMs` is the wait for rows (RowQueue), the server
 * limits each statement to the stream's duration cap from now (not to the per-request deadline,
 * which a long download would outlast by design) and to MariaDB's write timeout of the reader
 * stall (net_write_timeout: a reader that stops frees MariaDB's thread after it, src/shared/db/statement-limit.ts).
 */
export function streamBudgetsOf(env: BudgetVars, now = Date.now()): DbBudgets {
  const stream = configOf(env).stream;
  return {
    ...budgetsOf(env),
    deadline: now + stream.maxDurationMs + STREAM_SERVER_GRACE_MS,
    netWriteTimeoutS: stream.readerStallMs / 1000,
  };
}

/**
 * The rows of compiled `aggregate` queries, one query after the other, in batches, on connections
 * of their own (streamRowsInTurn: the next query runs while the current one is read): each row an
 * array of its values in the order of `columns`, integer columns as numbers unless `numbers` is
 * false (then every value is the string mysqli gave; RowOptions). The budgets are the stream's
 * (streamBudgetsOf), from the call.
 */
export function streamAggregateRows(
  env: Pick<DatabaseBindings, 'DB_AGGREGATE'> & BudgetVars,
  queries: readonly CompiledQuery[],
  columns: readonly string[],
  batchRows: number,
  numbers = true,
): AsyncGenerator<unknown[][], void, undefined> {
  return streamRowsInTurn(
    env.DB_AGGREGATE,
    queries,
    batchRows,
    { numbers, columns },
    streamBudgetsOf(env),
    'aggregate',
  );
}

/**
 * The databases of one request, opened on first use and closed together once the response is
 * sent (`close` is handed to `ctx.waitUntil`). Every query of both shares one deadline, the
 * request's database budget (DB_QUERY_TIMEOUT_MS) from this call: a route that runs several
 * queries in turn gets one budget for all of them, not one each.
 */
export function requestDatabases(
  env: Pick<DatabaseBindings, 'DB_CONSOLE' | 'DB_AGGREGATE'> & BudgetVars,
  onQuery?: (durationMs: number, database: 'console' | 'aggregate') => void,
): RequestDatabases & { close(): Promise<void> } {
  const budgets = budgetsOf(env);
  const deadlined: DbBudgets = { ...budgets, deadline: Date.now() + budgets.queryMs };
  let consoleDb: Kysely<ConsoleDatabase> | undefined;
  let aggregateDb: Kysely<AggregateDatabase> | undefined;
  return {
    get console() {
      consoleDb ??= createKysely<ConsoleDatabase>(
        env.DB_CONSOLE,
        deadlined,
        'console',
        onQuery && ((ms) => onQuery(ms, 'console')),
      );
      return consoleDb;
    },
    get aggregate() {
      aggregateDb ??= createKysely<AggregateDatabase>(
        env.DB_AGGREGATE,
        deadlined,
        'aggregate',
        onQuery && ((ms) => onQuery(ms, 'aggregate')),
      );
      return aggregateDb;
    },
    async close() {
      await Promise.allSettled([consoleDb?.destroy(), aggregateDb?.destroy()]);
    },
  };
}
