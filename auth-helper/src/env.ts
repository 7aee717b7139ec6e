import type { AuthHelperBindings } from './bindings';

/**
 * The auth helper's bindings: those of auth-helper/wrangler.toml, typed by `wrangler types`
 * (src/bindings.ts, `npm run types`), and optional settings no environment sets there.
 */
export interface AuthHelperEnv extends AuthHelperBindings {
  /** Optional: how old this isolate's copy of the revocations may be, in ms (default 5000). */
  REVOCATIONS_MAX_AGE_MS?: string;
  DB_CONNECT_TIMEOUT_MS?: string;
  DB_QUERY_TIMEOUT_MS?: string;
}

/**
 * What a service binding may attach to its calls (`props` of `[[services]]` in the calling Worker's
 * wrangler.toml, delivered as ctx.props). Only whoever deploys a Worker on the account can set it;
 * an HTTP request from the Internet always arrives with `{}`.
 */
export interface CallerProps {
  caller?: unknown;
}
