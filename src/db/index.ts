import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
} from 'kysely';
import type { Env, RequestDatabases } from '../env';
import { createKysely, type DbBudgets, DEFAULT_BUDGETS, streamRowsInTurn } from './connection';
import type { AggregateDatabase, ConsoleDatabase } from './schema';

export type { AggregateDatabase, ConsoleDatabase } from './schema';

type BudgetVars = Partial<Pick<Env, 'DB_CONNECT_TIMEOUT_MS' | 'DB_QUERY_TIMEOUT_MS'>>;

/** Budgets from configuration (tests use small ones), else the defaults of seed 001. */
export function budgetsOf(env: BudgetVars): DbBudgets {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    connectMs: positive(env.DB_CONNECT_TIMEOUT_MS, DEFAULT_BUDGETS.connectMs),
    queryMs: positive(env.DB_QUERY_TIMEOUT_MS, DEFAULT_BUDGETS.queryMs),
  };
}

/** Kysely over the `console` database (DB_CONSOLE). The caller must `destroy()` it. */
export function getConsole(env: Pick<Env, 'DB_CONSOLE'> & BudgetVars): Kysely<ConsoleDatabase> {
  return createKysely<ConsoleDatabase>(env.DB_CONSOLE, budgetsOf(env), 'console');
}

/** Kysely over the `aggregate` database (DB_AGGREGATE). The caller must `destroy()` it. */
export function getAggregate(env: Pick<Env, 'DB_AGGREGATE'> & BudgetVars): Kysely<AggregateDatabase> {
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
 * The rows of compiled `aggregate` queries, one query after the other, in batches, on connections
 * of their own (streamRowsInTurn: the next query runs while the current one is read): each row an
 * array of its values in the order of `columns`, integer columns as numbers (RowOptions).
 */
export function streamAggregateRows(
  env: Pick<Env, 'DB_AGGREGATE'> & BudgetVars,
  queries: readonly CompiledQuery[],
  columns: readonly string[],
  batchRows: number,
): AsyncGenerator<unknown[][], void, undefined> {
  return streamRowsInTurn(
    env.DB_AGGREGATE,
    queries,
    batchRows,
    { numbers: true, columns },
    budgetsOf(env),
    'aggregate',
  );
}

/**
 * The databases of one request, opened on first use and closed together once the response is
 * sent (`close` is handed to `ctx.waitUntil`).
 */
export function requestDatabases(
  env: Pick<Env, 'DB_CONSOLE' | 'DB_AGGREGATE'> & BudgetVars,
  onQuery?: (durationMs: number, database: 'console' | 'aggregate') => void,
): RequestDatabases & { close(): Promise<void> } {
  let consoleDb: Kysely<ConsoleDatabase> | undefined;
  let aggregateDb: Kysely<AggregateDatabase> | undefined;
  return {
    get console() {
      consoleDb ??= createKysely<ConsoleDatabase>(
        env.DB_CONSOLE,
        budgetsOf(env),
        'console',
        onQuery && ((ms) => onQuery(ms, 'console')),
      );
      return consoleDb;
    },
    get aggregate() {
      aggregateDb ??= createKysely<AggregateDatabase>(
        env.DB_AGGREGATE,
        budgetsOf(env),
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
