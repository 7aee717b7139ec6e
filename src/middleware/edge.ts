import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { negotiateFormat } from '../request/format';
import { authenticate } from './authenticate';
import { rateLimit } from './rate-limit';

/**
 * The checks of an authenticated (legacy) endpoint, in CONTRACT §4 order: format (410/400), keys
 * (401/503), allowance (429). Parameters (400) and ids (404) follow in the route itself.
 */
export const legacyEdge: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('route').authenticated) return next();
  c.set('format', negotiateFormat(c));
  await authenticate(c, async () => {
    await rateLimit(c, next);
  });
};
