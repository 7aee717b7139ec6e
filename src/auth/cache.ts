import type { ValidAuth } from '../shared/auth/contract';

/** Entries kept per auth helper binding; the oldest goes first beyond it. */
export const AUTH_CACHE_MAX_ENTRIES = 1_000;

/**
 * Valid key pairs recently confirmed by the auth helper, kept in the isolate's memory so that a
 * client's next requests skip the service binding round trip (and the helper's KV read).
 *
 * - Keyed by the SHA-256 of the pair as sent (`keyPairHash`, src/shared/auth/contract.ts), never by the keys themselves.
 * - Only valid answers are kept: an unknown or revoked pair always asks the helper (whose KV
 *   caches invalid answers for a minute), so a newly issued key is never refused from here.
 * - Revocation: a revoked pair can keep working in an isolate for up to the TTL (AUTH_CACHE_TTL_MS)
 *   after the helper stopped confirming it; the helper itself refuses a pair an operator revoked
 *   within its REVOCATIONS_MAX_AGE_MS (auth-helper/src/revocation-list.ts).
 * - Bounded: at most AUTH_CACHE_MAX_ENTRIES entries, oldest first out; expired entries are
 *   dropped when read.
 */
export class AuthCache {
  private readonly entries = new Map<string, { auth: ValidAuth; expiresAt: number }>();

  constructor(private readonly maxEntries = AUTH_CACHE_MAX_ENTRIES) {}

  get(hash: string, now: number): ValidAuth | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.auth;
  }

  set(hash: string, auth: ValidAuth, ttlMs: number, now: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(hash); // re-inserted last: Map order is insertion order
    this.entries.set(hash, { auth, expiresAt: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys held (hashes), for tests. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

// One cache per auth helper binding: an answer is only reused for the helper that gave it.
const caches = new WeakMap<object, AuthCache>();

/** The isolate's cache of the answers of `helper` (the AUTH binding). */
export function authCacheFor(helper: object): AuthCache {
  let cache = caches.get(helper);
  if (!cache) {
    cache = new AuthCache();
    caches.set(helper, cache);
  }
  return cache;
}
