import type { Revocations } from './revocations';

/** Bindings of the auth helper Worker (auth-helper/wrangler.toml). */
export interface AuthHelperEnv {
  ENVIRONMENT: string;
  COMMIT_SHA: string;
  DB_CONSOLE: Hyperdrive;
  CACHE: KVNamespace;
  /** The revoked key pairs (one object for the whole account, src/revocations.ts). */
  REVOCATIONS: DurableObjectNamespace<Revocations>;
  /** Optional: how old this isolate's copy of the revocations may be, in ms (default 5000). */
  REVOCATIONS_MAX_AGE_MS?: string;
  /**
   * Optional: "props-or-internal" also answers calls without props that no edge request made
   * (src/binding-only.ts), while a Public API version without props can serve; absent: props only.
   */
  CALLER_CHECK?: string;
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
