import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../parity/manifest.ts';

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
    // As strtotime(): a day past the month's end but within 31 runs on; 32 is no date.
    expect(zonedInstant('2026-02-30 10:00:00', 'America/New_York').toISOString()).toBe(
      '2026-03-02T15:00:00.000Z',
    );
    expect(() => zonedInstant('2026-02-32 10:00:00', 'America/New_York')).toThrow(/not a calendar date/);
  });
});
