import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getConsole } from '.';
import { MAX_LANES } from './kysely-driver';

describe('Kysely over the budgeted driver', () => {
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
});
