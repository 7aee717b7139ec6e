/**
 * How long a valid answer of the auth helper is reused in this isolate (AUTH_CACHE_TTL_MS overrides):
 * part of the revocation bound (README, "Revoking a key pair"), so seconds, not minutes.
 */
export const DEFAULT_AUTH_CACHE_TTL_MS = 5_000;

/** The configured time to live: a non-negative number of milliseconds, 0 turning the cache off. */
export function authCacheTtlMs(configured: string | undefined): number {
  if (configured === undefined || configured.trim() === '') return DEFAULT_AUTH_CACHE_TTL_MS;
  const ms = Number(configured);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_AUTH_CACHE_TTL_MS;
}
