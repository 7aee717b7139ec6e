// The defaults of every cross-cutting setting, in one place. Plain values without imports: the
// operator's commands (scripts/auth-revoke.mjs) read them under Node too.

export const DEFAULTS = {
  /** Database budgets of seed 001 Phases 5–6: a connect, and every query of one request together. */
  db: { connectMs: 5_000, queryMs: 10_000 },
  stream: {
    /** How long a chunk may wait for the reader before the stream is given up. */
    readerStallMs: 60_000,
    /** How long one streamed body may last, however fast its rows come and its reader reads. */
    maxDurationMs: 300_000,
    /** Connector streams one key pair may have open at once. */
    maxPerKey: 5,
  },
  auth: {
    /**
     * How long a valid answer of the auth helper is reused in an isolate: part of the revocation
     * bound (README, "Revoking a key pair"), so seconds, not minutes. 0 turns the cache off.
     */
    cacheTtlMs: 5_000,
    /** How long the auth helper may take before the request is answered 503. */
    timeoutMs: 5_000,
  },
  rateLimit: {
    /** How long the RateLimiter may take to answer before the isolate's fallback decides. */
    timeoutMs: 1_000,
    /** How long the RateLimiter may keep failing before requests are refused. */
    failClosedAfterMs: 60_000,
  },
  /** The share of answered GETs compared with the legacy origin during the soak (0 to 1). */
  shadow: { sampleRate: 0 },
  /** How old an auth helper isolate's copy of the revocations may be. */
  revocationsMaxAgeMs: 5_000,
} as const;
