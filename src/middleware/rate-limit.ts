import type { MiddlewareHandler } from 'hono';
import type { RateDecision } from '../../durable-objects/rate-limiter';
import type { AppEnv } from '../env';
import { IsolateAllowance } from '../ratelimit/isolate-allowance';
import { LimiterHealth } from '../ratelimit/limiter-health';
import { testHooksEnabled } from '../request/clock';
import { configOf } from '../shared/config';
import { ApiError } from '../shared/errors/api-error';
import { logEvent } from '../shared/observability/logger';

/** Retry-After of a request refused because the limiter is down. */
const LIMITER_DOWN_RETRY_AFTER_S = 30;

// Per isolate: the fallback's counts and what this isolate has seen of the object's health.
const fallback = new IsolateAllowance();
const health = new LimiterHealth();

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The key pair's hourly allowance (CONTRACT §5), after the keys and before any parameter check,
 * decided by the pair's RateLimiter Durable Object. When the object fails or does not answer
 * within the timeout, this isolate's own count with the same allowance decides (the fallback: an
 * outage of the limiter is neither an outage of the API nor an open gate); when it has been failing
 * for longer than the threshold, requests are refused with 503 and Retry-After (fail closed: the
 * fallback counts per isolate, so a long outage under many isolates would admit more than rph).
 */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get('auth');
  const settings = configOf(c.env).rateLimit;
  const namespace = c.env.RATE_LIMITER;
  let decision: RateDecision;
  let outcome: AppEnv['Variables']['rateLimit'];
  try {
    const stub = namespace.get(namespace.idFromName(auth.keyHash));
    // Replays of captures start each rate-limit sequence from an empty allowance, as the capture
    // did with the oracle's reset endpoint: a control request, answered 204 and not counted.
    // Honoured only where the test clock is (never deployed: test/tooling/wrangler-config.test.ts).
    if (testHooksEnabled(c.env) && c.req.header('x-test-reset-allowance') === '1') {
      await stub.reset();
      c.res = new Response(null, { status: 204 });
      return;
    }
    decision = await withTimeout(
      stub.hit(auth.rph, c.get('now').getTime(), auth.keyHash),
      settings.timeoutMs,
    );
    health.succeeded();
    outcome = decision.allowed ? 'allowed' : 'throttled';
  } catch (error) {
    const failingMs = health.failed(Date.now());
    const closed = failingMs >= settings.failClosedAfterMs;
    logEvent('error', closed ? 'ratelimit.failed_closed' : 'ratelimit.fallback', {
      request_id: c.get('requestId'),
      account_id: auth.accountId,
      error: error instanceof Error ? error.message.slice(0, 100) : 'unknown',
      failing_ms: failingMs,
    });
    if (closed) {
      c.set('rateLimit', 'failed_closed');
      throw new ApiError(503, 'The request allowance cannot be checked at the moment; retry later.', {
        headers: { 'Retry-After': String(LIMITER_DOWN_RETRY_AFTER_S) },
      });
    }
    decision = fallback.hit(auth.keyHash, auth.rph, c.get('now').getTime());
    outcome = decision.allowed ? 'fallback_allowed' : 'fallback_throttled';
  }
  c.set('rateLimit', outcome);
  const fields = rateLimitFields(auth.rph, decision);
  if (!decision.allowed) {
    throw new ApiError(429, `This key pair has used its ${auth.rph} requests for this hour.`, {
      headers: { 'Retry-After': String(decision.retryAfter), ...fields },
    });
  }
  await next();
  for (const [name, value] of Object.entries(fields)) c.res.headers.set(name, value);
};

/**
 * The allowance as the IETF RateLimit header fields state it (draft-ietf-httpapi-ratelimit-headers):
 * the policy (`q` requests per `w` seconds) and what is left of it (`r`) until the window resets
 * in `t` seconds. Extra headers: parity compares status, Content-Type, Retry-After and body only.
 */
export function rateLimitFields(rph: number, decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"hourly";q=${rph};w=3600`,
    RateLimit: `"hourly";r=${Math.max(0, rph - decision.count)};t=${decision.retryAfter}`,
  };
}
