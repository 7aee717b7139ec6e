import { describe, expect, it } from 'vitest';
import { ConnectorV1ResponseSchema, ConnectorV2ResponseSchema } from '../../../generated/schemas';
import { call, problemOf } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';

const get = (path: string, alias: 'main' | 'other' = 'main') => call(path, { headers: keyHeaders(alias) });
const v1 = async (path: string) => ConnectorV1ResponseSchema.parse(await (await get(path)).json()).data;
const v2 = async (path: string) => ConnectorV2ResponseSchema.parse(await (await get(path)).json()).data;
const keys = (rows: Array<{ date: string; campaign_id: string; placement_id: string }>) =>
  rows.map((r) => `${r.date} ${r.campaign_id}/${r.placement_id}`);

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
// The clock is the fixtures' (2026-11-22 New York): the default window is 2026-10-23..2026-11-22.
describe('GET /connector', () => {
  it('defaults to the last 30 days, ordered by date, campaign, placement', async () => {
    const rows = await v1('/connector?advertiser_id=11');
    expect(rows[0]?.date).toBe('2026-10-23');
    expect(rows.at(-1)?.date).toBe('2026-11-22');
    const order = rows.map((r) => [r.date, Number(r.campaign_id), Number(r.placement_id)] as const);
    const sorted = [...order].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2]);
    expect(order).toEqual(sorted);
    expect(new Set(rows.map((r) => r.advertiser_id))).toEqual(new Set(['11']));
  });

  it('keeps only visible pairs: deleted placement and unknown pairs dropped, deleted site kept', async () => {
    const placements = new Set(
      (await v1('/connector?advertiser_id=11&from=2026-10-01')).map((r) => r.placement_id),
    );
    expect(placements.has('705')).toBe(false); // placement deleted in console
    expect(placements.has('720')).toBe(false); // labelled 11, but campaign 301 is account 2's
    expect(placements.has('799')).toBe(false); // labelled 11, placement unknown to console
    expect(placements.has('714')).toBe(false); // campaign 207 deleted
  });

  it('a row labelled 21 whose pair is advertiser 19’s is in neither advertiser’s output', async () => {
    const day = 'from=2026-10-12&to=2026-10-12';
    expect(keys(await v1(`/connector?advertiser_id=21&${day}`))).toEqual(['2026-10-12 209/708']);
    expect(keys(await v1(`/connector?advertiser_id=19&${day}`))).toEqual(['2026-10-12 203/706']);
  });

  it('rounds ctr like PHP round() (1005 / 100000 → 1.01)', async () => {
    const rows = await v1('/connector?advertiser_id=11&from=2026-11-20&to=2026-11-20');
    expect(rows.find((r) => r.placement_id === '701')?.ctr).toBe(1.01);
  });

  it('data_connector=1|true (any case) renders YYYYMMDD; other values keep YYYY-MM-DD', async () => {
    const range = 'advertiser_id=11&from=2026-11-22';
    expect((await v1(`/connector?${range}&data_connector=TrUe`))[0]?.date).toBe('20261122');
    expect((await v1(`/connector?${range}&data_connector=1`))[0]?.date).toBe('20261122');
    expect((await v1(`/connector?${range}&data_connector=yes`))[0]?.date).toBe('2026-11-22');
  });

  it('v1 removeZeros drops rows whose impressions, clicks and interactions are all 0', async () => {
    const range = 'advertiser_id=21&from=2026-11-21&to=2026-11-21';
    expect(await v1(`/connector?${range}`)).toHaveLength(1);
    expect(await v1(`/connector?${range}&removeZeros=True`)).toEqual([]);
    expect(await v1(`/v1.3/connector?${range}&removeZeros=1`)).toEqual([]);
    expect(await v1(`/v1.3/connector?${range}&removeZeros=false`)).toHaveLength(1);
  });

  it('v1 under a version prefix validates removeZeros like the bare route, before the 404', async () => {
    const bare = await problemOf(await get('/connector?advertiser_id=23&removeZeros=yes'));
    const versioned = await problemOf(await get('/v1.0/connector?advertiser_id=23&removeZeros=yes'));
    expect(versioned.status).toBe(400);
    expect(versioned.detail).toBe(bare.detail);
    expect(versioned.detail).toBe('Parameter "removeZeros" must be 1, true, 0 or false; got "yes".');
  });

  it('v2 ignores removeZeros, drops all-zero rows and counts missing engagement/video rows as 0', async () => {
    const zeroKpiDay = await v2(
      '/v2.0/connector?advertiser_id=21&from=2026-11-21&to=2026-11-21&removeZeros=yes',
    );
    // 11-21: zero KPIs but an engagement row: not all-zero, so kept.
    expect(zeroKpiDay).toMatchObject([{ impressions: 0, engagements: 5, engagement_time: 1.005 }]);
    const acme = await v2('/v2.0/connector?advertiser_id=11&from=2026-11-01&to=2026-11-10');
    const p702 = acme.filter((r) => r.placement_id === '702');
    expect(p702.length).toBeGreaterThan(0);
    expect(p702.every((r) => r.impressions + r.clicks + r.interactions > 0)).toBe(true);
    expect(acme.find((r) => r.placement_id === '701')).toMatchObject({ video_starts: 0, video_completes: 0 });
    expect(acme.find((r) => r.placement_id === '704')).toMatchObject({ engagements: 0, engagement_time: 0 });
  });

  it.each([
    ['advertiser_id missing', '/connector', 'main', 400],
    ['advertiser_id missing (v2)', '/v2.0/connector', 'main', 400],
    ['a bad date wins over a deleted advertiser', '/connector?advertiser_id=23&to=2026-13-01', 'main', 400],
    [
      'from after to wins over a deleted advertiser',
      '/connector?advertiser_id=23&from=2026-12-01',
      'main',
      400,
    ],
    ['a deleted advertiser', '/connector?advertiser_id=23', 'main', 404],
    ['another account’s advertiser', '/connector?advertiser_id=31', 'main', 404],
    ['account 1’s advertiser for the other key', '/v2.0/connector?advertiser_id=11', 'other', 404],
  ] as const)('%s → %i', async (_name, path, alias, status) => {
    expect((await get(path, alias)).status).toBe(status);
  });
});
