import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';
import { traceFrom } from '../observability/trace';
import { requestNow } from '../request/clock';
import { resolveRequest } from '../routing/resolve';

export const ALLOW = 'GET, HEAD, OPTIONS';

/**
 * First gate of every request (CONTRACT §4 order): unknown path or version prefix → 404 whatever
 * the method, then methods other than GET/HEAD/OPTIONS → 405. Keeps the request id, trace, clock
 * and resolved route on the context.
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const trace = traceFrom(c.req.header('traceparent'));
  c.set('trace', trace);
  c.set('requestId', trace.spanId);
  c.set('now', requestNow(c.env, c.req.raw));
  const route = resolveRequest(c.req.raw);
  if (!route) throw new ApiError(404, `No resource at ${new URL(c.req.url).pathname}.`);
  c.set('route', route);
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    throw new ApiError(405, `Method ${method} is not allowed; use GET.`, { headers: { Allow: ALLOW } });
  }
  // OPTIONS on a known path is answered 204 by the CORS middleware next (no keys, not counted);
  // it carries the headers already set on the context.
  if (method === 'OPTIONS') c.header('Allow', ALLOW);
  await next();
};
