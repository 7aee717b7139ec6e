import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { requestDatabases } from '../shared/db';

/**
 * Opens the request's databases on first use and closes them once the response is sent. Their
 * queries share one deadline, DB_QUERY_TIMEOUT_MS from here (requestDatabases).
 */
export const databases: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('queryMs', 0);
  c.set('queries', { console: 0, aggregate: 0 });
  const dbs = requestDatabases(c.env, (ms, database) => {
    c.set('queryMs', c.get('queryMs') + ms);
    c.get('queries')[database] += 1;
  });
  c.set('db', dbs);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(dbs.close());
  }
};
