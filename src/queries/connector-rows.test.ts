import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getConsole } from '../db';
import { daysBetween } from '../request/dates';
import {
  type ConnectorOptions,
  loadConnectorNames,
  type MetricScope,
  metricSegments,
  SEGMENT_ROWS,
  streamConnectorRows,
} from './connector-rows';

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

describe('streamConnectorRows read in date ranges', () => {
  const range = { from: '2026-05-01', to: '2026-11-30' };
  const collect = async (scope: MetricScope, options: ConnectorOptions, segmentRows: number) => {
    const db = getConsole(env);
    try {
      const names = await loadConnectorNames(
        db,
        1,
        scope.endpoint === 'connector' ? scope.advertiserId : undefined,
      );
      const rows: object[] = [];
      for await (const batch of streamConnectorRows(env, scope, range, names, options, segmentRows))
        for (const row of batch) rows.push(Object.assign({}, ...row.shared, row.own));
      return rows;
    } finally {
      await db.destroy();
    }
  };

  it.each([
    ['/dataconnector v1', { endpoint: 'dataconnector', accountId: 1 }, 1],
    ['/dataconnector v2', { endpoint: 'dataconnector', accountId: 1 }, 2],
    ['/connector v2', { endpoint: 'connector', advertiserId: 11 }, 2],
  ] as const)('%s: the rows of one query for the window, in its order', async (_, scope, version) => {
    const options: ConnectorOptions = { version, removeZeros: false, dataConnector: false };
    const whole = await collect(scope, options, Number.MAX_SAFE_INTEGER);
    // Ranges of a few days (the 100-range cap), each its own query.
    const daily = await collect(scope, options, 1);
    expect(whole.length).toBeGreaterThan(100);
    expect(daily).toEqual(whole);
  });
});
