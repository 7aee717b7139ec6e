// A generated dataset (console + aggregate, the legacy schema of db/schema) that looks like
// production and like its dirt: several accounts and keys, deleted rows at every level, labels
// that disagree across tables, orphans, NULL in every nullable column, extremes in every numeric
// column, strings of every class the formats escape (strings.ts), collation ties.
import type { Random } from './random.ts';
import { maybeNull, nastyString } from './strings.ts';

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;
export type Tables = Record<string, Row[]>;

export interface KeyInfo {
  int_key: string;
  api_key: string;
  /** live: a working pair with a large allowance; limited: rph 0-3 for rate-limit sequences. */
  kind: 'live' | 'limited' | 'revoked' | 'deleted-account';
  account_id: number;
  rph: number;
}

export interface Dataset {
  seed: number;
  /** The year the metrics and the clocks are drawn around. */
  year: number;
  console: Tables;
  aggregate: Tables;
  keys: Record<string, KeyInfo>;
}

export const CONSOLE_TABLES = [
  'account',
  'api',
  'advertiser',
  'advertiser_contact',
  'campaign',
  'site',
  'ad_html5',
  'asset',
  'placement',
  'ad_unit',
  'delivery_group',
] as const;
export const AGGREGATE_TABLES = [
  'kpi_daily',
  'engagement_daily',
  'video_quartile_daily',
  'clickthrough_daily',
] as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const isoDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const dayMs = 86_400_000;

function dateIn(r: Random, year: number): string {
  return isoDate(new Date(Date.UTC(year, 0, 1) + r.int(-45, 410) * dayMs));
}

/** A DATETIME around the year, or now and then an extreme the column holds (zero included). */
function dateTime(r: Random, year: number): string {
  if (r.chance(0.03)) return r.pick(['0000-00-00 00:00:00', '1000-01-01 00:00:00', '9999-12-31 23:59:59']);
  return `${dateIn(r, year)} ${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`;
}

/** A nullable DATE: NULL, a date around the year, or an extreme. */
function optionalDate(r: Random, year: number): string | null {
  return r.weighted<() => string | null>([
    [3, () => null],
    [10, () => dateIn(r, year)],
    [1, () => r.pick(['1000-01-01', '9999-12-31', '0000-00-00', `${year}-02-28`, '2024-02-29'])],
  ])();
}

/** A TINYINT(1) flag, set with probability p: mostly 1, sometimes another value it can hold. */
function flag(r: Random, p: number): number {
  if (!r.chance(p)) return 0;
  return r.weighted([
    [10, 1],
    [1, r.pick([2, 127, -1, -128])],
  ]);
}

/** Counts: zero, small (rates on exact .5 boundaries), large, past 2^31, near 2^53, the maxima. */
function count(r: Random, max: 'int' | 'bigint'): string {
  const top = max === 'int' ? 4294967295n : 18446744073709551615n;
  return r.weighted<() => string>([
    [6, () => '0'],
    [20, () => String(r.int(1, 40))],
    [12, () => String(r.int(1, 1000))],
    [6, () => String(r.int(1000, 5_000_000))],
    [2, () => String(r.int(2_147_483_000, 2_147_484_000))],
    [2, () => (max === 'int' ? String(4294967295 - r.int(0, 3)) : String(2n ** 53n + BigInt(r.int(-3, 3))))],
    [1, () => String(top - BigInt(r.int(0, 2)))],
    [1, () => (max === 'int' ? '4294967295' : String(2n ** 63n + BigInt(r.int(-2, 2))))],
  ])();
}

/**
 * `scale` multiplies the advertisers of every live account, and so everything under them (the
 * campaigns, their placements, metric rows and names); 1 gives the datasets CI runs. At 50 about
 * half of the /dataconnector windows span several date ranges of their query
 * (src/queries/metric-segments.ts), and streams cross many row batches, with all the dirt of a
 * small dataset.
 */
