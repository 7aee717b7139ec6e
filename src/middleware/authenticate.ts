import type { MiddlewareHandler } from 'hono';
import { authCacheFor } from '../auth/cache';
import { keysOf } from '../auth/keys';
import type { AppEnv } from '../env';
import { countFailedAuthentication, refuseBlockedClient } from '../ratelimit/auth-failures';
import {
  API_KEY_HEADER,
  type AuthRequest,
  AuthResultSchema,
  INTEGRATION_KEY_HEADER,
  keyPairHash,
} from '../shared/auth/contract';
import { configOf } from '../shared/config';
import { ApiError } from '../shared/errors/api-error';
import { logEvent } from '../shared/observability/logger';
import { traceparentOf } from '../shared/observability/trace';

function unavailable(reason: string): ApiError {
  // 503, never 401: an outage must make callers retry, not re-key (seed 001 Phase 3).
  logEvent('error', 'auth.unavailable', { reason });
  return new ApiError(503, 'Authentication is temporarily unavailable; retry later.', {
    headers: { 'Retry-After': '30' },
  });
}

/**
 * Keys (CONTRACT §1.1) checked through the auth helper Worker on the AUTH service binding. A pair
 * the helper confirmed within AUTH_CACHE_TTL_MS is taken from this isolate's cache
 * (src/auth/cache.ts) without asking it again; invalid pairs always ask.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { apiKey, integrationKey } = keysOf(c);
  if (!apiKey || !integrationKey) {
    const missing = [!integrationKey && INTEGRATION_KEY_HEADER, !apiKey && API_KEY_HEADER]
      .filter(Boolean)
      .join(' and ');
    throw new ApiError(
      401,
      `Missing ${missing}: send both headers (or the integration_key and api_key query parameters).`,
    );
  }
  const cache = authCacheFor(c.env.AUTH);
  const hash = await keyPairHash(integrationKey, apiKey);
  const cached = cache.get(hash, Date.now());
  c.set('authCached', Boolean(cached));
  if (cached) {
    c.set('auth', cached);
    return next();
  }
  refuseBlockedClient(c);
  let response: Response;
  try {
    response = await c.env.AUTH.fetch('https://auth-helper/auth', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', traceparent: traceparentOf(c.get('trace')) },
      body: JSON.stringify({ apiKey, integrationKey } satisfies AuthRequest),
      signal: AbortSignal.timeout(configOf(c.env).auth.timeoutMs),
    });
  } catch (error) {
    throw unavailable(error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable');
  }
  if (!response.ok) throw unavailable(`status ${response.status}`);
  const parsed = AuthResultSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw unavailable('malformed answer');
  if (!parsed.data.valid) {
    await countFailedAuthentication(c);
    throw new ApiError(401, 'The key pair is not valid.');
  }
  cache.set(hash, parsed.data, configOf(c.env).auth.cacheTtlMs, Date.now());
  c.set('auth', parsed.data);
  await next();
};
