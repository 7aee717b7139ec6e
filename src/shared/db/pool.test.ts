import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getAggregate, getConsole } from '.';
import { createTextProtocolPool } from './pool';

describe('the text-protocol pool through the Hyperdrive bindings', () => {
  it('DB_CONSOLE returns every column as the string mysqli gives, NULL as null', async () => {
    const db = getConsole(env);
    try {
      const campaign = await db
        .selectFrom('campaign')
        .select(['id', 'name', 'start_date', 'budget', 'impression_goal', 'created_at', 'updated_at'])
        .where('id', '=', '201')
        .executeTakeFirstOrThrow();
      expect(campaign).toEqual({
        id: '201',
        name: expect.any(String),
        start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        budget: expect.stringMatching(/^\d+\.\d{2}$/),
        impression_goal: expect.stringMatching(/^\d+$/),
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        updated_at: expect.toBeOneOf([null, expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)]),
      });
      const nulls = await db
        .selectFrom('advertiser')
        .select(['id', 'website'])
        .where('website', 'is', null)
        .execute();
      expect(nulls.length).toBeGreaterThan(0);
      for (const row of nulls) expect(row.website).toBeNull();
    } finally {
      await db.destroy();
    }
  });

  it('DB_AGGREGATE returns BIGINT sums and DATEs as strings', async () => {
    const db = getAggregate(env);
    try {
      const { rows } = await sql<{ impressions: unknown; first: unknown; n: unknown }>`
        SELECT SUM(impressions) AS impressions, MIN(stat_date) AS first, COUNT(*) AS n FROM kpi_daily`.execute(
        db,
      );
      expect(rows[0]).toEqual({
        impressions: expect.stringMatching(/^\d+$/),
        first: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        n: expect.stringMatching(/^\d+$/),
      });
    } finally {
      await db.destroy();
    }
  });

  it('compares strings with utf8mb4_unicode_ci, as the legacy queries did', async () => {
    const db = getConsole(env);
    try {
      const { rows } = await sql<{ n: string }>`
        SELECT COUNT(*) AS n FROM api WHERE int_key = ${'ÍNT-àcct1-MAIN '}`.execute(db);
      expect(rows[0]?.n).toBe('1');
    } finally {
      await db.destroy();
    }
  });

  it('refuses the binary protocol (execute / COM_STMT_PREPARE)', async () => {
    const pool = createTextProtocolPool(env.DB_CONSOLE);
    try {
      expect(() => pool.execute('SELECT 1')).toThrow(/COM_STMT_PREPARE/);
      const connection = await pool.promise().getConnection();
      try {
        await expect(connection.execute('SELECT 1')).rejects.toThrow(/COM_STMT_PREPARE/);
        const [rows] = await connection.query('SELECT 1 AS one');
        expect(rows).toEqual([{ one: '1' }]);
      } finally {
        connection.release();
      }
    } finally {
      await pool.promise().end();
    }
  });
});
