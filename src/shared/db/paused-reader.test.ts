import { env } from 'cloudflare:workers';
import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test/support/poll';
import { createKysely, DatabaseError, type DbBudgets } from '.';
import { streamRowsInTurn } from './stream-in-turn';

// A stream whose reader stops, against the real MariaDB: RowQueue pauses the socket (backpressure),
// the kernel buffers fill, and MariaDB's thread blocks "Writing to net". What ends it is
// net_write_timeout (the stream's, from STREAM_READER_STALL_MS: src/shared/db/index.ts streamBudgetsOf),
// not max_statement_time. Measured once with the server default (60 s) from Node: the thread was
// gone 60–61 s after the pause, the reader then got ~200 KB of buffered rows and
// PROTOCOL_CONNECTION_LOST (README, Reliability).
describe('a paused reader against the real MariaDB', () => {
  const COLUMNS = ['seq', 'pad', 'marker'];
  /** ~2 GB of rows if read to the end, so that the socket and its buffers fill. */
  const query = (marker: string) =>
    CompiledQuery.raw(`SELECT seq, REPEAT('x', 1000) AS pad, '${marker}' AS marker FROM seq_1_to_2000000`);

  const watch = () => {
    const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });
    const thread = async (marker: string) =>
      (
        await sql<{ state: string; command: string }>`SELECT STATE AS state, COMMAND AS command
          FROM information_schema.PROCESSLIST
          WHERE INFO LIKE ${`%${marker}%`} AND INFO NOT LIKE '%PROCESSLIST%'`.execute(admin)
      ).rows[0];
    return { admin, thread };
  };

  it('MariaDB drops a reader paused past net_write_timeout; the stream then fails, it never ends', async () => {
    const marker = `paused_${Math.floor(Math.random() * 1e9)}`;
    const { admin, thread } = watch();
    const budgets: DbBudgets = {
      connectMs: 5_000,
      queryMs: 5_000,
      deadline: Date.now() + 60_000,
      netWriteTimeoutS: 1,
    };
    const rows = streamRowsInTurn(
      env.DB_CONSOLE,
      [query(marker)],
      500,
      { columns: COLUMNS },
      budgets,
      'console',
    );
    let read = 0;
    try {
      read += (await rows.next()).value?.length ?? 0;
      // The reader stops: MariaDB blocks writing to it...
      const blocked = await pollUntil(
        () => thread(marker),
        (t) => t?.state === 'Writing to net',
        { tries: 50 },
      );
      expect(blocked).toMatchObject({ state: 'Writing to net', command: 'Query' });
      // ...until net_write_timeout (1 s here) ends the connection on its side.
      expect(
        await pollUntil(
          () => thread(marker),
          (t) => t === undefined,
          { tries: 100 },
        ),
      ).toBeUndefined();
      // The reader comes back: what was buffered, then the failure (a lost connection).
      const failure = await (async () => {
        for (let next = await rows.next(); !next.done; next = await rows.next()) read += next.value.length;
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseError);
      expect(failure).toMatchObject({ kind: 'lost', database: 'console' });
      expect(read).toBeLessThan(2_000_000);
    } finally {
      await rows.return(undefined);
      await admin.destroy();
    }
  });

  it('max_statement_time alone does not end a paused write: the thread is killed but stays, blocked', async () => {
    const marker = `paused_${Math.floor(Math.random() * 1e9)}`;
    const { admin, thread } = watch();
    // The statement's limit passes while it is blocked; net_write_timeout is far (30 s).
    const budgets: DbBudgets = {
      connectMs: 5_000,
      queryMs: 5_000,
      deadline: Date.now() + 1_000,
      netWriteTimeoutS: 30,
    };
    const rows = streamRowsInTurn(
      env.DB_CONSOLE,
      [query(marker)],
      500,
      { columns: COLUMNS },
      budgets,
      'console',
    );
    try {
      await rows.next();
      const killed = await pollUntil(
        () => thread(marker),
        (t) => t?.command === 'Killed',
        { tries: 100 },
      );
      // Marked killed by its limit, yet still there, writing: only net_write_timeout (or the
      // Worker closing the socket) frees it. Hence the stream's net_write_timeout.
      expect(killed).toMatchObject({ state: 'Writing to net', command: 'Killed' });
      // The Worker closing the stream (its stall or duration abort) ends it at once.
      await rows.return(undefined);
      expect(
        await pollUntil(
          () => thread(marker),
          (t) => t === undefined,
          { tries: 50 },
        ),
      ).toBeUndefined();
    } finally {
      await rows.return(undefined);
      await admin.destroy();
    }
  });
});
