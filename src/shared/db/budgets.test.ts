import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKysely, DatabaseError } from '.';

describe('database budgets (seed 001 Phases 5–6) with the real MariaDB', () => {
  it('a query over its budget → a timeout', async () => {
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 300 });
    const started = Date.now();
    try {
      const error = await sql`SELECT SLEEP(2) AS slept`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'timeout', database: 'console' });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('a query within its budget is answered', async () => {
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 2_000 });
    try {
      const { rows } = await sql<{ slept: string }>`SELECT SLEEP(0.1) AS slept`.execute(db);
      expect(rows).toEqual([{ slept: '0' }]);
    } finally {
      await db.destroy();
    }
  });

  it('one deadline for all the queries of a request, not a budget each', async () => {
    // A request's databases (requestDatabases) share this deadline: each 400 ms query is within
    // the 1 s budget on its own, three in turn are not.
    const deadline = Date.now() + 1_000;
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 1_000, deadline });
    const limits: number[] = [];
    try {
      const error = await (async () => {
        for (let i = 0; i < 3; i++) {
          const { rows } = await sql<{ mst: string }>`SELECT @@max_statement_time AS mst, SLEEP(0.4)`.execute(
            db,
          );
          limits.push(Number(rows[0]!.mst));
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'timeout' });
      // Each statement was limited on the server to what was left, less each time.
      expect(limits.length).toBeGreaterThan(0);
      expect(limits.length).toBeLessThan(3);
      expect(limits[0]).toBeLessThanOrEqual(1);
      if (limits.length === 2) expect(limits[1]!).toBeLessThanOrEqual(limits[0]! - 0.4);
      // Past the deadline nothing more is sent: the answer is at once a timeout.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
      const late = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(DatabaseError);
      expect(late).toMatchObject({ kind: 'timeout' });
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('Hyperdrive pointed at a closed port → a failed connect after one retry', async () => {
    const db = createKysely(env.DB_CLOSED, { connectMs: 1_000, queryMs: 1_000 });
    try {
      const error = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'connect', code: 'ECONNREFUSED' });
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });
});
