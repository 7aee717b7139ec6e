// Failed authentications per client address. A 401 costs the auth helper a database query for
// every new random key pair, and the key's own allowance cannot count it (there is no key), so
// the Workers Rate Limiting binding AUTH_FAILURES counts failures per CF-Connecting-IP. Past its
// limit an address is refused with 429 for a period, before any lookup: pairs this isolate has
// confirmed keep working (they never reach the lookup), new ones from that address wait.
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../shared/errors/api-error';
import { logEvent } from '../shared/observability/logger';

/** How long an address that went past the limit is refused (the binding's period). */
const BLOCK_MS = 60_000;
/** Addresses remembered at once in this isolate (memory stays bounded). */
const MAX_BLOCKED = 10_000;

const blockedUntil = new Map<string, number>();

/** Cloudflare sets it on every request at the edge; without it (local tests) nothing is counted. */
const clientOf = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip');

function refused(untilMs: number, nowMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
  return new ApiError(429, 'Too many failed authentications from this address; retry later.', {
    headers: { 'Retry-After': String(seconds) },
  });
}

/** Before a lookup: an address past the limit is refused until its period ends. */
export function refuseBlockedClient(c: Context<AppEnv>, nowMs = Date.now()): void {
  const client = clientOf(c);
  if (!client) return;
  const until = blockedUntil.get(client);
  if (until === undefined) return;
  if (until > nowMs) throw refused(until, nowMs);
  blockedUntil.delete(client);
}

/** After a failed authentication: counted; past the limit, 429 instead of 401 from now on. */
export async function countFailedAuthentication(c: Context<AppEnv>, nowMs = Date.now()): Promise<void> {
  const client = clientOf(c);
  const limiter = c.env.AUTH_FAILURES;
  if (!client || !limiter) return;
  const { success } = await limiter.limit({ key: client });
  if (success) return;
  if (blockedUntil.size >= MAX_BLOCKED) blockedUntil.delete(blockedUntil.keys().next().value!);
  blockedUntil.set(client, nowMs + BLOCK_MS);
  logEvent('warn', 'auth.failures_limited', { request_id: c.get('requestId') });
  throw refused(nowMs + BLOCK_MS, nowMs);
}
