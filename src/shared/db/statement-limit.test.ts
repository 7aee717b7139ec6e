import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test/support/poll';
import { createKysely, DatabaseError } from '.';
import { limitStatement } from './statement-limit';

describe('limitStatement: the text sent', () => {
  it('limits a SELECT for MariaDB (SET STATEMENT in a MariaDB-only comment) and MySQL (hint)', () => {
    expect(limitStatement('select `id` from `campaign` where `id` = ?', { maxMs: 1234.2 })).toBe(
      '/*M!100300 SET STATEMENT max_statement_time=1.235 FOR */ select /*+ MAX_EXECUTION_TIME(1235) */ `id` from `campaign` where `id` = ?',
    );
    expect(limitStatement('  SELECT 1', { maxMs: 0, netWriteTimeoutS: 0.2 })).toBe(
      '/*M!100300 SET STATEMENT max_statement_time=0.001, net_write_timeout=1 FOR */   SELECT /*+ MAX_EXECUTION_TIME(1) */ 1',
    );
  });

  it('leaves any other statement as it is', () => {
    for (const statement of ['begin', 'SHOW TABLES', 'selection', 'WITH a AS (SELECT 1) SELECT * FROM a']) {
      expect(limitStatement(statement, { maxMs: 500 })).toBe(statement);
    }
  });
});

// Through mysql2's query() and Kysely, as every request runs them: the limit must reach MariaDB,
// which reports a statement's own values of the variables it set.
describe('statements limited on the server (real MariaDB)', () => {
  const admin = () => createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });

  it('a raw query and a compiled query builder both run under max_statement_time', async () => {
    const db = createKysely<Record<string, never>>(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 4_000 });
    try {
      const raw = await sql<{ mst: string }>`SELECT @@max_statement_time AS mst`.execute(db);
      const built = await db
        .selectNoFrom(sql<string>`@@max_statement_time`.as('mst'))
        .executeTakeFirstOrThrow();
      for (const seconds of [raw.rows[0]!.mst, built.mst]) {
        expect(Number(seconds)).toBeGreaterThan(3.5);
        expect(Number(seconds)).toBeLessThanOrEqual(4);
      }
      // Bound parameters (mysql2 interpolates them client-side) are untouched by the prefix.
      const { rows } = await sql<{ v: string }>`SELECT ${'a?b'} AS v`.execute(db);
      expect(rows).toEqual([{ v: 'a?b' }]);
    } finally {
      await db.destroy();
    }
  });

  it('a statement over its budget is stopped by MariaDB (1969 → a timeout), not left running', async () => {
    const marker = `limit_${Math.floor(Math.random() * 1e9)}`;
    const watcher = admin();
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 300 });
    const running = async () =>
      (
        await sql<{ n: string }>`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
          WHERE INFO LIKE ${`%${marker}%`} AND INFO NOT LIKE '%PROCESSLIST%'`.execute(watcher)
      ).rows[0]?.n;
    try {
      const error = await sql`SELECT SLEEP(30) AS ${sql.raw(marker)}`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'timeout' });
      // The server's own answer (its limit comes before the client's timer).
      expect((error as DatabaseError).cause).toMatchObject({ errno: 1969 });
      // The connection is still open (a closed one would also end SLEEP): the server stopped it.
      expect(await pollUntil(running, (n) => n === '0', { tries: 30 })).toBe('0');
      // And the connection is still usable.
      expect((await sql<{ one: string }>`SELECT 1 AS one`.execute(db)).rows).toEqual([{ one: '1' }]);
    } finally {
      await db.destroy().catch(() => undefined);
      await watcher.destroy();
    }
  });
});
