import { Hono } from 'hono';
import { sql } from 'kysely';
import {
  API_KEY_HEADER,
  AuthRequestSchema,
  type AuthResult,
  INTEGRATION_KEY_HEADER,
  keyPairHash,
} from '../../src/auth/contract';
import { createKysely } from '../../src/db/connection';
import { budgetsOf } from '../../src/db/index';
import { logEvent } from '../../src/observability/logger';
import { traceFrom } from '../../src/observability/trace';

export interface AuthHelperEnv {
  ENVIRONMENT: string;
  COMMIT_SHA: string;
  DB_CONSOLE: Hyperdrive;
  CACHE: KVNamespace;
  DB_CONNECT_TIMEOUT_MS?: string;
  DB_QUERY_TIMEOUT_MS?: string;
}

/** Results are cached in KV: 5 minutes for a valid pair (seed 001 Phase 3), 1 minute otherwise. */
const CACHE_TTL_VALID_S = 300;
const CACHE_TTL_INVALID_S = 60;

const INVALID: AuthResult = { valid: false, accountId: 0, rph: 0 };

interface ApiRow {
  account_id: string;
  name: string;
  rph: string;
  int_key: string;
  api_key: string;
}

/**
 * The legacy lookup (CONTRACT §1.1), run by the database so that its utf8mb4_unicode_ci
 * collation decides equality: case, accents and trailing spaces (PAD SPACE) as the PHP API had.
 */
async function lookUp(env: AuthHelperEnv, integrationKey: string, apiKey: string): Promise<AuthResult> {
  const db = createKysely<Record<string, never>>(env.DB_CONSOLE, budgetsOf(env), 'console');
  try {
    const { rows } = await sql<ApiRow>`
      SELECT api.account_id, api.name, api.rph, api.int_key, api.api_key FROM api
      JOIN account ON account.id = api.account_id AND !account.is_deleted
      WHERE api.int_key = ${integrationKey} AND api.api_key = ${apiKey} AND !api.is_deleted
      LIMIT 1`.execute(db);
    const row = rows[0];
    if (!row) return INVALID;
    return {
      valid: true,
      accountId: Number(row.account_id),
      rph: Number(row.rph),
      name: row.name,
      // The stored pair, not the spelling sent: every collation-equal spelling shares one limiter.
      keyHash: await keyPairHash(row.int_key, row.api_key),
    };
  } finally {
    await db.destroy();
  }
}

const app = new Hono<{ Bindings: AuthHelperEnv }>();

app.get('/__health', (c) =>
  c.json({ status: 'ok', commit_sha: c.env.COMMIT_SHA, environment: c.env.ENVIRONMENT }),
);

app.post('/auth', async (c) => {
  const trace = traceFrom(c.req.header('traceparent'));
  const body = c.req.header('content-type')?.startsWith('application/json')
    ? AuthRequestSchema.safeParse(await c.req.json().catch(() => undefined))
    : undefined;
  const apiKey = body?.success ? body.data.apiKey : (c.req.header(API_KEY_HEADER) ?? '');
  const integrationKey = body?.success
    ? body.data.integrationKey
    : (c.req.header(INTEGRATION_KEY_HEADER) ?? '');
  if (!apiKey || !integrationKey) return c.json(INVALID);

  const cacheKey = `auth:v1:${await keyPairHash(integrationKey, apiKey)}`;
  try {
    const cached = await c.env.CACHE.get<AuthResult>(cacheKey, 'json');
    if (cached) {
      logEvent('info', 'auth.cache.hit', { trace_id: trace.traceId, valid: cached.valid });
      return c.json(cached);
    }
  } catch (error) {
    // A KV outage only costs a database lookup.
    logEvent('warn', 'auth.cache.unavailable', { trace_id: trace.traceId, error: (error as Error).name });
  }

  let result: AuthResult;
  try {
    result = await lookUp(c.env, integrationKey, apiKey);
  } catch (error) {
    const code = typeof error === 'object' && error && 'status' in error ? String(error.status) : 'unknown';
    logEvent('error', 'auth.failure', { trace_id: trace.traceId, reason: 'database', status: code });
    return c.json(
      {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The key store is unreachable.',
      },
      503,
    );
  }
  logEvent('info', 'auth.cache.miss', {
    trace_id: trace.traceId,
    valid: result.valid,
    account_id: result.valid ? result.accountId : null,
  });
  c.executionCtx.waitUntil(
    c.env.CACHE.put(cacheKey, JSON.stringify(result), {
      expirationTtl: result.valid ? CACHE_TTL_VALID_S : CACHE_TTL_INVALID_S,
    }).catch((error: Error) =>
      logEvent('warn', 'auth.cache.write_failed', { trace_id: trace.traceId, error: error.name }),
    ),
  );
  return c.json(result);
});

app.notFound((c) =>
  c.json({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Unknown path.' }, 404),
);

export default app;
