import { describe, expect, it } from 'vitest';
import { dateRange, minusDays, minusMonths, newYorkToday } from './dates';
import recorded from './dates.cases.json';

const at = (iso: string) => new Date(iso);

describe('default dates (CONTRACT §1.4)', () => {
  it('today is New York’s date, not UTC’s', () => {
    expect(newYorkToday(at('2026-11-22T15:30:00Z'))).toBe('2026-11-22');
    // 2027-03-31 23:30 in New York (EDT, UTC-4) is already April 1st in UTC.
    expect(newYorkToday(at('2027-04-01T03:30:00Z'))).toBe('2027-03-31');
    // Winter (EST, UTC-5).
    expect(newYorkToday(at('2026-01-01T04:59:00Z'))).toBe('2025-12-31');
    expect(newYorkToday(at('2026-01-01T05:00:00Z'))).toBe('2026-01-01');
  });

  it.each([
    ['2026-11-22', 30, '2026-10-23'],
    ['2026-03-15', 30, '2026-02-13'],
    ['2024-03-30', 30, '2024-02-29'],
    ['2026-01-10', 30, '2025-12-11'],
  ])("strtotime('-30 days') from %s", (date, days, expected) => {
    expect(minusDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-06-30', '2026-03-02'], // 2026-02-30 overflows forward
    ['2026-07-31', '2026-03-31'],
    ['2026-11-22', '2026-07-22'],
    ['2024-06-30', '2024-03-01'], // leap year: 2024-02-30 → March 1st
    ['2026-02-28', '2025-10-28'],
    ['2026-03-31', '2025-12-01'], // 2025-11-31 → December 1st
  ])("strtotime('-4 months') from %s → %s", (date, expected) => {
    expect(minusMonths(date, 4)).toBe(expected);
  });

  // Found by test/workers/fuzz.test.ts: Date.UTC read years 0–99 as 1900–1999, so `to=0050-03-01`
  // alone defaulted `from` to 1950-01-30 and answered 400 "from after to".
  it.each([
    ['minusDays', () => minusDays('0050-03-01', 30), '0050-01-30'],
    ['minusDays', () => minusDays('0001-01-01', 30), '0000-12-02'],
    ['minusDays', () => minusDays('0100-01-01', 1), '0099-12-31'],
    ['minusMonths', () => minusMonths('0099-06-30', 4), '0099-03-02'],
    ['minusMonths', () => minusMonths('0001-02-15', 4), '0000-10-15'],
  ] as const)('%s keeps years below 100 (%#)', (_name, compute, expected) => {
    expect(compute()).toBe(expected);
  });

  const now = at('2026-11-22T15:30:00Z');

  it('defaults: to = today, from = to − window', () => {
    expect(dateRange({}, 'last30days', now)).toEqual({ from: '2026-10-23', to: '2026-11-22' });
    expect(dateRange({}, 'last4months', now)).toEqual({ from: '2026-07-22', to: '2026-11-22' });
  });

  it('only to: from is relative to that to', () => {
    expect(dateRange({ to: '2026-06-30' }, 'last4months', now)).toEqual({
      from: '2026-03-02',
      to: '2026-06-30',
    });
    expect(dateRange({ to: '2026-03-01' }, 'last30days', now)).toEqual({
      from: '2026-01-30',
      to: '2026-03-01',
    });
  });

  it('only a `to` in the first century: from is 30 days before it, not in the 1900s', () => {
    expect(dateRange({ to: '0050-03-01' }, 'last30days', now)).toEqual({
      from: '0050-01-30',
      to: '0050-03-01',
    });
  });

  it('only from: to is today', () => {
    expect(dateRange({ from: '2026-11-01' }, 'last30days', now)).toEqual({
      from: '2026-11-01',
      to: '2026-11-22',
    });
  });

  it('from > to after defaulting → 400 naming both', () => {
    expect(() => dateRange({ from: '2026-12-01' }, 'last30days', now)).toThrow(
      /"from" \(2026-12-01\) must not be after "to" \(2026-11-22\)/,
    );
    expect(() => dateRange({ from: '2026-05-02', to: '2026-05-01' }, 'last30days', now)).toThrow();
    expect(dateRange({ from: '2026-05-01', to: '2026-05-01' }, 'last30days', now)).toEqual({
      from: '2026-05-01',
      to: '2026-05-01',
    });
  });
});

describe(`default windows against the oracle's date_range, recorded from PHP (${recorded.recordedWith})`, () => {
  // scripts/php-ports-record.mjs: clocks from 1990 to 2030, `to` dates of years 1 to 9999.
  const cases = recorded.cases as [string, string | null, '-30 days' | '-4 months', string][];

  it('gives the from and to PHP gave, for every clock and `to`', () => {
    const wrong = cases
      .filter(([clock, to, back, answer]) => {
        const window = back === '-30 days' ? 'last30days' : 'last4months';
        const range = dateRange(to === null ? {} : { to }, window, new Date(clock));
        return `${range.from} ${range.to}` !== answer;
      })
      .map(([clock, to, back, answer]) => `${clock} ${to} ${back}: PHP ${answer}`);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(2000);
  });
});
