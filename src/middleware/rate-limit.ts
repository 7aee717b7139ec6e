import type { MiddlewareHandler } from 'hono';
import type { RateDecision } from '../../durable-objects/rate-limiter';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';
import { logEvent } from '../observability/logger';
import { testHooksEnabled } from '../request/clock';

/**
 * The key pair's hourly allowance (CONTRACT §5), after the keys and before any parameter check.
 * If the limiter itself fails the request goes through (fail open) with an error log line:
 * counters are ephemeral by design (seed 001 Phase 5), an outage of the limiter must not become an
 * outage of the API.
 */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.var.auth;
  let decision: RateDecision | undefined;
  try {
    const namespace = c.env.RATE_LIMITER;
    const stub = namespace.get(namespace.idFromName(auth.keyHash));
    // Replays of captures start each rate-limit sequence from an empty allowance, as the capture
    // did with the oracle's reset endpoint: a control request, answered 204 and not counted.
    // Honoured only where the test clock is (never deployed: test/tooling/wrangler-config.test.ts).
    if (testHooksEnabled(c.env) && c.req.header('x-test-reset-allowance') === '1') {
      await stub.reset();
      c.res = new Response(null, { status: 204 });
      return;
    }
    decision = await stub.hit(auth.rph, c.var.now.getTime());
  } catch (error) {
    logEvent('error', 'ratelimit.failed_open', {
      request_id: c.var.requestId,
      account_id: auth.accountId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
  c.set('rateLimit', decision ? (decision.allowed ? 'allowed' : 'throttled') : 'failed_open');
  if (decision && !decision.allowed) {
    throw new ApiError(429, `This key pair has used its ${auth.rph} requests for this hour.`, {
      headers: { 'Retry-After': String(decision.retryAfter) },
    });
  }
  await next();
};
