import { Hono } from 'hono';
import { sql } from 'kysely';
import { createKysely } from '../../src/db/connection';

export interface AuthHelperEnv {
  ENVIRONMENT: string;
  COMMIT_SHA: string;
  DB_CONSOLE: Hyperdrive;
  CACHE: KVNamespace;
}

const app = new Hono<{ Bindings: AuthHelperEnv }>();
app.get('/__health', (c) =>
  c.json({ status: 'ok', commit_sha: c.env.COMMIT_SHA, environment: c.env.ENVIRONMENT }),
);
app.post('/auth', async (c) => {
  const db = createKysely<Record<string, never>>(c.env.DB_CONSOLE);
  try {
    const r = await sql<{
      account_id: string;
      name: string;
      rph: string;
    }>`SELECT api.account_id, api.name, api.rph FROM api JOIN account ON account.id = api.account_id AND !account.is_deleted WHERE api.int_key = ${c.req.header('x-integration-key') ?? ''} AND api.api_key = ${c.req.header('x-api-key') ?? ''} AND !api.is_deleted LIMIT 1`.execute(
      db,
    );
    const row = r.rows[0];
    return c.json(
      row
        ? { valid: true, accountId: Number(row.account_id), rph: Number(row.rph), name: row.name }
        : { valid: false, accountId: 0, rph: 0 },
    );
  } finally {
    c.executionCtx.waitUntil(db.destroy());
  }
});
export default app;
