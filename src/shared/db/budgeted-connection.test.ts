import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { aggregateQueryBuilder, getAggregate, streamAggregateRows } from '.';

describe('a streamed query of one connection (startRows)', () => {
  it('streams rows in batches as arrays in the stated column order, integers as numbers', async () => {
    const query = aggregateQueryBuilder
      .selectFrom('kpi_daily')
      .select(['stat_date', 'campaign_id', 'impressions'])
      .orderBy('stat_date')
      .orderBy('campaign_id')
      .orderBy('placement_id')
      .compile();
    const batches: unknown[][][] = [];
    for await (const batch of streamAggregateRows(
      env,
      [query],
      ['stat_date', 'campaign_id', 'impressions'],
      7,
    ))
      batches.push(batch);
    const rows = batches.flat();
    expect(batches.every((batch) => batch.length > 0 && batch.length <= 7)).toBe(true);
    const db = getAggregate(env);
    try {
      const buffered = await db
        .selectFrom('kpi_daily')
        .select(['stat_date', 'campaign_id', 'impressions'])
        .orderBy('stat_date')
        .orderBy('campaign_id')
        .orderBy('placement_id')
        .execute();
      // The same values: mysqli's strings for the buffered query, numbers (date a string) streamed.
      expect(rows).toEqual(buffered.map((r) => [r.stat_date, Number(r.campaign_id), Number(r.impressions)]));
      expect(rows.length).toBeGreaterThan(7);
    } finally {
      await db.destroy();
    }
  });

  it('a streamed query whose columns are not the stated ones fails before any row', async () => {
    const query = aggregateQueryBuilder
      .selectFrom('kpi_daily')
      .select(['campaign_id', 'stat_date'])
      .compile();
    const read = async () => {
      for await (const batch of streamAggregateRows(env, [query], ['stat_date', 'campaign_id'], 10))
        return batch;
    };
    await expect(read()).rejects.toThrow(
      'streamed columns campaign_id, stat_date are not stat_date, campaign_id',
    );
  });
});
