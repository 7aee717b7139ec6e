import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { unknownPath } from '../errors/not-found';
import { requestNow } from '../request/clock';
import { resolveRequest } from '../routing/resolve';
import { requestScope } from '../shared/observability/request-scope';
import { traceFrom } from '../shared/observability/trace';

/**
 * First gate of every request (CONTRACT §4 order): unknown path or version prefix → 404 whatever
 * the method. Keeps the request id, trace, clock and resolved route on the context.
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const trace = traceFrom(c.req.header('traceparent'));
  c.set('trace', trace);
  c.set('requestId', trace.spanId);
  const scope = requestScope.getStore();
  if (scope) scope.requestId = trace.spanId;
  c.set('now', requestNow(c.env, c.req.raw));
  const route = resolveRequest(c.req.raw);
  if (!route) throw unknownPath(new URL(c.req.url).pathname);
  c.set('route', route);
  c.set('origin', 'worker');
  await next();
};
