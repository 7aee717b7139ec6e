import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../test/support/poll';
import { aggregateQueryBuilder, getAggregate, getConsole, streamAggregateRows } from '.';
import { createKysely, createTextProtocolPool, MAX_LANES } from './connection';

describe('databases through the Hyperdrive bindings', () => {
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

  it('queries sent together run on connections of their own (lanes); queries in turn share one', async () => {
    const db = getConsole(env);
    const connectionId = async () =>
      (await sql<{ id: string }>`SELECT CONNECTION_ID() AS id, SLEEP(0.05) AS s`.execute(db)).rows[0]!.id;
    try {
      const together = await Promise.all([connectionId(), connectionId(), connectionId()]);
      expect(new Set(together).size).toBe(3);
      const first = await connectionId();
      expect(await connectionId()).toBe(first);
      // Beyond MAX_LANES, queries wait for a free connection rather than open more.
      const many = await Promise.all(Array.from({ length: MAX_LANES + 2 }, connectionId));
      expect(new Set(many).size).toBe(MAX_LANES);
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

  it('streams rows in batches as arrays in the stated column order, integers as numbers', async () => {
    const query = aggregateQueryBuilder
      .selectFrom('kpi_daily')
      .select(['stat_date', 'campaign_id', 'impressions'])
      .orderBy('stat_date')
      .orderBy('campaign_id')
      .orderBy('placement_id')
      .compile();
    const batches: unknown[][][] = [];
    for await (const batch of streamAggregateRows(
      env,
      [query],
      ['stat_date', 'campaign_id', 'impressions'],
      7,
    ))
      batches.push(batch);
    const rows = batches.flat();
    expect(batches.every((batch) => batch.length > 0 && batch.length <= 7)).toBe(true);
    const db = getAggregate(env);
    try {
      const buffered = await db
        .selectFrom('kpi_daily')
        .select(['stat_date', 'campaign_id', 'impressions'])
        .orderBy('stat_date')
        .orderBy('campaign_id')
        .orderBy('placement_id')
        .execute();
      // The same values: mysqli's strings for the buffered query, numbers (date a string) streamed.
      expect(rows).toEqual(buffered.map((r) => [r.stat_date, Number(r.campaign_id), Number(r.impressions)]));
      expect(rows.length).toBeGreaterThan(7);
    } finally {
      await db.destroy();
    }
  });

  it('a streamed query whose columns are not the stated ones fails before any row', async () => {
    const query = aggregateQueryBuilder
      .selectFrom('kpi_daily')
      .select(['campaign_id', 'stat_date'])
      .compile();
    const read = async () => {
      for await (const batch of streamAggregateRows(env, [query], ['stat_date', 'campaign_id'], 10))
        return batch;
    };
    await expect(read()).rejects.toThrow(
      'streamed columns campaign_id, stat_date are not stat_date, campaign_id',
    );
  });

  it('streams several queries in turn: their rows in order, on two connections taking turns', async () => {
    const queries = [1, 2, 3, 4].map((k) =>
      sql<{
        n: number;
        c: number;
      }>`SELECT seq + ${k * 10} AS n, CONNECTION_ID() AS c FROM seq_1_to_3`.compile(aggregateQueryBuilder),
    );
    const rows: unknown[][] = [];
    for await (const batch of streamAggregateRows(env, queries, ['n', 'c'], 2)) rows.push(...batch);
    expect(rows.map(([n]) => n)).toEqual([11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43]);
    const [a, b, a2, b2] = [0, 3, 6, 9].map((i) => rows[i]![1]);
    expect(a).not.toBe(b);
    expect([a2, b2]).toEqual([a, b]);
  });

  it('runs the next query while the current one is read, and ends both when the reader stops', async () => {
    const marker = `in_turn_${Math.floor(Math.random() * 1e9)}`;
    // 2 GB each if read to the end: MariaDB is still writing both when the first rows are read.
    const queries = ['first', 'next'].map((which) =>
      sql`SELECT seq AS n, REPEAT(${`${marker}_${which}`}, 2000) AS pad FROM seq_1_to_100000`.compile(
        aggregateQueryBuilder,
      ),
    );
    const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });
    const running = async () => {
      const { rows } = await sql<{ info: string }>`SELECT INFO AS info FROM information_schema.PROCESSLIST
        WHERE INFO LIKE ${`%${marker}%`} AND INFO NOT LIKE '%PROCESSLIST%'`.execute(admin);
      return rows.map((row) => (row.info.includes(`${marker}_first`) ? 'first' : 'next')).sort();
    };
    const poll = (until: (found: string[]) => boolean) => pollUntil(running, until);
    try {
      for await (const batch of streamAggregateRows(env, queries, ['n', 'pad'], 10)) {
        expect(batch[0]![0]).toBe(1);
        expect(await poll((found) => found.length === 2)).toEqual(['first', 'next']);
        break;
      }
      expect(await poll((found) => found.length === 0)).toEqual([]);
    } finally {
      await admin.destroy();
    }
  });

  it('reads a large result in socket reads that grow to 64 KB (workerd reads 4 KB by default)', async () => {
    const pool = createTextProtocolPool(env.DB_AGGREGATE);
    try {
      const connection = await pool.promise().getConnection();
      const reads: number[] = [];
      const socket = (connection.connection as unknown as { stream: NodeJS.EventEmitter }).stream;
      socket.on('data', (chunk: Uint8Array) => reads.push(chunk.byteLength));
      const [rows] = await connection.query(`SELECT REPEAT('x', 1000) AS pad FROM seq_1_to_2000`);
      connection.release();
      expect((rows as unknown[]).length).toBe(2000);
      expect(Math.max(...reads)).toBe(64 * 1024);
      // 2 MB in far fewer reads than 4 KB ones would take (500): about 32 on an idle machine; a
      // busy one hands some reads over before they are full, so the bound leaves room (100 was
      // crossed, at 102, on a loaded run) while staying far below 500.
      expect(reads.length).toBeLessThan(250);
    } finally {
      await pool.promise().end();
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
