import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CampaignListResponseSchema, CampaignResponseSchema } from '../../../generated/schemas';
import { call } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';
import { getConsole } from '../../db';
import { findAccountCampaign } from '../../queries/campaign';

const get = (path: string, alias: 'main' | 'other' = 'main', clock?: string) =>
  call(path, { headers: { ...keyHeaders(alias), ...(clock ? { 'x-test-clock': clock } : {}) } });

async function listIds(path: string, alias: 'main' | 'other' = 'main', clock?: string): Promise<string[]> {
  const response = await get(path, alias, clock);
  expect(response.status).toBe(200);
  return CampaignListResponseSchema.parse(await response.json()).data.map((c) => c.id);
}

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
describe('GET /campaigns', () => {
  it('lists the account’s campaigns by id, without deleted ones or those of a deleted advertiser', async () => {
    // 207 is deleted, 208's advertiser (23) is deleted, 301/302 are account 2's.
    expect(await listIds('/campaigns')).toEqual([
      '201',
      '202',
      '203',
      '204',
      '205',
      '206',
      '209',
      '210',
      '211',
    ]);
    expect(await listIds('/campaigns', 'other')).toEqual(['301', '302']);
  });

  it('filters by advertiser and status, together', async () => {
    expect(await listIds('/campaigns?advertiser_id=11')).toEqual(['201', '202', '204']);
    expect(await listIds('/campaigns?advertiser_id=011&status=active')).toEqual(['201']);
    expect(await listIds('/campaigns?status=draft&advertiser_id=19')).toEqual([]);
  });

  it.each([
    ['a deleted advertiser', '/campaigns?advertiser_id=23', 'main', 404],
    ['another account’s advertiser', '/campaigns?advertiser_id=31', 'main', 404],
    ['account 1’s advertiser for the other key', '/campaigns?advertiser_id=11', 'other', 404],
    ['a status in another case', '/campaigns?status=Active', 'main', 400],
    ['a bad status before a foreign advertiser', '/campaigns?advertiser_id=31&status=Active', 'main', 400],
    ['from after to', '/campaigns?from=2026-06-02&to=2026-06-01', 'main', 400],
  ] as const)('%s → %i', async (_name, path, alias, status) => {
    expect((await get(path, alias)).status).toBe(status);
  });

  it('keeps campaigns whose flight overlaps [from, to], a NULL bound being open', async () => {
    // 205 runs 06-01..08-31 (touches the range on its first day), 201 from 03-01 (through 12-31),
    // 203/204 have no dates at all, 209 has only a start (10-01): outside.
    expect(await listIds('/campaigns?from=2026-05-01&to=2026-06-01')).toEqual(['201', '203', '204', '205']);
    // 206 ends 2025-03-31, the range's first day; 209 (open end) is kept far in the future.
    expect(await listIds('/campaigns?from=2025-03-31&to=2025-03-31')).toEqual(['203', '204', '206']);
    expect(await listIds('/campaigns?from=2030-01-01&to=2030-12-31')).toEqual(['203', '204', '209']);
  });

  it('defaults a missing bound per §1.4: `to` = today (New York), `from` = `to` − 30 days', async () => {
    // Today is 2025-02-10 in New York: from=2025-01-01 alone means [2025-01-01, 2025-02-10].
    const clock = '2025-02-10T15:00:00Z';
    expect(await listIds('/campaigns?from=2025-01-01', 'main', clock)).toEqual(['203', '204', '206']);
    // `to` alone: `from` is 30 days before that `to` (2026-02-28 → 2026-01-29), not before today,
    // so 201 (from 2026-03-01) is out and 206 (ended 2025) too.
    expect(await listIds('/campaigns?to=2026-02-28')).toEqual(['203', '204']);
    expect(await listIds('/campaigns?to=2026-03-01')).toEqual(['201', '203', '204']);
    // A lone `from` after today is from > to.
    expect((await get('/campaigns?from=2025-02-11', 'main', clock)).status).toBe(400);
  });
});

describe('GET /campaigns/{id}', () => {
  it('returns the campaign with its not-deleted sites → placements → ad units → delivery groups, by id', async () => {
    const { data } = CampaignResponseSchema.parse(await (await get('/campaigns/201')).json());
    expect(data.advertiser_name).toBe('Acme & Sons');
    expect(data.created_at).toBe('2026-02-01 09:00:00');
    // Site 411 is deleted (its live placement 713 goes with it); 403 has no placements.
    expect(data.sites.map((s) => [s.id, s.placements.map((p) => p.id)])).toEqual([
      ['401', ['701', '702']], // 705 is deleted
      ['402', ['703', '704']],
      ['403', []],
    ]);
    const [p701, p702] = data.sites[0]!.placements;
    // 805 is deleted; 802 has no delivery groups; 903 is deleted.
    expect(p701!.ad_units.map((u) => [u.id, u.delivery_groups.map((g) => g.id)])).toEqual([
      ['801', ['901', '902']],
      ['802', []],
    ]);
    expect(p701).toMatchObject({
      placement_name: 'Acme 300x250 HTML5',
      placement_type: 'html5',
      width: '300',
    });
    expect(p702).toMatchObject({
      placement_name: 'spring_banner.jpg',
      placement_type: 'asset',
      height: '90',
    });
    expect(data.sites[1]!.placements[0]).toMatchObject({
      placement_name: '',
      placement_type: 'none',
      width: null,
    });
  });

  it('keeps the legacy field order (campaign row, created_at, updated_at, sites)', async () => {
    const body = (await (await get('/campaigns/204')).json()) as { data: Record<string, unknown> };
    expect(Object.keys(body.data)).toEqual([
      'id',
      'name',
      'advertiser_id',
      'advertiser_name',
      'status',
      'start_date',
      'end_date',
      'budget',
      'impression_goal',
      'created_at',
      'updated_at',
      'sites',
    ]);
    expect(body.data.sites).toEqual([]);
  });

  it.each([
    ['a deleted campaign', '/campaigns/207', 'main'],
    ['a campaign of a deleted advertiser', '/campaigns/208', 'main'],
    ['another account’s campaign', '/campaigns/301', 'main'],
    ['account 1’s campaign for the other key', '/campaigns/201', 'other'],
    ['a deleted account’s campaign', '/campaigns/401', 'main'],
    ['a missing id', '/campaigns/999999', 'main'],
  ] as const)('%s → 404', async (_name, path, alias) => {
    expect((await get(path, alias)).status).toBe(404);
  });
});

describe('findAccountCampaign', () => {
  it('finds a visible campaign of the account only', async () => {
    const db = getConsole(env);
    try {
      expect(await findAccountCampaign(db, 1, 210)).toEqual({ id: '210', name: 'Émoji & Ünïcode / Tests' });
      expect(await findAccountCampaign(db, 2, 210)).toBeUndefined(); // another account's
      expect(await findAccountCampaign(db, 1, 207)).toBeUndefined(); // deleted
      expect(await findAccountCampaign(db, 1, 208)).toBeUndefined(); // advertiser deleted
    } finally {
      await db.destroy();
    }
  });
});
