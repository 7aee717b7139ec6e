import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';
import { rawPathOf, resolvePath } from '../routing/resolve';

const ALLOW = 'GET, HEAD, OPTIONS';

/**
 * First gate of every request (CONTRACT §4 order): unknown path or version prefix → 404 whatever
 * the method, then OPTIONS → 204 and other methods → 405. Keeps the resolved route on the context.
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('requestId', c.req.header('cf-ray') ?? crypto.randomUUID());
  const route = resolvePath(rawPathOf(c.req.url));
  if (!route) throw new ApiError(404, `No resource at ${rawPathOf(c.req.url)}.`);
  const method = c.req.method;
  if (method === 'OPTIONS') return c.body(null, 204, { Allow: ALLOW });
  if (method !== 'GET' && method !== 'HEAD') {
    throw new ApiError(405, `Method ${method} is not allowed; use GET.`, { headers: { Allow: ALLOW } });
  }
  c.set('route', route);
  await next();
};
