import { describe, expect, it } from 'vitest';
import { type ConnectorMetric, type ConnectorNameMap, toConnectorRow } from './convert-for-connector';

describe('toConnectorRow', () => {
  const names: ConnectorNameMap = new Map([
    [
      '201/701',
      {
        advertiser_id: '11',
        advertiser_name: 'Acme & Sons',
        campaign_id: '201',
        campaign_name: 'Spring Launch 2026',
        placement_id: '701',
        placement_name: 'Acme 300x250 HTML5',
      },
    ],
  ]);
  const metric = (counts: Partial<ConnectorMetric>): ConnectorMetric => ({
    stat_date: '2026-11-20',
    campaign_id: '201',
    placement_id: '701',
    impressions: '0',
    clicks: '0',
    interactions: '0',
    ...counts,
  });
  const v1Options = { version: 1, removeZeros: false, dataConnector: false } as const;
  const v2Options = { version: 2, removeZeros: false, dataConnector: false } as const;

  it('drops a metric row whose pair has no console names', () => {
    expect(
      toConnectorRow(metric({ placement_id: '702', impressions: '5' }), names, v1Options),
    ).toBeUndefined();
  });

  it('takes ids and names from console, date and counts from the metric row', () => {
    expect(toConnectorRow(metric({ impressions: '3', clicks: '1' }), names, v1Options)).toEqual({
      date: '2026-11-20',
      ...names.get('201/701'),
      impressions: 3,
      clicks: 1,
      ctr: 33.33,
      interactions: 0,
    });
  });

  it('v2: engagement_time is seconds to 3 places; engagement time alone keeps no row', () => {
    const row = toConnectorRow(metric({ engagement_time_ms: '1005', clicks: '1' }), names, v2Options);
    expect(row).toMatchObject({ impressions: 0, engagements: 0, engagement_time: 1.005 });
    // CONTRACT §2: the ten counts decide; a duration without counts is dropped (the legacy's max()).
    expect(toConnectorRow(metric({ engagement_time_ms: '1005' }), names, v2Options)).toBeUndefined();
    expect(toConnectorRow(metric({ engagements: null }), names, v2Options)).toBeUndefined();
  });

  it('counts past 2^53 stay exact and saturate at PHP_INT_MAX, as (int) did', () => {
    const exact = toConnectorRow(metric({ impressions: '9007199254740995', clicks: '3' }), names, v1Options);
    expect(exact?.impressions).toBe(9007199254740995n);
    expect(exact?.ctr).toBe(0);
    const saturated = toConnectorRow(metric({ impressions: '18446744073709551615' }), names, v1Options);
    expect(saturated?.impressions).toBe(9223372036854775807n);
  });
});
