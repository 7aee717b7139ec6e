import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { originalUrlOf } from '../request/query';
import { ApiError } from '../shared/errors/api-error';
import { logEvent } from '../shared/observability/logger';
import { originOf } from './handler-flags';

/** Headers of the caller's request that describe this hop, not the request: never forwarded. */
const HOP_HEADERS =
  /^(host|connection|keep-alive|transfer-encoding|upgrade|cf-.*|x-forwarded-.*|x-real-ip)$/i;

/**
 * A handler switched to `legacy` (handler-flags.ts): the request goes to LEGACY_ORIGIN as the
 * caller sent it (method, path and query as sent, headers) and the legacy's response comes back
 * unchanged, its body streamed through, never buffered. It runs after the Worker's own checks of
 * what comes before the handler in the legacy's order (path, method, format, keys, allowance),
 * which answer as the legacy would: so the Worker's RateLimiter counts every request of a key,
 * whichever origin answers it, and the legacy, counting only those it is sent, never refuses first.
 */
export const legacyFallback: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = c.get('route');
  if (!route.authenticated || originOf(c.env, route.template, c.req.raw) !== 'legacy') return next();
  const origin = c.env.LEGACY_ORIGIN?.trim();
  if (!origin) {
    logEvent('error', 'cutover.no_legacy_origin', { endpoint: route.template });
    throw new ApiError(503, 'This endpoint is temporarily unavailable; retry later.', {
      headers: { 'Retry-After': '30' },
    });
  }
  const sent = new URL(originalUrlOf(c.req.raw));
  const headers = new Headers();
  c.req.raw.headers.forEach((value, name) => {
    if (!HOP_HEADERS.test(name)) headers.set(name, value);
  });
  const method = c.req.method;
  let upstream: Response;
  try {
    upstream = await fetch(`${origin.replace(/\/+$/, '')}${sent.pathname}${sent.search}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? null : c.req.raw.body,
      redirect: 'manual',
    });
  } catch (error) {
    logEvent('error', 'cutover.legacy_unreachable', {
      endpoint: route.template,
      error: error instanceof Error ? error.name : 'unknown',
    });
    throw new ApiError(502, 'The legacy origin did not answer; retry later.', {
      headers: { 'Retry-After': '30' },
    });
  }
  c.set('origin', 'legacy');
  return new Response(upstream.body, upstream);
};
