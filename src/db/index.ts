import type { Kysely } from 'kysely';
import type { Env, RequestDatabases } from '../env';
import { createKysely } from './connection';
import type { AggregateDatabase, ConsoleDatabase } from './schema';

export type { AggregateDatabase, ConsoleDatabase } from './schema';

/** Kysely over the `console` database (DB_CONSOLE). The caller must `destroy()` it. */
export function getConsole(env: Pick<Env, 'DB_CONSOLE'>): Kysely<ConsoleDatabase> {
  return createKysely<ConsoleDatabase>(env.DB_CONSOLE);
}

/** Kysely over the `aggregate` database (DB_AGGREGATE). The caller must `destroy()` it. */
export function getAggregate(env: Pick<Env, 'DB_AGGREGATE'>): Kysely<AggregateDatabase> {
  return createKysely<AggregateDatabase>(env.DB_AGGREGATE);
}

/**
 * The databases of one request, opened on first use and closed together once the response is
 * sent (`close` is handed to `ctx.waitUntil`).
 */
export function requestDatabases(env: Pick<Env, 'DB_CONSOLE' | 'DB_AGGREGATE'>): RequestDatabases & {
  close(): Promise<void>;
} {
  let consoleDb: Kysely<ConsoleDatabase> | undefined;
  let aggregateDb: Kysely<AggregateDatabase> | undefined;
  return {
    get console() {
      consoleDb ??= getConsole(env);
      return consoleDb;
    },
    get aggregate() {
      aggregateDb ??= getAggregate(env);
      return aggregateDb;
    },
    async close() {
      await Promise.allSettled([consoleDb?.destroy(), aggregateDb?.destroy()]);
    },
  };
}