export function generateDataset(seed: number, root: Random, scale = 1): Dataset {
  const r = root.fork('dataset');
  const year = r.pick([2024, 2025, 2026, 2027, 2028]);
  const c: Tables = Object.fromEntries(CONSOLE_TABLES.map((t) => [t, []]));
  const a: Tables = Object.fromEntries(AGGREGATE_TABLES.map((t) => [t, []]));
  const keys: Record<string, KeyInfo> = {};
  // One dataset in seven numbers its rows from just under 2^31: ids past a signed 32-bit int.
  let nextId = r.chance(0.15) ? 2 ** 31 - r.int(50, 400) : r.int(1, 5);
  const id = () => {
    nextId += r.weighted([
      [8, 1],
      [2, r.int(2, 30)],
      [1, r.int(1000, 100000)],
    ]);
    return nextId;
  };

  // Accounts: the first is always live (the keys of most cases); one may be deleted.
  const accountCount = r.int(2, 4);
  for (let i = 1; i <= accountCount; i++) {
    c.account!.push({
      id: i,
      name: nastyString(r),
      is_deleted: i > 1 ? flag(r, 0.25) : 0,
      created_at: dateTime(r, year - 1),
    });
  }
  // Keys: spelled with the seed so that no cached answer (KV, isolate) outlives its dataset.
  let keyId = 1;
  for (const account of c.account!) {
    const accountId = account.id as number;
    const kinds: KeyInfo['kind'][] = account.is_deleted
      ? ['deleted-account']
      : ['live', ...(r.chance(0.5) ? (['live'] as const) : []), 'limited', 'revoked'];
    kinds.forEach((kind, n) => {
      const alias = `a${accountId}-${kind}-${n}`;
      const int_key = `Int-S${seed}-A${accountId}-${n}${r.pick(['', 'x', 'Ä', '+ %&=#?/', 'é😀'])}`;
      const api_key = `api-s${seed}-a${accountId}-${n}-${r.int(1000, 9999)}`;
      const rph = kind === 'limited' ? r.int(0, 3) : 1_000_000;
      keys[alias] = { int_key, api_key, kind, account_id: accountId, rph };
      c.api!.push({
        id: keyId++,
        account_id: accountId,
        name: nastyString(r),
        int_key,
        api_key,
        rph,
        r_count: r.int(0, 100),
        is_deleted: kind === 'revoked' ? flag(r, 1) : 0,
        created_at: dateTime(r, year - 1),
      });
    });
  }

  const liveAccounts = c.account!.map((x) => x.id as number);
  const otherAccount = (accountId: number) =>
    r.pick(liveAccounts.filter((x) => x !== accountId).concat([99]));

  // Creative libraries per account.
  for (const accountId of liveAccounts) {
    for (let i = r.int(1, 4); i > 0; i--) {
      c.ad_html5!.push({
        id: id(),
        account_id: accountId,
        ad_name: nastyString(r),
        width: r.pick([0, 300, 728, 65535, r.int(1, 2000)]),
        height: r.pick([0, 250, 90, 65535, r.int(1, 2000)]),
        is_deleted: flag(r, 0.15),
      });
    }
    for (let i = r.int(1, 4); i > 0; i--) {
      c.asset!.push({
        id: id(),
        account_id: accountId,
        asset_name: nastyString(r),
        mime_type: r.pick(['image/png', 'video/mp4', 'text/html']),
        width: maybeNull(r, 0.3, () => r.pick([0, 300, 65535, r.int(1, 2000)])),
        height: maybeNull(r, 0.3, () => r.pick([0, 250, 65535, r.int(1, 2000)])),
        is_deleted: flag(r, 0.15),
      });
    }
  }

  for (const accountId of liveAccounts) {
    // Now and then an account without any advertiser: every list empty, every id another's.
    for (let i = (r.chance(0.08) ? 0 : r.int(1, 5)) * scale; i > 0; i--) {
      const advertiserId = r.chance(0.03) ? 4294967295 - r.int(0, 2) : id();
      if (c.advertiser!.some((x) => x.id === advertiserId)) continue;
      c.advertiser!.push({
        id: advertiserId,
        account_id: accountId,
        name: nastyString(r),
        website: maybeNull(r, 0.3, () => nastyString(r, 512)),
        industry: maybeNull(r, 0.3, () => nastyString(r, 128)),
        is_deleted: flag(r, 0.15),
        created_at: dateTime(r, year - 1),
        updated_at: maybeNull(r, 0.4, () => dateTime(r, year)),
      });
    }
  }
  // An orphan contact and an orphan campaign: their advertiser does not exist.
  const advertiserIds = c.advertiser!.map((x) => x.id as number);
  const missingAdvertiser = nextId + 7777;

  for (const advertiserId of [...advertiserIds, missingAdvertiser]) {
    for (let i = r.int(0, 3); i > 0; i--) {
      c.advertiser_contact!.push({
        id: id(),
        advertiser_id: advertiserId,
        first_name: nastyString(r, 128),
        last_name: nastyString(r, 128),
        email: nastyString(r),
        phone: maybeNull(r, 0.4, () => nastyString(r, 64)),
        title: maybeNull(r, 0.4, () => nastyString(r, 128)),
        is_primary: flag(r, 0.4),
        is_deleted: flag(r, 0.15),
      });
    }
  }

  const advertiserOf = new Map(c.advertiser!.map((x) => [x.id as number, x]));
  for (const advertiserId of [...advertiserIds, missingAdvertiser]) {
    const owner = (advertiserOf.get(advertiserId)?.account_id as number | undefined) ?? 1;
    for (let i = r.int(0, 4); i > 0; i--) {
      const campaignId = r.chance(0.02) ? 4294967295 - r.int(3, 5) : id();
      if (c.campaign!.some((x) => x.id === campaignId)) continue;
      c.campaign!.push({
        id: campaignId,
        // Dirt: a campaign filed under another account than its advertiser's.
        account_id: r.chance(0.06) ? otherAccount(owner) : owner,
        advertiser_id: advertiserId,
        name: nastyString(r),
        status: r.pick(['draft', 'active', 'paused', 'completed', 'archived']),
        start_date: optionalDate(r, year),
        end_date: optionalDate(r, year),
        budget: maybeNull(r, 0.3, () =>
          r.pick([
            '0.00',
            '0.50',
            '12.50',
            '-5.00',
            '9999999999.99',
            `${r.int(0, 99999)}.${pad(r.int(0, 99))}`,
          ]),
        ),
        impression_goal: maybeNull(r, 0.3, () => r.pick([0, 4294967295, r.int(1, 10_000_000)])),
        is_deleted: flag(r, 0.15),
        created_at: dateTime(r, year - 1),
        updated_at: maybeNull(r, 0.4, () => dateTime(r, year)),
      });
    }
  }

  for (const campaign of c.campaign!) {
    for (let i = r.int(0, 3); i > 0; i--) {
      c.site!.push({
        id: id(),
        campaign_id: campaign.id as number,
        name: nastyString(r),
        url: maybeNull(r, 0.3, () => nastyString(r, 512)),
        is_deleted: flag(r, 0.15),
      });
    }
  }
  const sitesOf = (campaignId: SqlValue) => c.site!.filter((s) => s.campaign_id === campaignId);
  const creativeIds = (table: 'ad_html5' | 'asset', accountId: SqlValue) =>
    c[table]!.filter((x) => x.account_id === accountId).map((x) => x.id as number);

  for (const campaign of c.campaign!) {
    for (let i = r.int(0, 4); i > 0; i--) {
      const own = sitesOf(campaign.id as number);
      const siteId = r.weighted<() => number>([
        [14, () => (own.length ? (r.pick(own).id as number) : id())],
        [3, () => (c.site!.length ? (r.pick(c.site!).id as number) : id())],
        [2, () => id()],
      ])();
      const html5 = creativeIds('ad_html5', campaign.account_id as number);
      const assets = creativeIds('asset', campaign.account_id as number);
      const creative = r.weighted<'html5' | 'asset' | 'both' | 'none' | 'dangling'>([
        [8, 'html5'],
        [7, 'asset'],
        [2, 'both'],
        [2, 'none'],
        [1, 'dangling'],
      ]);
      c.placement!.push({
        id: id(),
        campaign_id: campaign.id as number,
        site_id: siteId,
        ad_html5_id:
          (creative === 'html5' || creative === 'both') && html5.length
            ? r.pick(html5)
            : creative === 'dangling'
              ? nextId + 5555
              : null,
        asset_id: (creative === 'asset' || creative === 'both') && assets.length ? r.pick(assets) : null,
        status: r.pick(['active', 'paused', 'archived']),
        is_deleted: flag(r, 0.15),
      });
    }
  }
  for (const placement of c.placement!) {
    for (let i = r.int(0, 2); i > 0; i--) {
      c.ad_unit!.push({
        id: id(),
        placement_id: placement.id as number,
        name: nastyString(r),
        ad_format: nastyString(r, 64),
        is_deleted: flag(r, 0.15),
      });
    }
  }
  for (const unit of c.ad_unit!) {
    for (let i = r.int(0, 2); i > 0; i--) {
      c.delivery_group!.push({
        id: id(),
        ad_unit_id: unit.id as number,
        name: nastyString(r),
        weight: r.pick([0, 100, 65535, r.int(1, 1000)]),
        start_date: optionalDate(r, year),
        end_date: optionalDate(r, year),
        is_deleted: flag(r, 0.15),
      });
    }
  }

  generateMetrics(r, year, c, a, liveAccounts);
  return { seed, year, console: c, aggregate: a, keys };
}

