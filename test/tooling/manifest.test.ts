import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CaptureCase,
  type CaptureManifest,
  resetRequestsOf,
  zonedInstant,
} from '../../parity/manifest.ts';

// A capture's clock is a New York wall-clock time, which the oracle read with strtotime(); the
// harness hands the Worker that instant. PHP's own answers, daylight-saving changes included
// (scripts/php-ports-record.mjs records them).
const recorded: { cases: Array<[string, number]> } = JSON.parse(
  readFileSync(new URL('../../parity/manifest-clock.cases.json', import.meta.url), 'utf8'),
);

describe('zonedInstant: a capture clock read as the oracle read it', () => {
  it('gives the instant strtotime() gave for every recorded wall-clock time', () => {
    const wrong = recorded.cases.filter(
      ([clock, seconds]) => zonedInstant(clock, 'America/New_York').getTime() !== seconds * 1000,
    );
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(recorded.cases.length).toBeGreaterThan(2000);
  });

  it('reads a time the spring change skips with the offset before it, a repeated one as its first', () => {
    expect(zonedInstant('2027-03-14 02:30:00', 'America/New_York').toISOString()).toBe(
      '2027-03-14T07:30:00.000Z',
    );
    expect(zonedInstant('2026-11-01 01:30:00', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(zonedInstant('2026-11-22 10:30:00', 'America/New_York').toISOString()).toBe(
      '2026-11-22T15:30:00.000Z',
    );
  });

  it('takes a clock with its own zone as written, and refuses what is not a date and time', () => {
    expect(zonedInstant('2027-03-14T02:30:00Z', 'America/New_York').toISOString()).toBe(
      '2027-03-14T02:30:00.000Z',
    );
    expect(zonedInstant('2027-03-14 02:30:00+01:00', 'America/New_York').toISOString()).toBe(
      '2027-03-14T01:30:00.000Z',
    );
    expect(() => zonedInstant('next tuesday', 'America/New_York')).toThrow(/not a date and time/);
  });

  it('reads a clock without seconds as :00 and drops a fraction, as strtotime() did', () => {
    expect(zonedInstant('2026-11-22 10:30', 'America/New_York').toISOString()).toBe(
      '2026-11-22T15:30:00.000Z',
    );
    expect(zonedInstant('2026-11-22T10:30', 'America/New_York').toISOString()).toBe(
      '2026-11-22T15:30:00.000Z',
    );
    expect(zonedInstant('2026-11-22 10:59:59.7', 'America/New_York').toISOString()).toBe(
      '2026-11-22T15:59:59.000Z',
    );
    expect(zonedInstant('2026-11-22T10:59:59.7Z', 'America/New_York').toISOString()).toBe(
      '2026-11-22T10:59:59.000Z',
    );
    // As strtotime(): a day past the month's end but within 31 runs on; 32 is no date.
    expect(zonedInstant('2026-02-30 10:00:00', 'America/New_York').toISOString()).toBe(
      '2026-03-02T15:00:00.000Z',
    );
    expect(() => zonedInstant('2026-02-32 10:00:00', 'America/New_York')).toThrow(/not a calendar date/);
  });
});

describe("resetRequestsOf: what the oracle's reset emptied, one key pair at a time", () => {
  const at = (id: string, key: CaptureCase['key']): CaptureCase => ({
    id,
    method: 'GET',
    path: '/advertisers',
    query: {},
    key,
    headers: {},
    clock: '2026-11-22 10:59:59',
    status: 200,
    content_type: null,
    body: null,
  });
  const manifest: CaptureManifest = {
    dataset: 'x',
    clock: '2026-11-22 10:30:00',
    timezone: 'America/New_York',
    keys: { main: { int_key: 'i1', api_key: 'a1' }, tight: { int_key: 'i2', api_key: 'a2' } },
    cases: [
      at('c1', 'main'),
      at('c2', { int_key: 'i3', api_key: 'a3', via: 'query' }),
      at('c3', { int_key: 'i4' }),
      at('c4', 'tight'),
    ],
  };
  const pairOf = (headers: Array<[string, string]>) =>
    ['X-Integration-Key', 'X-Api-Key'].map((name) => headers.find(([h]) => h === name)?.[1]).join('/');

  it("resets the case's own key first, then every pair the capture uses, each with the case's clock", () => {
    const requests = resetRequestsOf(manifest, manifest.cases[3]!);
    expect(requests.map((r) => pairOf(r.headers))).toEqual(['i2/a2', 'i1/a1', 'i2/a2', 'i3/a3']);
    for (const r of requests) {
      expect(r.target).toBe('/credentialscheck');
      expect(r.headers).toContainEqual(['x-test-reset-allowance', '1']);
      expect(r.headers).toContainEqual(['x-test-clock', '2026-11-22T15:59:59.000Z']);
    }
  });
});
