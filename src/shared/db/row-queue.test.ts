import { env } from 'cloudflare:workers';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test/support/poll';
import { createKysely, DatabaseError } from '.';

describe('the budget of a streamed query (RowQueue)', () => {
  // Rows of the SEQUENCE engine, each over MariaDB's 16 KB net buffer so it is sent on its own;
  // `extra` is evaluated for each row (a SLEEP, or a marker to find the query by).
  const rows = (db: Kysely<Record<string, { seq: string }>>, table: string, extra: RawBuilder<unknown>) =>
    db
      .selectFrom(table)
      .select(['seq', sql<string>`REPEAT('x', 20000)`.as('pad'), extra.as('extra')])
      .orderBy('seq');
  const open = (queryMs: number) =>
    createKysely<Record<string, { seq: string }>>(env.DB_CONSOLE, { connectMs: 5_000, queryMs });

  it('is an inactivity budget: a stream longer than queryMs whose rows keep coming is not cut', async () => {
    // 12 rows 100 ms apart (over a second) against a 1 s budget that a buffered query would exceed.
    const db = open(1_000);
    try {
      const seen: string[] = [];
      for await (const row of rows(db, 'seq_1_to_12', sql`SLEEP(0.1)`).stream()) seen.push(row.seq);
      expect(seen).toHaveLength(12);
    } finally {
      await db.destroy();
    }
  });

  it('a stream that stalls longer than queryMs between rows fails with a timeout mid-stream', async () => {
    const db = open(300);
    const seen: string[] = [];
    try {
      const error = await (async () => {
        for await (const row of rows(db, 'seq_1_to_4', sql`SLEEP(IF(seq = 3, 3, 0))`).stream())
          seen.push(row.seq);
      })().catch((e: unknown) => e);
      // Row 1 at least (the tail of row 2 may wait in MariaDB's net buffer during the stall).
      expect(seen[0]).toBe('1');
      expect(seen).not.toContain('3');
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ kind: 'timeout' });
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('a query failing mid-stream rejects the stream, even when its reader was busy meanwhile', async () => {
    const db = open(5_000);
    const seen: string[] = [];
    try {
      // Row 3's subquery returns two rows: MariaDB sends an error packet after rows 1 and 2.
      const failing = rows(db, 'seq_1_to_5', sql`IF(seq = 3, (SELECT 1 UNION SELECT 2), 1)`);
      const error = await (async () => {
        for await (const row of failing.stream()) {
          seen.push(row.seq);
          // A slow reader: the error (and mysql2's `end` after it) arrive while nobody waits.
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })().catch((e: unknown) => e);
      expect(seen).not.toContain('3');
      expect(error).toMatchObject({ code: 'ER_SUBQUERY_NO_1_ROW' });
    } finally {
      await db.destroy().catch(() => undefined);
    }
  });

  it('a stream closed early destroys its connection instead of reading the rest', async () => {
    const marker = `stream_close_${Math.floor(Math.random() * 1e9)}`;
    const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });
    const db = open(5_000);
    const threads = async () => {
      const { rows } = await sql<{ n: string }>`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
        WHERE INFO LIKE ${`%${marker}%`} AND INFO NOT LIKE '%PROCESSLIST%'`.execute(admin);
      return rows[0]?.n;
    };
    try {
      // 2 GB if it were read to the end.
      const query = rows(db, 'seq_1_to_100000', sql.raw(`'${marker}'`));
      for await (const row of query.stream()) if (row.seq === '3') break;
      // Destroyed, the connection's thread ends at once; draining 2 GB would keep it busy.
      expect(await pollUntil(threads, (left) => left === '0', { tries: 51 })).toBe('0');
    } finally {
      await db.destroy().catch(() => undefined);
      await admin.destroy();
    }
  });
});
