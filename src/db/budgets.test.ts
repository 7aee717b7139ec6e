import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { createKysely } from './connection';

describe('database budgets (seed 001 Phases 5–6) with the real MariaDB', () => {
  it('a query over its budget → 504', async () => {
    const db = createKysely(env.DB_CONSOLE, { connectMs: 5_000, queryMs: 300 });
    const started = Date.now();
    try {
      const error = await sql`SELECT SLEEP(2) AS slept`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(504);
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

  it('Hyperdrive pointed at a closed port → 503 after one retry', async () => {
    const db = createKysely(env.DB_CLOSED, { connectMs: 1_000, queryMs: 1_000 });
    try {
      const error = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(503);
      expect((error as ApiError).headers['Retry-After']).toBe('30');
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });
});
