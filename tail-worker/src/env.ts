import type { TailBindings } from './bindings';

/**
 * The tail Worker's bindings: those of tail-worker/wrangler.toml, typed by `wrangler types`
 * (src/bindings.ts, `npm run types`), and its one secret.
 */
export interface TailEnv extends TailBindings {
  /** A secret (`wrangler secret put`), never in wrangler.toml. */
  NEW_RELIC_LICENSE_KEY?: string;
}

export interface ShipSettings {
  url: string;
  licenseKey: string;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

function bounded(raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(value)
    ? Math.min(max, Math.max(min, Math.trunc(value)))
    : fallback;
}

/**
 * The shipping settings, or null when there is nowhere to post (no license key). Bounds keep a
 * mistyped var from making one tail invocation retry for minutes.
 */
export function shipSettingsOf(env: TailEnv): ShipSettings | null {
  if (!env.NEW_RELIC_LICENSE_KEY || !env.NEW_RELIC_LOGS_URL) return null;
  return {
    url: env.NEW_RELIC_LOGS_URL,
    licenseKey: env.NEW_RELIC_LICENSE_KEY,
    maxAttempts: bounded(env.NEW_RELIC_MAX_ATTEMPTS, 3, 1, 5),
    backoffMs: bounded(env.NEW_RELIC_BACKOFF_MS, 250, 0, 5_000),
    timeoutMs: bounded(env.NEW_RELIC_TIMEOUT_MS, 5_000, 100, 30_000),
  };
}
