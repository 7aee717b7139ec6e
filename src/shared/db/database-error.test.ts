import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { captureErrorLines } from '../../../test/support/log-lines';
import { pollUntil } from '../../../test/support/poll';
import { createKysely, DatabaseError } from '.';

// What failed, as the database layer reports it, with real failures of the test MariaDB: the
// kind, which database, the driver's code, and the one log line. No HTTP here (src/shared/errors/database.ts).
describe('database failures classified (DatabaseError)', () => {
  const errorLog = captureErrorLines();
  const dbLines = () => errorLog.lines.filter((line) => String(line.event).startsWith('db.'));

  it('a refused connection is a failed connect of that database, logged once after the retry', async () => {
    const db = createKysely(env.DB_CLOSED, { connectMs: 1_000, queryMs: 1_000 }, 'aggregate');
    try {
      const error = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'connect', database: 'aggregate', code: 'ECONNREFUSED' });
      expect((error as DatabaseError).cause).toMatchObject({ code: 'ECONNREFUSED' });
      expect(dbLines()).toEqual([
        { level: 'error', event: 'db.unreachable', database: 'aggregate', code: 'ECONNREFUSED' },
      ]);
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('a statement stopped by its budget is a timeout, logged once', async () => {
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 300 }, 'console');
    try {
      const error = await sql`SELECT SLEEP(5)`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'timeout', database: 'console' });
      expect(dbLines()).toEqual([{ level: 'error', event: 'db.query_timeout', database: 'console' }]);
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('a connection lost under a query is a lost connection, logged once with its code', async () => {
    const marker = `lost_${Math.floor(Math.random() * 1e9)}`;
    const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 10_000 }, 'console');
    const threadIds = async () =>
      (
        await sql<{ id: string }>`SELECT ID AS id FROM information_schema.PROCESSLIST
          WHERE INFO LIKE ${`%${marker}%`} AND INFO NOT LIKE '%PROCESSLIST%'`.execute(admin)
      ).rows.map((row) => row.id);
    try {
      const running = sql`SELECT SLEEP(8) AS ${sql.raw(marker)}`.execute(db).catch((e: unknown) => e);
      const [id] = await pollUntil(threadIds, (ids) => ids.length === 1, { tries: 50 });
      await sql.raw(`KILL CONNECTION ${Number(id)}`).execute(admin);
      const error = await running;
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'lost', database: 'console' });
      const code = (error as DatabaseError).code;
      expect(dbLines()).toEqual([{ level: 'error', event: 'db.unreachable', database: 'console', code }]);
    } finally {
      await db.destroy().catch(() => undefined);
      await admin.destroy();
    }
  });

  it("a query's own error is not a database failure: passed on unchanged, nothing logged", async () => {
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 5_000 }, 'console');
    try {
      const error = await sql`SELECT no_such_column FROM api`.execute(db).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ code: 'ER_BAD_FIELD_ERROR' });
      expect(dbLines()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
