import { describe, expect, it } from 'vitest';
import { ConnectorV1ResponseSchema, ConnectorV2ResponseSchema } from '../../../generated/schemas';
import { call, problemOf } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';

const get = (path: string, alias: 'main' | 'other' = 'main') => call(path, { headers: keyHeaders(alias) });
const v1 = async (path: string, alias: 'main' | 'other' = 'main') =>
  ConnectorV1ResponseSchema.parse(await (await get(path, alias)).json()).data;
const v2 = async (path: string) => ConnectorV2ResponseSchema.parse(await (await get(path)).json()).data;

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
describe('GET /dataconnector', () => {
  const day = 'from=2026-10-12&to=2026-10-12';

  it('shows a mislabelled row as its console advertiser, ordered by its aggregate label', async () => {
    const rows = await v1(`/dataconnector?${day}`);
    // Label order 11, 19, 20, 21, then the row labelled 21 whose pair is advertiser 19's.
    expect(rows.map((r) => `${r.advertiser_id}:${r.campaign_id}/${r.placement_id}`)).toEqual([
      '11:201/701',
      '11:201/702',
      '11:201/704',
      '19:203/706',
      '20:211/710',
      '21:209/708',
      '19:210/709',
    ]);
  });

  it('advertiser_id narrows by label and by console: the mislabelled row is in neither 19 nor 21', async () => {
    expect((await v1(`/dataconnector?advertiser_id=19&${day}`)).map((r) => r.placement_id)).toEqual(['706']);
    expect((await v1(`/dataconnector?advertiser_id=21&${day}`)).map((r) => r.placement_id)).toEqual(['708']);
  });

  it('never shows a deleted advertiser’s campaign, nor another account’s rows', async () => {
    const rows = await v1('/dataconnector?from=2026-10-01');
    const placements = new Set(rows.map((r) => r.placement_id));
    expect(placements.has('712')).toBe(false); // campaign 208 of deleted advertiser 23
    expect(placements.has('720')).toBe(false); // account 2
    expect(rows.some((r) => r.campaign_id === '301')).toBe(false);
    const other = await v1('/dataconnector?from=2026-10-01', 'other');
    expect(other.length).toBeGreaterThan(0);
    expect(new Set(other.map((r) => r.advertiser_id))).toEqual(new Set(['31']));
  });

  it('v1 removeZeros and v2 zero rules apply as for /connector', async () => {
    const range = 'advertiser_id=21&from=2026-11-21&to=2026-11-21';
    expect(await v1(`/dataconnector?${range}`)).toHaveLength(1);
    expect(await v1(`/v1.0/dataconnector?${range}&removeZeros=TRUE`)).toEqual([]);
    expect(await v2(`/v2.0/dataconnector?${range}&removeZeros=whatever`)).toHaveLength(1);
    const response = await get(`/v1.0/dataconnector?${range}&removeZeros=whatever`);
    expect((await problemOf(response)).status).toBe(400);
  });

  it.each([
    ['a bad advertiser_id', '/dataconnector?advertiser_id=x', 400],
    ['a bad date wins over a deleted advertiser', '/dataconnector?advertiser_id=23&to=2026-13-01', 400],
    [
      'a bad v1 removeZeros wins over a deleted advertiser',
      '/v1.0/dataconnector?advertiser_id=23&removeZeros=2',
      400,
    ],
    ['a deleted advertiser', '/dataconnector?advertiser_id=23', 404],
    ['another account’s advertiser', '/v2.0/dataconnector?advertiser_id=31', 404],
  ] as const)('%s → %i', async (_name, path, status) => {
    expect((await get(path)).status).toBe(status);
  });
});
