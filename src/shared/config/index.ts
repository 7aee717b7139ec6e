import { z } from 'zod';
import { DEFAULTS } from './defaults';
import { countVar, listVar, nonNegativeVar, positiveVar, shareVar } from './vars';

export { DEFAULTS } from './defaults';

/** The public Worker's cross-cutting settings, from its `[vars]` (wrangler.toml, tests, `--var`). */
const ConfigSchema = z
  .object({
    DB_CONNECT_TIMEOUT_MS: positiveVar(DEFAULTS.db.connectMs),
    DB_QUERY_TIMEOUT_MS: positiveVar(DEFAULTS.db.queryMs),
    STREAM_READER_STALL_MS: positiveVar(DEFAULTS.stream.readerStallMs),
    STREAM_MAX_DURATION_MS: positiveVar(DEFAULTS.stream.maxDurationMs),
    STREAM_MAX_PER_KEY: countVar(DEFAULTS.stream.maxPerKey),
    AUTH_CACHE_TTL_MS: nonNegativeVar(DEFAULTS.auth.cacheTtlMs),
    AUTH_TIMEOUT_MS: positiveVar(DEFAULTS.auth.timeoutMs),
    RATE_LIMIT_TIMEOUT_MS: nonNegativeVar(DEFAULTS.rateLimit.timeoutMs),
    RATE_LIMIT_FAIL_CLOSED_AFTER_MS: nonNegativeVar(DEFAULTS.rateLimit.failClosedAfterMs),
    SHADOW_SAMPLE_RATE: shareVar(),
    CORS_ALLOWED_ORIGINS: listVar(),
  })
  .transform((vars) => ({
    db: { connectMs: vars.DB_CONNECT_TIMEOUT_MS, queryMs: vars.DB_QUERY_TIMEOUT_MS },
    stream: {
      readerStallMs: vars.STREAM_READER_STALL_MS,
      maxDurationMs: vars.STREAM_MAX_DURATION_MS,
      maxPerKey: vars.STREAM_MAX_PER_KEY,
    },
    auth: { cacheTtlMs: vars.AUTH_CACHE_TTL_MS, timeoutMs: vars.AUTH_TIMEOUT_MS },
    rateLimit: {
      timeoutMs: vars.RATE_LIMIT_TIMEOUT_MS,
      failClosedAfterMs: vars.RATE_LIMIT_FAIL_CLOSED_AFTER_MS,
    },
    shadow: { sampleRate: vars.SHADOW_SAMPLE_RATE },
    cors: { origins: vars.CORS_ALLOWED_ORIGINS },
  }));

export type Config = z.output<typeof ConfigSchema>;
export type StreamSettings = Config['stream'];
/** The `[vars]` the schema reads (all optional: each has its default). */
export type ConfigVars = { [K in keyof z.input<typeof ConfigSchema>]?: string };

const parsed = new WeakMap<object, Config>();
const NO_VARS = {};

/** The settings of an environment, parsed once per `env` object (an isolate keeps its env). */
export function configOf(env: ConfigVars | undefined): Config {
  const vars = env ?? NO_VARS;
  let config = parsed.get(vars);
  if (!config) {
    config = ConfigSchema.parse(vars);
    parsed.set(vars, config);
  }
  return config;
}
