import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test/support/poll';
import { aggregateQueryBuilder, createKysely, streamAggregateRows } from '.';

describe('queries streamed in turn (streamRowsInTurn)', () => {
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
});
