import { describe, expect, it } from 'vitest';
import { type ConfigVars, configOf, DEFAULTS } from '.';

const ALL_NUMBERS: Array<keyof ConfigVars> = [
  'DB_CONNECT_TIMEOUT_MS',
  'DB_QUERY_TIMEOUT_MS',
  'STREAM_READER_STALL_MS',
  'STREAM_MAX_DURATION_MS',
  'STREAM_MAX_PER_KEY',
  'AUTH_CACHE_TTL_MS',
  'AUTH_TIMEOUT_MS',
  'RATE_LIMIT_TIMEOUT_MS',
  'RATE_LIMIT_FAIL_CLOSED_AFTER_MS',
  'SHADOW_SAMPLE_RATE',
];

const every = (value: string | undefined): ConfigVars =>
  Object.fromEntries(ALL_NUMBERS.map((name) => [name, value]));

const defaults = {
  db: DEFAULTS.db,
  stream: DEFAULTS.stream,
  auth: DEFAULTS.auth,
  rateLimit: DEFAULTS.rateLimit,
  shadow: DEFAULTS.shadow,
};

describe('configOf: the settings from [vars], parsed once', () => {
  it('the defaults when a value is missing, empty, not a number or negative', () => {
    for (const value of [undefined, '', ' ', '-5', 'soon', 'NaN', 'Infinity']) {
      expect(configOf(every(value))).toMatchObject(defaults);
    }
    expect(configOf(undefined)).toMatchObject(defaults);
  });

  it('zero: the default where a setting must be above it, zero where zero means off or at once', () => {
    expect(configOf(every('0'))).toMatchObject({
      db: DEFAULTS.db,
      stream: DEFAULTS.stream,
      auth: { cacheTtlMs: 0, timeoutMs: DEFAULTS.auth.timeoutMs },
      rateLimit: { timeoutMs: 0, failClosedAfterMs: 0 },
      shadow: { sampleRate: 0 },
    });
  });

  it('the configured values, spaces around them allowed', () => {
    expect(
      configOf({
        DB_CONNECT_TIMEOUT_MS: '1000',
        DB_QUERY_TIMEOUT_MS: ' 500 ',
        STREAM_READER_STALL_MS: '1000',
        STREAM_MAX_DURATION_MS: '1500',
        STREAM_MAX_PER_KEY: '3',
        AUTH_CACHE_TTL_MS: '2500',
        AUTH_TIMEOUT_MS: '800',
        RATE_LIMIT_TIMEOUT_MS: '200',
        RATE_LIMIT_FAIL_CLOSED_AFTER_MS: '30000',
        SHADOW_SAMPLE_RATE: '0.25',
        CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      }),
    ).toEqual({
      db: { connectMs: 1000, queryMs: 500 },
      stream: { readerStallMs: 1000, maxDurationMs: 1500, maxPerKey: 3 },
      auth: { cacheTtlMs: 2500, timeoutMs: 800 },
      rateLimit: { timeoutMs: 200, failClosedAfterMs: 30000 },
      shadow: { sampleRate: 0.25 },
      cors: { origins: ['https://a.example', 'https://b.example'] },
    });
  });

  it('a stream cap is a whole number of streams, at least one; a share is at most all', () => {
    expect(configOf({ STREAM_MAX_PER_KEY: '2.7' }).stream.maxPerKey).toBe(2);
    expect(configOf({ STREAM_MAX_PER_KEY: '0.5' }).stream.maxPerKey).toBe(1);
    expect(configOf({ SHADOW_SAMPLE_RATE: '3' }).shadow.sampleRate).toBe(1);
    expect(configOf({}).cors.origins).toEqual([]);
  });

  it('one parse per env object: the same settings object for every request of an isolate', () => {
    const env = { DB_QUERY_TIMEOUT_MS: '750' };
    const first = configOf(env);
    expect(configOf(env)).toBe(first);
    expect(configOf({ DB_QUERY_TIMEOUT_MS: '750' })).not.toBe(first);
    expect(configOf({ DB_QUERY_TIMEOUT_MS: '750' })).toEqual(first);
  });
});
