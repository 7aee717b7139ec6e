import type { PublicApiBindings } from './bindings';
import type { HandlerFlagVars } from './cutover/handler-flags';
import type { OutputFormat } from './request/format';
import type { ResolvedRoute } from './routing/resolve';
import type { ValidAuth } from './shared/auth/contract';
import type { RequestDatabases } from './shared/db';
import type { TraceContext } from './shared/observability/trace';

/**
 * The Worker's bindings: those of wrangler.toml, typed by `wrangler types` (src/bindings.ts,
 * `npm run types`; CI fails when it is stale), and the optional settings that no wrangler.toml
 * environment sets (tests and `wrangler dev --var` may). Every setting is parsed by one schema,
 * with its default, in src/shared/config.
 */
export interface Env extends PublicApiBindings, HandlerFlagVars {
  /** Optional database budgets in milliseconds: a connect, and all the queries of one request together. */
  DB_CONNECT_TIMEOUT_MS?: string;
  DB_QUERY_TIMEOUT_MS?: string;
  /** Optional auth helper budget in milliseconds. */
  AUTH_TIMEOUT_MS?: string;
  /** Optional lifetime in milliseconds of a valid pair in the isolate's auth cache (0: off). */
  AUTH_CACHE_TTL_MS?: string;
  /**
   * Optional: how long a streamed body may wait for its reader to take the next chunk before it
   * is aborted and its database connection released, in milliseconds.
   */
  STREAM_READER_STALL_MS?: string;
  /** Optional: how long the RateLimiter may take to answer, in milliseconds. */
  RATE_LIMIT_TIMEOUT_MS?: string;
  /** Optional: how long the RateLimiter may keep failing before requests get 503, in milliseconds. */
  RATE_LIMIT_FAIL_CLOSED_AFTER_MS?: string;
  /** Test-only pinned clock (ISO instant); absent from every deployed environment. */
  TEST_CLOCK?: string;
}

/** Per-request state kept on the Hono context. */
export interface Variables {
  requestId: string;
  route: ResolvedRoute;
  /** The request clock (src/request/clock.ts). */
  now: Date;
  trace: TraceContext;
  format: OutputFormat;
  auth: ValidAuth;
  /** The allowance's decision: by the RateLimiter, by the isolate's fallback, or refused (503). */
  rateLimit: 'allowed' | 'throttled' | 'fallback_allowed' | 'fallback_throttled' | 'failed_closed';
  /** Which origin answered (src/cutover/legacy-fallback.ts): the Worker unless a flag says legacy. */
  origin: 'worker' | 'legacy';
  /** Whether the answer is also being compared with the legacy's (src/cutover/shadow.ts). */
  shadowed: boolean;
  /** Whether the key pair's answer came from this isolate's cache (src/auth/cache.ts). */
  authCached: boolean;
  /** Rows of a streamed body handed to the reader so far (src/response/stream.ts). */
  bodyProgress: { rows: number };
  /** The size of a body rendered whole (src/response/render.ts): the request log needs no watch. */
  bodyBytes: number;
  /** Milliseconds spent waiting on the databases (for the request log). */
  queryMs: number;
  /** Queries sent to each database (for the request log): what a request costs in round trips. */
  queries: { console: number; aggregate: number };
  db: RequestDatabases;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Variables;
}
