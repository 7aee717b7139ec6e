import { describe, expect, it } from 'vitest';
import { encodeJson } from './php-json';
import { phpRound } from './php-round';

// [value, places, PHP 8.2 round($value, $places)]
const ROUNDING: [number, number, number][] = [
  // pre-rounding to 15 significant digits: decimal literals round as written
  [1.005, 2, 1.01], // naive Math.round(x * 100) / 100 → 1
  [2.675, 2, 2.68], // naive → 2.67
  [-1.005, 2, -1.01], // half away from zero
  [-2.675, 2, -2.68],
  [0.285, 2, 0.29], // naive → 0.28
  [1.955, 2, 1.96], // naive → 1.95
  [5.055, 2, 5.06], // naive → 5.05
  [1.0049999999, 2, 1], // not a tie once pre-rounded
  [1.2345, 3, 1.235],
  [1.005, 3, 1.005],
  [0.5, 0, 1],
  [1.5, 0, 2],
  [2.5, 0, 3], // not banker's rounding
  [-0.5, 0, -1],
  [1234.5678, -2, 1200],
  [1250, -2, 1300],
  // large values: beyond 15 digits rounding is pointless and the value comes back unchanged
  [123456789.125, 2, 123456789.13],
  [123456789012.345, 2, 123456789012.35],
  [Number('9007199254740993'), 2, 9007199254740992],
  [1e20, 2, 1e20],
  [5_000_000_000 / 3, 2, 1666666666.67],
  // zero, negative zero and tiny values
  [0, 2, 0],
  [0.001, 2, 0],
  [0.004999, 2, 0],
  [0.005, 2, 0.01],
  [1e-20, 2, 0],
];

describe('PHP 8.2 round()', () => {
  it.each(ROUNDING)('round(%s, %s) = %s', (value, places, expected) => {
    expect(phpRound(value, places)).toBe(expected);
  });

  it('keeps the sign of zero as PHP does (json_encode then writes -0)', () => {
    expect(Object.is(phpRound(-0, 2), -0)).toBe(true);
    expect(Object.is(phpRound(-0.001, 2), -0)).toBe(true);
    expect(encodeJson(phpRound(-0.001, 2))).toBe('-0');
    expect(Object.is(phpRound(0.001, 2), 0)).toBe(true);
  });

  it('passes non-finite values through', () => {
    expect(phpRound(Number.NaN, 2)).toBeNaN();
    expect(phpRound(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  // The seed's rounding traps (db/seed/aggregate.sql): rates are `round($a / $b * 100, 2)`.
  const rate = (part: number, whole: number, places = 2): number =>
    whole === 0 ? 0 : phpRound((part / whole) * 100, places);
  const TRAPS: [string, number, number, number][] = [
    ['connector 2026-11-18 placement 701 ctr (no clicks)', 0, 50000, 0],
    ['connector 2026-11-19 placement 701 ctr (integral float)', 1000, 100000, 1],
    ['connector 2026-11-20 placement 701 ctr 1.005', 1005, 100000, 1.01],
    ['connector 2026-11-20 placement 701 interaction rate 2.675', 2675, 100000, 2.68],
    ['connector 2026-11-18 placement 702 ctr', 11, 6133, 0.18],
    ['connector 2026-11-20 placement 702 ctr', 33, 7359, 0.45],
    ['analytics 210 ctr (5 days of 11-10..14)', 2010, 200000, 1.01],
    ['analytics 210 interaction rate', 5350, 200000, 2.68],
    ['analytics 210 engagement rate', 300, 200000, 0.15],
    ['analytics 210 video completion rate 61.724999…', 12345, 20000, 61.73],
    ['zero denominator', 5, 0, 0],
  ];
  it.each(TRAPS)('%s', (_name, part, whole, expected) => {
    expect(rate(part, whole)).toBe(expected);
  });

  it('computes analytics 210 avg_engagement_time (ms / 1000 / engagements, 2 places) = 1.01', () => {
    // engagement_daily 709: 5 days × (60 engagements, 60300 ms)
    expect(phpRound(301500 / 1000 / 300, 2)).toBe(1.01);
    expect(phpRound(60300 / 1000, 3)).toBe(60.3);
  });
});
