import type { MiddlewareHandler } from 'hono';
import { logEvent } from '../../src/shared/observability/logger';
import type { AuthHelperEnv, CallerProps } from './env';
import { problem } from './problem';

/** The caller a service binding names in its props, or undefined for any other request. */
export function callerOf(ctx: { props?: unknown } | undefined): string | undefined {
  const caller = (ctx?.props as CallerProps | undefined)?.caller;
  return typeof caller === 'string' && caller !== '' ? caller : undefined;
}

/**
 * Answers only calls made through a service binding whose `props` name the caller
 * (`props = { caller = "..." }` on the binding in the calling Worker's wrangler.toml). An HTTP
 * request, whatever its headers, reaches this Worker with empty props: through a workers.dev or
 * preview URL or a route if one were ever configured. Headers such as CF-Connecting-IP or a shared
 * secret would be weaker: the first depends on how the caller builds its request, the second can
 * leak and needs rotating in two Workers at once.
 *
 * CALLER_CHECK = "props-or-internal" is for the releases during which a Public API version that
 * sends no props can still serve (a canary's old version, a rollback target): a call without props
 * is also answered when it carries no CF-Connecting-IP, which Cloudflare's edge sets on every
 * request from the Internet and the Public API never sends.
 */
export const bindingOnly: MiddlewareHandler<{ Bindings: AuthHelperEnv }> = async (c, next) => {
  let ctx: { props?: unknown } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    // No execution context at all: not a binding call either.
  }
  if (callerOf(ctx)) return next();
  const internal = c.req.header('cf-connecting-ip') === undefined;
  if (c.env.CALLER_CHECK === 'props-or-internal' && internal) {
    logEvent('warn', 'auth.caller.unnamed', { method: c.req.method });
    return next();
  }
  logEvent('warn', 'auth.refused', { reason: 'not_a_service_binding', method: c.req.method });
  return problem(c, 403, 'Forbidden', 'The auth helper answers its service bindings only.');
};
