import { describe, expect, it } from 'vitest';
import { ClickthroughListResponseSchema } from '../../../generated/schemas';
import { call } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';

const get = (path: string, alias: 'main' | 'other' = 'main') => call(path, { headers: keyHeaders(alias) });
const rows = async (path: string, alias: 'main' | 'other' = 'main') =>
  ClickthroughListResponseSchema.parse(await (await get(path, alias)).json()).data;

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
describe('GET /clickthroughs', () => {
  it('defaults to the last 4 months: 2026-07-22 is in, 2026-07-21 out', async () => {
    const data = await rows('/clickthroughs?advertiser_id=11');
    expect(data[0]?.date).toBe('2026-07-22');
    expect(data.at(-1)?.date).toBe('2026-11-21');
  });

  it('orders by date, campaign, placement, then click_name in utf8mb4_unicode_ci', async () => {
    const data = await rows('/clickthroughs?advertiser_id=11&from=2026-11-02&to=2026-11-03');
    expect(data.map((r) => [r.date, r.placement_id, r.click_name])).toEqual([
      ['2026-11-02', '701', 'banner'], // before 'CTA' case-insensitively (binary would swap them)
      ['2026-11-02', '701', 'CTA'],
      ['2026-11-02', '701', 'Learn more, today'],
      ['2026-11-02', '701', 'Shop now'],
      ['2026-11-03', '703', 'Untitled'],
    ]);
  });

  it('names come from console; rows of deleted placements or campaigns are dropped', async () => {
    const data = await rows('/clickthroughs?advertiser_id=11&from=2026-11-01&to=2026-11-22');
    const clicks = data.map((r) => r.click_name);
    expect(clicks).not.toContain('Ghost click'); // placement 705 is deleted
    expect(clicks).not.toContain('Deleted campaign click'); // campaign 207 is deleted
    expect(data.find((r) => r.placement_id === '703')).toMatchObject({
      campaign_name: 'Spring Launch 2026',
      placement_name: '', // no creative
      clicks: 4,
    });
  });

  it('campaign_id narrows to that campaign; an advertiser’s campaign without data is empty', async () => {
    const data = await rows('/clickthroughs?advertiser_id=11&campaign_id=201&from=2026-11-01');
    expect(new Set(data.map((r) => r.campaign_id))).toEqual(new Set(['201']));
    expect(await rows('/clickthroughs?advertiser_id=11&campaign_id=204')).toEqual([]);
  });

  it('another tenant sees only its own rows', async () => {
    const data = await rows('/clickthroughs?advertiser_id=31', 'other');
    expect(new Set(data.map((r) => r.campaign_id))).toEqual(new Set(['301']));
  });

  it.each([
    ['a deleted advertiser', '/clickthroughs?advertiser_id=23', 'main'],
    ['another account’s advertiser', '/clickthroughs?advertiser_id=31', 'main'],
    ['account 1’s advertiser for the other key', '/clickthroughs?advertiser_id=11', 'other'],
    ['a deleted campaign', '/clickthroughs?advertiser_id=11&campaign_id=207', 'main'],
    ['another advertiser’s campaign', '/clickthroughs?advertiser_id=11&campaign_id=203', 'main'],
    ['another account’s campaign', '/clickthroughs?advertiser_id=11&campaign_id=301', 'main'],
    ['a missing campaign', '/clickthroughs?advertiser_id=11&campaign_id=999999', 'main'],
  ] as const)('%s → 404', async (_name, path, alias) => {
    expect((await get(path, alias)).status).toBe(404);
  });

  it.each([
    ['advertiser_id is required', '/clickthroughs'],
    ['a bad date beats a deleted advertiser', '/clickthroughs?advertiser_id=23&from=bad'],
    [
      'from > to beats a deleted campaign',
      '/clickthroughs?advertiser_id=11&campaign_id=207&from=2026-11-10&to=2026-11-01',
    ],
  ])('%s → 400', async (_name, path) => {
    expect((await get(path)).status).toBe(400);
  });
});
