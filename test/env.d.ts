// Types of `cloudflare:workers` / `cloudflare:test` inside the Workers test project.
import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../src/index');
    }
    interface Env extends WorkerEnv {
      /** Hyperdrive to a closed port (vitest.config.ts). */
      DB_CLOSED: Hyperdrive;
      /** Hyperdrive as the admin user, to the `mysql` database (vitest.config.ts). */
      DB_ADMIN: Hyperdrive;
      /** The auth helper Worker with an unreachable database. */
      AUTH_BROKEN: Fetcher;
      /** Failed authentications per client IP with a limit of 3 per minute (vitest.config.ts). */
      AUTH_FAILURES_TIGHT: RateLimit;
    }
  }
}
