import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { logEvent } from '../observability/logger';

/**
 * Wraps every request: one structured log line when it ends (never the keys: only the account
 * id, which the auth helper resolved), and the cache rule for authenticated answers.
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const route = c.get('route');
  if (route?.authenticated) c.res.headers.set('Cache-Control', 'private, no-store');
  // The id of this request's log lines, for a caller to quote to support.
  const requestId = c.get('requestId');
  if (requestId) c.res.headers.set('X-Request-Id', requestId);
  logEvent(c.res.status >= 500 ? 'error' : 'info', 'request', {
    request_id: c.get('requestId'),
    trace_id: c.get('trace')?.traceId,
    account_id: c.get('auth')?.accountId ?? null,
    endpoint: route?.template ?? null,
    version: route?.version ?? null,
    format: c.get('format') ?? null,
    method: c.req.method,
    status: c.res.status,
    query_ms: c.get('queryMs') ?? 0,
    queries_console: c.get('queries')?.console ?? 0,
    queries_aggregate: c.get('queries')?.aggregate ?? 0,
    total_ms: Date.now() - started,
    commit_sha: c.env.COMMIT_SHA,
    outcome: c.get('rateLimit') ?? null,
    origin: c.get('origin') ?? null,
    shadowed: c.get('shadowed') ?? false,
  });
};
