import { describe, expect, it } from 'vitest';
import { daysBetween } from '../request/dates';
import { metricSegments, SEGMENT_ROWS } from './metric-segments';

describe('metricSegments', () => {
  const covers = (segments: Array<{ from: string; to: string }>, range: { from: string; to: string }) => {
    expect(segments[0]!.from).toBe(range.from);
    expect(segments.at(-1)!.to).toBe(range.to);
    for (const [i, segment] of segments.entries()) {
      expect(segment.from <= segment.to).toBe(true);
      if (i > 0) expect(daysBetween(segments[i - 1]!.to, segment.from)).toBe(1);
    }
  };

  it('splits a window into consecutive ranges of about SEGMENT_ROWS rows for the pairs', () => {
    const range = { from: '2025-11-23', to: '2026-11-22' };
    const segments = metricSegments(range, 4_000);
    covers(segments, range);
    const days = Math.floor(SEGMENT_ROWS / 4_000);
    expect(segments.slice(0, -1).every((s) => daysBetween(s.from, s.to) + 1 === days)).toBe(true);
    expect(segments).toHaveLength(Math.ceil(365 / days));
  });

  it('one range when the window holds fewer rows, one day per range for the largest accounts', () => {
    expect(metricSegments({ from: '2026-06-01', to: '2026-06-30' }, 12)).toEqual([
      { from: '2026-06-01', to: '2026-06-30' },
    ]);
    const daily = metricSegments({ from: '2026-02-27', to: '2026-03-02' }, 1_000_000);
    expect(daily.map((s) => [s.from, s.to])).toEqual([
      ['2026-02-27', '2026-02-27'],
      ['2026-02-28', '2026-02-28'],
      ['2026-03-01', '2026-03-01'],
      ['2026-03-02', '2026-03-02'],
    ]);
  });

  it('at most 100 ranges, whatever the window (mostly empty days cost a query each)', () => {
    const range = { from: '0050-03-01', to: '9999-12-31' };
    const segments = metricSegments(range, 1_000_000);
    covers(segments, range);
    expect(segments.length).toBeLessThanOrEqual(100);
  });
});
