import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ConnectorOptions } from '../legacy/convert-for-connector';
import { getConsole } from '../shared/db';
import type { MetricScope } from './connector-metrics';
import { loadConnectorNames } from './connector-names';
import { streamConnectorRows } from './connector-stream';

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
