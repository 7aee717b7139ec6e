import { Hono } from 'hono';
import { API_KEY_HEADER, AuthRequestSchema, INTEGRATION_KEY_HEADER } from '../../src/shared/auth/contract';
import { apiErrorOf } from '../../src/shared/errors/database';
import { logEvent } from '../../src/shared/observability/logger';
import { traceFrom } from '../../src/shared/observability/trace';
import { bindingOnly } from './binding-only';
import type { AuthHelperEnv } from './env';
import { CACHE_TTL_INVALID_S, CACHE_TTL_VALID_S, cacheKeyOf } from './kv-cache';
import { type Answer, INVALID, lookUp } from './lookup';
import { problem } from './problem';
import { revocationsOf } from './revocation-list';

export { AuthAdmin } from './admin';
export type { AuthHelperEnv } from './env';
export { Revocations } from './revocations';

const app = new Hono<{ Bindings: AuthHelperEnv }>();

app.use(bindingOnly);

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

  const cacheKey = await cacheKeyOf(integrationKey, apiKey);
  let answer: Answer | undefined;
  try {
    const cached = await c.env.CACHE.get<Answer>(cacheKey, 'json');
    // A valid answer without its row cannot be checked against the revocations: asked again.
    if (cached && (!cached.result.valid || cached.apiId)) {
      logEvent('info', 'auth.cache.hit', { trace_id: trace.traceId, valid: cached.result.valid });
      answer = cached;
    }
  } catch (error) {
    // A KV outage only costs a database lookup.
    logEvent('warn', 'auth.cache.unavailable', { trace_id: trace.traceId, error: (error as Error).name });
  }

  if (!answer) {
    try {
      answer = await lookUp(c.env, integrationKey, apiKey);
    } catch (thrown) {
      const error = apiErrorOf(thrown);
      const code = typeof error === 'object' && error && 'status' in error ? String(error.status) : 'unknown';
      logEvent('error', 'auth.failure', { trace_id: trace.traceId, reason: 'database', status: code });
      return problem(c, 503, 'Service Unavailable', 'The key store is unreachable.');
    }
    logEvent('info', 'auth.cache.miss', {
      trace_id: trace.traceId,
      valid: answer.result.valid,
      account_id: answer.result.valid ? answer.result.accountId : null,
    });
    c.executionCtx.waitUntil(
      c.env.CACHE.put(cacheKey, JSON.stringify(answer), {
        expirationTtl: answer.result.valid ? CACHE_TTL_VALID_S : CACHE_TTL_INVALID_S,
      }).catch((error: Error) =>
        logEvent('warn', 'auth.cache.write_failed', { trace_id: trace.traceId, error: error.name }),
      ),
    );
  }

  // Checked on every valid answer, cached or not: the KV entry stays as the database answered, so
  // lifting a revocation needs no purge, and one entry per row refuses every spelling.
  if (answer.result.valid && answer.apiId !== undefined) {
    const { list, maxAgeMs } = revocationsOf(c.env);
    if (await list.has(answer.apiId, maxAgeMs)) {
      logEvent('warn', 'auth.revoked', { trace_id: trace.traceId, api_id: answer.apiId });
      return c.json(INVALID);
    }
  }
  return c.json(answer.result);
});

app.notFound((c) => problem(c, 404, 'Not Found', 'Unknown path.'));

export default app;
