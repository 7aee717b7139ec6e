import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_BUDGETS, DEFAULT_STREAM_SETTINGS, dbSettings, streamSettings } from './settings';

describe('settings from [vars]', () => {
  it('the defaults when a value is missing, empty, zero, negative or not a number', () => {
    for (const value of [undefined, '', ' ', '0', '-5', 'soon', 'NaN']) {
      expect(dbSettings({ DB_CONNECT_TIMEOUT_MS: value, DB_QUERY_TIMEOUT_MS: value })).toEqual(
        DEFAULT_DB_BUDGETS,
      );
      expect(
        streamSettings({
          STREAM_READER_STALL_MS: value,
          STREAM_MAX_DURATION_MS: value,
          STREAM_MAX_PER_KEY: value,
        }),
      ).toEqual(DEFAULT_STREAM_SETTINGS);
    }
    expect(streamSettings(undefined)).toEqual(DEFAULT_STREAM_SETTINGS);
  });

  it('the configured values; a cap is a whole number of streams, at least one', () => {
    expect(dbSettings({ DB_CONNECT_TIMEOUT_MS: '1000', DB_QUERY_TIMEOUT_MS: '500' })).toEqual({
      connectMs: 1000,
      queryMs: 500,
    });
    expect(
      streamSettings({
        STREAM_READER_STALL_MS: '1000',
        STREAM_MAX_DURATION_MS: '1500',
        STREAM_MAX_PER_KEY: '3',
      }),
    ).toEqual({ readerStallMs: 1000, maxDurationMs: 1500, maxPerKey: 3 });
    expect(streamSettings({ STREAM_MAX_PER_KEY: '2.7' }).maxPerKey).toBe(2);
    expect(streamSettings({ STREAM_MAX_PER_KEY: '0.5' }).maxPerKey).toBe(1);
  });
});
