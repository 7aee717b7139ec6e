import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../shared/errors/api-error';

export const ALLOW = 'GET, HEAD, OPTIONS';

/**
 * Methods on a known path (CONTRACT §4 order, after the path): other than GET/HEAD/OPTIONS → 405.
 * OPTIONS is answered 204 by the CORS middleware next (no keys, not counted), with `Allow`.
 */
export const allowedMethods: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    throw new ApiError(405, `Method ${method} is not allowed; use GET.`, { headers: { Allow: ALLOW } });
  }
  if (method === 'OPTIONS') c.header('Allow', ALLOW);
  await next();
};
