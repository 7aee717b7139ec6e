import type { Kysely } from 'kysely';
import type { AggregateDatabase, ConsoleDatabase } from './db/schema';
import type { ResolvedRoute } from './routing/resolve';

/** Bindings declared in wrangler.toml (the same names in every environment). */
export interface Env {
  ENVIRONMENT: string;
  COMMIT_SHA: string;
  CORS_ALLOWED_ORIGINS: string;
  DB_CONSOLE: Hyperdrive;
  DB_AGGREGATE: Hyperdrive;
  RATE_LIMITER: DurableObjectNamespace;
  AUTH: Fetcher;
  ASSETS: Fetcher;
}

/** Per-request state kept on the Hono context. */
export interface Variables {
  requestId: string;
  route: ResolvedRoute;
  db: RequestDatabases;
}

export interface RequestDatabases {
  readonly console: Kysely<ConsoleDatabase>;
  readonly aggregate: Kysely<AggregateDatabase>;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Variables;
}
