import type { Env } from './env';

// The numeric settings of the database budgets and of streamed bodies, read from wrangler.toml
// `[vars]` (strings) in one place: a missing, empty, negative or non-numeric value is the default.

/** Database budgets of seed 001 Phases 5–6, in milliseconds. */
export const DEFAULT_DB_BUDGETS = { connectMs: 5_000, queryMs: 10_000 } as const;

export const DEFAULT_STREAM_SETTINGS = {
  /** How long a chunk may wait for the reader before the stream is given up. */
  readerStallMs: 60_000,
  /** How long one streamed body may last, however fast its rows come and its reader reads. */
  maxDurationMs: 300_000,
  /** Connector streams one key pair may have open at once. */
  maxPerKey: 5,
} as const;

export type SettingVars = Partial<
  Pick<
    Env,
    | 'DB_CONNECT_TIMEOUT_MS'
    | 'DB_QUERY_TIMEOUT_MS'
    | 'STREAM_READER_STALL_MS'
    | 'STREAM_MAX_DURATION_MS'
    | 'STREAM_MAX_PER_KEY'
  >
>;

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** The database budgets: a connect, and every query of one request together (one deadline). */
export function dbSettings(env: SettingVars | undefined): { connectMs: number; queryMs: number } {
  return {
    connectMs: positive(env?.DB_CONNECT_TIMEOUT_MS, DEFAULT_DB_BUDGETS.connectMs),
    queryMs: positive(env?.DB_QUERY_TIMEOUT_MS, DEFAULT_DB_BUDGETS.queryMs),
  };
}

export interface StreamSettings {
  readerStallMs: number;
  maxDurationMs: number;
  maxPerKey: number;
}

export function streamSettings(env: SettingVars | undefined): StreamSettings {
  return {
    readerStallMs: positive(env?.STREAM_READER_STALL_MS, DEFAULT_STREAM_SETTINGS.readerStallMs),
    maxDurationMs: positive(env?.STREAM_MAX_DURATION_MS, DEFAULT_STREAM_SETTINGS.maxDurationMs),
    maxPerKey: Math.max(1, Math.floor(positive(env?.STREAM_MAX_PER_KEY, DEFAULT_STREAM_SETTINGS.maxPerKey))),
  };
}
