import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignListResponseSchema, CampaignResponseSchema } from '../../../generated/schemas';
import { scratchHyperdrive } from '../../../test/support/scratch-db';
import { call } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';
import { app } from '../../app';
import { findAccountCampaign } from '../../queries/campaign';
import { createKysely, getConsole } from '../../shared/db';

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
  ] as const)('%s: %s as %s → %i', async (_name, path, alias, status) => {
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

// A scratch copy of `console` (admin binding) with the seed plus production's dirt around
// campaign 201 (account 1; live sites 401, 402, 403, deleted 411) and a neighbour 212 of the same
// account (site 430): placements pointing at the other campaign's site, at a missing site,
// creatives dangling or deleted, both creative ids set, units of placements never shown.
describe('GET /campaigns/{id} on dirty data (scratch console database)', () => {
  const scratch = `campaigns_test_${Math.floor(Math.random() * 1e9)}`;
  const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 30_000 });
  const scratchConsole = scratchHyperdrive(env.DB_ADMIN, scratch);
  const request = (path: string) =>
    app.request(
      path,
      { headers: keyHeaders('main') },
      { ...env, DB_CONSOLE: scratchConsole },
      createExecutionContext(),
    );
  const campaign = async (id: number) => {
    const response = await request(`/campaigns/${id}`);
    expect(response.status).toBe(200);
    return CampaignResponseSchema.parse(await response.json()).data;
  };
  /** site → placement → ad unit → delivery group ids. */
  const tree = (data: Awaited<ReturnType<typeof campaign>>) =>
    data.sites.map((s) => [
      s.id,
      s.placements.map((p) => [p.id, p.ad_units.map((u) => [u.id, u.delivery_groups.map((g) => g.id)])]),
    ]);

  beforeAll(async () => {
    const source = env.DB_CONSOLE.database;
    await sql.raw(`CREATE DATABASE ${scratch}`).execute(admin);
    const { rows } = await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ${source} AND TABLE_TYPE = 'BASE TABLE'`.execute(admin);
    for (const { name } of rows) {
      await sql.raw(`CREATE TABLE ${scratch}.${name} LIKE ${source}.${name}`).execute(admin);
      await sql.raw(`INSERT INTO ${scratch}.${name} SELECT * FROM ${source}.${name}`).execute(admin);
    }
    for (const statement of [
      `INSERT INTO ${scratch}.campaign (id, account_id, advertiser_id, name, status, is_deleted, created_at)
        VALUES (212, 1, 11, 'Neighbour', 'active', 0, '2026-01-01 00:00:00')`,
      `INSERT INTO ${scratch}.site (id, campaign_id, name, url, is_deleted) VALUES (430, 212, 'Neighbour site', NULL, 0)`,
      `INSERT INTO ${scratch}.ad_html5 (id, account_id, ad_name, width, height, is_deleted)
        VALUES (990501, 1, 'Deleted HTML5', 120, 600, 1)`,
      `INSERT INTO ${scratch}.asset (id, account_id, asset_name, mime_type, width, height, is_deleted)
        VALUES (990601, 1, 'deleted.gif', 'image/gif', NULL, NULL, 1)`,
      `INSERT INTO ${scratch}.placement (id, campaign_id, site_id, ad_html5_id, asset_id, status, is_deleted) VALUES
        (990701, 212, 401,    501,    NULL,   'active',   0), -- 212's, on 201's site: nowhere
        (990702, 201, 430,    NULL,   601,    'active',   0), -- 201's, on 212's site: nowhere
        (990703, 201, 999999, NULL,   601,    'active',   0), -- 201's, missing site: nowhere
        (990704, 201, 402,    999998, 601,    'active',   0), -- both set, HTML5 dangling
        (990705, 201, 403,    990501, 601,    'paused',   0), -- both set, HTML5 deleted
        (990706, 201, 403,    NULL,   990601, 'archived', 0), -- asset deleted, NULL sizes
        (990707, 201, 403,    NULL,   999997, 'active',   0), -- asset dangling
        (990708, 212, 430,    NULL,   NULL,   'active',   0),
        (990709, 212, 430,    NULL,   NULL,   'active',   1)  -- deleted`,
      `INSERT INTO ${scratch}.ad_unit (id, placement_id, name, ad_format, is_deleted) VALUES
        (990801, 990701, 'Unit of 212 on 201', 'banner', 0),
        (990802, 990705, 'Scratch unit', 'banner', 0),
        (990803, 705, 'Unit of a deleted placement', 'banner', 0),
        (990804, 990708, 'Neighbour unit', 'video', 0),
        (990805, 990709, 'Unit of a deleted placement', 'banner', 0),
        (990806, 990702, 'Unit of 201 on 212', 'banner', 0)`,
      `INSERT INTO ${scratch}.delivery_group (id, ad_unit_id, name, weight, start_date, end_date, is_deleted) VALUES
        (990901, 990802, 'Scratch group', 10, '2026-01-01', NULL, 0),
        (990902, 990802, 'Deleted group', 10, NULL, NULL, 1),
        (990903, 990801, 'Group never shown', 10, NULL, NULL, 0),
        (990904, 990806, 'Group never shown', 10, NULL, NULL, 0)`,
    ]) {
      await sql.raw(statement).execute(admin);
    }
  }, 60_000);
  afterAll(async () => {
    await sql.raw(`DROP DATABASE IF EXISTS ${scratch}`).execute(admin);
    await admin.destroy();
  });

  it('shows a placement only when it is the campaign’s and its site is one of the campaign’s live sites', async () => {
    expect(tree(await campaign(201))).toEqual([
      // Not 990701 (campaign 212's placement on site 401).
      [
        '401',
        [
          [
            '701',
            [
              ['801', ['901', '902']],
              ['802', []],
            ],
          ],
          ['702', [['803', ['904']]]],
        ],
      ],
      [
        '402',
        [
          ['703', []],
          ['704', [['804', ['905']]]],
          ['990704', []],
        ],
      ],
      [
        '403',
        [
          ['990705', [['990802', ['990901']]]],
          ['990706', []],
          ['990707', []],
        ],
      ],
    ]);
    // Not 990702 (campaign 201's placement on site 430) nor 990709 (deleted).
    expect(tree(await campaign(212))).toEqual([['430', [['990708', [['990804', []]]]]]]);
  });

  it('names and sizes placements from their creative, deleted or dangling, the HTML5 ad first', async () => {
    const placements = (await campaign(201)).sites.flatMap((s) => s.placements);
    const byId = new Map(placements.map(({ ad_units: _, ...p }) => [p.id, p]));
    expect(byId.get('990704')).toEqual({
      id: '990704',
      placement_name: '',
      placement_type: 'html5',
      width: null,
      height: null,
      status: 'active',
    });
    expect(byId.get('990705')).toEqual({
      id: '990705',
      placement_name: 'Deleted HTML5',
      placement_type: 'html5',
      width: '120',
      height: '600',
      status: 'paused',
    });
    expect(byId.get('990706')).toEqual({
      id: '990706',
      placement_name: 'deleted.gif',
      placement_type: 'asset',
      width: null,
      height: null,
      status: 'archived',
    });
    expect(byId.get('990707')).toMatchObject({ placement_name: '', placement_type: 'asset', width: null });
    // The legacy's field order: site_id never shown, ad_units last.
    expect(Object.keys(placements[0]!)).toEqual([
      'id',
      'placement_name',
      'placement_type',
      'width',
      'height',
      'status',
      'ad_units',
    ]);
  });

  it('nests the same way in XML', async () => {
    const response = await request('/campaigns/212.xml');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain(
      '<sites><site><id>430</id><name>Neighbour site</name><url/><placements><placement><id>990708</id>',
    );
    expect(body).not.toContain('990702');
    expect(body).not.toContain('990709');
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
