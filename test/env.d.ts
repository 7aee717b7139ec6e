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
      /** A second isolate of the auth helper: own memory, the same Revocations object. */
      AUTH_PEER: Fetcher;
      /** The auth helper's operator entrypoint (auth-helper/src/admin.ts). */
      AUTH_ADMIN: Service<import('../auth-helper/src/admin').AuthAdmin>;
      /** The auth helper through a binding whose props name no caller. */
      AUTH_NO_CALLER: Fetcher;
      /** The auth helper's KV cache. */
      AUTH_HELPER_CACHE: KVNamespace;
      /** The auth helper's Revocations object. */
      AUTH_HELPER_REVOCATIONS: DurableObjectNamespace<import('../auth-helper/src/revocations').Revocations>;
      /** Failed authentications per client IP with a limit of 3 per minute (vitest.config.ts). */
      AUTH_FAILURES_TIGHT: RateLimit;
    }
  }
}