/**
 * Metric rows for the account's (campaign, placement) pairs, live or not, plus orphans and pairs
 * whose aggregate labels (account, advertiser) disagree with console.
 */
function generateMetrics(r: Random, year: number, c: Tables, a: Tables, accounts: number[]): void {
  const campaignOf = new Map(c.campaign!.map((x) => [x.id, x]));
  const pairs = c.placement!.map((p) => ({ campaign: p.campaign_id as number, placement: p.id as number }));
  for (let i = r.int(1, 4); i > 0; i--) {
    // Orphans and cross-wired pairs: a placement under another campaign, ids that do not exist.
    const p = pairs.length ? r.pick(pairs) : { campaign: 1, placement: 1 };
    pairs.push(
      r.chance(0.5)
        ? { campaign: c.campaign!.length ? (r.pick(c.campaign!).id as number) : 3, placement: p.placement }
        : { campaign: p.campaign, placement: 900_000 + r.int(0, 999) },
    );
  }
  const start = Date.UTC(year, 0, 1);
  for (const pair of pairs) {
    const campaign = campaignOf.get(pair.campaign);
    const dates = new Set<string>();
    const runStart = r.int(-40, 370);
    for (let d = 0, n = r.int(0, 25); d < n; d++)
      dates.add(isoDate(new Date(start + (runStart + d) * dayMs)));
    for (let d = r.int(0, 12); d > 0; d--) dates.add(isoDate(new Date(start + r.int(-40, 400) * dayMs)));
    // Days only the other tables have (no kpi row): /analytics sums each table on its own, the
    // connectors read them only beside a kpi row.
    const otherOnly = new Set<string>();
    for (let d = r.chance(0.3) ? r.int(1, 4) : 0; d > 0; d--)
      otherOnly.add(isoDate(new Date(start + r.int(-40, 400) * dayMs)));
    for (const stat_date of [...dates, ...[...otherOnly].filter((d) => !dates.has(d))]) {
      const kpi = dates.has(stat_date);
      const labels = {
        stat_date,
        account_id: r.chance(0.05) || !campaign ? r.pick([...accounts, 99]) : (campaign.account_id as number),
        advertiser_id:
          r.chance(0.05) || !campaign
            ? c.advertiser!.length
              ? (r.pick(c.advertiser!).id as number)
              : 1
            : (campaign.advertiser_id as number),
        campaign_id: pair.campaign,
        placement_id: pair.placement,
      };
      if (kpi) {
        a.kpi_daily!.push({
          ...labels,
          impressions: count(r, 'bigint'),
          clicks: count(r, 'int'),
          interactions: count(r, 'int'),
        });
      }
      // Each table's own labels now and then disagree with the kpi row's.
      const own = () =>
        r.chance(0.05)
          ? {
              ...labels,
              account_id: r.pick([...accounts, 99]),
              advertiser_id: c.advertiser!.length ? (r.pick(c.advertiser!).id as number) : 1,
            }
          : labels;
      if (r.chance(kpi ? 0.6 : 0.8)) {
        a.engagement_daily!.push({
          ...own(),
          engagements: count(r, 'int'),
          engagement_time_ms: r.weighted<() => string>([
            [16, () => count(r, 'bigint')],
            [4, () => String(r.int(0, 999_999) * 1000 + r.pick([0, 500, 5, 1]))],
            // Whole seconds from 10^14 to 2^53: a float PHP writes `1.0E+14` as a string.
            [1, () => `${r.int(100_000, 9_007_199)}${String(r.int(0, 999_999_999)).padStart(9, '0')}000`],
          ])(),
          expansions: count(r, 'int'),
        });
      }
      if (r.chance(kpi ? 0.5 : 0.8)) {
        a.video_quartile_daily!.push({
          ...own(),
          video_starts: count(r, 'int'),
          video_q25: count(r, 'int'),
          video_q50: count(r, 'int'),
          video_q75: count(r, 'int'),
          video_completes: count(r, 'int'),
        });
      }
      for (let i = r.chance(0.3) ? r.int(1, 3) : 0; i > 0; i--) {
        a.clickthrough_daily!.push({
          ...own(),
          click_name: nastyString(r),
          click_url: nastyString(r, 2048),
          clicks: count(r, 'int'),
        });
      }
    }
  }
}
