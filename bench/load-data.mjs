#!/usr/bin/env node
// `npm run bench:data [-- --force]`: loads the benchmark dataset (bench/dataset.mjs) into the
// private `bench` MariaDB instance (port 33308, schema only from db/schema, no seed). The dev and
// test instances and their seed databases are never touched.
//
//   1 account "Bench Media", 1 key pair, 40 advertisers, 400 campaigns, 800 sites,
//   2,000 HTML5 ads + 2,000 assets, 4,000 placements, 400 days of kpi_daily for every placement
//   (1.6 M rows), engagement_daily for one placement in four and video_quartile_daily for another
//   one in four (400 k rows each). Counts come from ids and day numbers (no RNG); about 1 % of the
//   kpi rows are all zero.
//
// Idempotent: a marker in `bench_meta` records the dataset version and when local-db last
// (re)created the databases; a second run with both unchanged does nothing. --force reloads.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { connectionString, start, status, stop } from '../scripts/local-db.mjs';
import {
  ACCOUNT_ID,
  ADVERTISERS,
  CAMPAIGNS,
  CLICK_DAYS,
  DATASET_VERSION,
  DAYS,
  END_DATE,
  FIRST_DATE,
  INSTANCE,
  KEY,
  PLACEMENTS,
} from './dataset.mjs';

let log = (line) => console.log(`[bench:data] ${line}`);

/**
 * The bench dataset has no clickthrough rows (ensureBenchData fills the kpi tables only): an
 * empty /clickthroughs would time the checks but no row. Campaign 1's ten placements get two
 * named clicks a day for the 120 days before END_DATE (the default window is four months), once;
 * a reload of the dataset removes them and the next run adds them again.
 */
export async function ensureClickthroughs(db) {
  const admin = await mysql.createConnection({ uri: connectionString(db, 'aggregate', { admin: true }) });
  try {
    const [rows] = await admin.query(
      'SELECT COUNT(*) AS n FROM clickthrough_daily WHERE advertiser_id = 1 AND campaign_id = 1',
    );
    if (Number(rows[0].n) > 0) return Number(rows[0].n);
    const [result] = await admin.query(
      `INSERT INTO clickthrough_daily (stat_date, account_id, advertiser_id, campaign_id, placement_id, click_name, click_url, clicks)
        SELECT DATE '${END_DATE}' - INTERVAL d.seq DAY, ${ACCOUNT_ID}, 1, 1, p.seq, n.name,
          CONCAT('https://advertiser-1.example/landing/', p.seq, '?c=', n.name), 1 + (p.seq * 7 + d.seq * 3) MOD 50
        FROM seq_1_to_10 p
        JOIN seq_0_to_${CLICK_DAYS - 1} d
        JOIN (SELECT 'Shop now' AS name UNION ALL SELECT 'Learn more') n`,
    );
    return result.affectedRows;
  } finally {
    await admin.end();
  }
}

/**
 * Starts the bench instance (schema only) and makes sure the dataset is in it.
 * Returns { db (local-db info), loaded, loadMs, counts }.
 */
export async function ensureBenchData({ force = false, quiet = false } = {}) {
  if (quiet) log = () => {};
  const db = await start(INSTANCE, {
    databases: { schemaDir: 'db/schema', seedDir: null },
    log: quiet ? false : undefined,
  });
  const admin = await mysql.createConnection({
    // SEQUENCE tables (seq_1_to_N) need a current database.
    uri: connectionString(db, 'console', { admin: true }),
    multipleStatements: true,
    dateStrings: true,
  });
  try {
    await admin.query(
      'CREATE DATABASE IF NOT EXISTS bench_meta; ' +
        'CREATE TABLE IF NOT EXISTS bench_meta.marker (id TINYINT PRIMARY KEY, version VARCHAR(64) NOT NULL, ' +
        'provisioned VARCHAR(255) NOT NULL, load_ms INT NOT NULL, loaded_at DATETIME NOT NULL, counts TEXT NOT NULL)',
    );
    // When local-db (re)created console/aggregate (a schema change), their loaded_at moves.
    const [prov] = await admin.query(
      "SELECT GROUP_CONCAT(db_name, '@', loaded_at ORDER BY db_name) AS p FROM adv_local_meta.provisioned WHERE db_name IN (?, ?)",
      [db.databases.console, db.databases.aggregate],
    );
    const provisioned = String(prov[0].p);
    const [markers] = await admin.query('SELECT * FROM bench_meta.marker WHERE id = 1');
    const marker = markers[0];
    if (!force && marker && marker.version === DATASET_VERSION && marker.provisioned === provisioned) {
      log(
        `dataset ${DATASET_VERSION} already loaded (${marker.loaded_at}, took ${(marker.load_ms / 1000).toFixed(1)} s): ${marker.counts}; --force reloads`,
      );
      return { db, loaded: false, loadMs: marker.load_ms, counts: JSON.parse(marker.counts) };
    }
    log(`loading ${DATASET_VERSION} into instance "${INSTANCE}" (port ${db.port})...`);
    const t0 = performance.now();
    await admin.query('DELETE FROM bench_meta.marker');
    const counts = await load(admin, db.databases.console, db.databases.aggregate);
    const loadMs = Math.round(performance.now() - t0);
    await admin.query(
      'INSERT INTO bench_meta.marker (id, version, provisioned, load_ms, loaded_at, counts) VALUES (1, ?, ?, ?, NOW(), ?)',
      [DATASET_VERSION, provisioned, loadMs, JSON.stringify(counts)],
    );
    log(`loaded in ${(loadMs / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    return { db, loaded: true, loadMs, counts };
  } finally {
    await admin.end();
  }
}

async function load(admin, consoleDb, aggregateDb) {
  const c = `\`${consoleDb}\``;
  const a = `\`${aggregateDb}\``;
  const step = async (what, sql) => {
    const t = performance.now();
    await admin.query(sql);
    log(`  ${what} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  };
  // Empty every table first (a reload after --force or a dataset version change).
  const [tables] = await admin.query(
    'SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?, ?)',
    [consoleDb, aggregateDb],
  );
  await admin.query(tables.map(({ s, t }) => `TRUNCATE TABLE \`${s}\`.\`${t}\`;`).join(' '));
  await admin.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');

  const perAdvertiser = CAMPAIGNS / ADVERTISERS;
  const perCampaign = PLACEMENTS / CAMPAIGNS;
  const placementsPerAdvertiser = PLACEMENTS / ADVERTISERS;
  await step(
    'console: account, key, advertisers, campaigns, sites, creatives, placements',
    `
    INSERT INTO ${c}.account (id, name, is_deleted, created_at) VALUES (${ACCOUNT_ID}, 'Bench Media', 0, '2020-01-01 00:00:00');
    INSERT INTO ${c}.api (id, account_id, name, int_key, api_key, rph, r_count, is_deleted, created_at)
      VALUES (1, ${ACCOUNT_ID}, 'Bench key', '${KEY.int_key}', '${KEY.api_key}', ${KEY.rph}, 0, 0, '2024-01-01 00:00:00');
    INSERT INTO ${c}.advertiser (id, account_id, name, website, industry, is_deleted, created_at, updated_at)
      SELECT seq, ${ACCOUNT_ID}, CONCAT('Bench Advertiser ', LPAD(seq, 2, '0'), ' & Partners'),
        CONCAT('https://advertiser-', seq, '.example/?utm=1&x=2'),
        ELT(1 + seq MOD 5, 'Retail', 'Food & Drink', 'Travel', 'Finance', 'Technology'),
        0, TIMESTAMP('2021-01-01 09:00:00') + INTERVAL seq DAY, NULL
      FROM seq_1_to_${ADVERTISERS};
    INSERT INTO ${c}.campaign (id, account_id, advertiser_id, name, status, start_date, end_date, budget, impression_goal, is_deleted, created_at, updated_at)
      SELECT seq, ${ACCOUNT_ID}, 1 + (seq - 1) DIV ${perAdvertiser},
        CONCAT('Campaign ', LPAD(seq, 3, '0'), ' "Always-on", Q', 1 + seq MOD 4, ' / Bench'),
        ELT(1 + seq MOD 3, 'active', 'paused', 'completed'), '${FIRST_DATE}', '2026-12-31',
        1000.00 + seq * 12.5, 100000 * seq, 0, '2025-01-01 00:00:00', NULL
      FROM seq_1_to_${CAMPAIGNS};
    INSERT INTO ${c}.site (id, campaign_id, name, url, is_deleted)
      SELECT seq, 1 + (seq - 1) DIV 2, CONCAT('Site ', seq), CONCAT('https://site-', seq, '.example/'), 0
      FROM seq_1_to_${CAMPAIGNS * 2};
    INSERT INTO ${c}.ad_html5 (id, account_id, ad_name, width, height, is_deleted)
      SELECT seq, ${ACCOUNT_ID}, CONCAT('Bench Rich Media ', LPAD(seq, 4, '0'), ' 300x250 "HTML5"'), 300, 250, 0
      FROM seq_1_to_${PLACEMENTS / 2};
    INSERT INTO ${c}.asset (id, account_id, asset_name, mime_type, width, height, is_deleted)
      SELECT seq, ${ACCOUNT_ID}, CONCAT('bench_banner_', LPAD(seq, 4, '0'), '_728x90.jpg'), 'image/jpeg', 728, 90, 0
      FROM seq_1_to_${PLACEMENTS / 2};
    -- Odd placements show an HTML5 ad, even ones an asset; two sites per campaign.
    INSERT INTO ${c}.placement (id, campaign_id, site_id, ad_html5_id, asset_id, status, is_deleted)
      SELECT seq, 1 + (seq - 1) DIV ${perCampaign}, 2 * ((seq - 1) DIV ${perCampaign}) + 1 + seq MOD 2,
        IF(seq MOD 2 = 1, (seq + 1) DIV 2, NULL), IF(seq MOD 2 = 0, seq DIV 2, NULL), 'active', 0
      FROM seq_1_to_${PLACEMENTS};
  `,
  );
  // Rows are generated in primary-key order (campaign, placement, date): STRAIGHT_JOIN keeps the
  // placement sequence outside, days inside. Day n is FIRST_DATE + n.
  const labels = `${ACCOUNT_ID}, 1 + (p.seq - 1) DIV ${placementsPerAdvertiser}, 1 + (p.seq - 1) DIV ${perCampaign}, p.seq`;
  const date = `DATE '${FIRST_DATE}' + INTERVAL d.seq DAY`;
  const days = `seq_0_to_${DAYS - 1}`;
  const zero = '(p.seq + d.seq * 7) MOD 97 = 0'; // ~1 % of the days of a placement: nothing at all
  const imp = `IF(${zero}, 0, 500 + (p.seq * 7919 + d.seq * 104729 + p.seq * d.seq * 31) MOD 20000)`;
  await step(
    `aggregate: kpi_daily (${PLACEMENTS} placements × ${DAYS} days)`,
    `INSERT INTO ${a}.kpi_daily (stat_date, account_id, advertiser_id, campaign_id, placement_id, impressions, clicks, interactions)
      SELECT ${date}, ${labels}, ${imp}, ${imp} * (1 + (p.seq * 13 + d.seq * 7) MOD 40) DIV 1000,
        IF(${zero}, 0, (p.seq * 37 + d.seq * 11) MOD 300)
      FROM seq_1_to_${PLACEMENTS} p STRAIGHT_JOIN ${days} d`,
  );
  const quarter = PLACEMENTS / 4;
  const engagements = `IF(${zero}, 0, (p.seq * 17 + d.seq * 29) MOD 200)`;
  await step(
    `aggregate: engagement_daily (${quarter} placements × ${DAYS} days)`,
    `INSERT INTO ${a}.engagement_daily (stat_date, account_id, advertiser_id, campaign_id, placement_id, engagements, engagement_time_ms, expansions)
      SELECT ${date}, ${labels}, ${engagements}, ${engagements} * (1000 + (p.seq * d.seq) MOD 9000),
        IF(${zero}, 0, (p.seq + d.seq) MOD 20)
      FROM (SELECT seq * 4 AS seq FROM seq_1_to_${quarter}) p STRAIGHT_JOIN ${days} d`,
  );
  const starts = `IF(${zero}, 0, 100 + (p.seq * 23 + d.seq * 13) MOD 900)`;
  await step(
    `aggregate: video_quartile_daily (${quarter} placements × ${DAYS} days)`,
    `INSERT INTO ${a}.video_quartile_daily (stat_date, account_id, advertiser_id, campaign_id, placement_id, video_starts, video_q25, video_q50, video_q75, video_completes)
      SELECT ${date}, ${labels}, ${starts}, ${starts} * 3 DIV 4, ${starts} DIV 2, ${starts} DIV 4, ${starts} DIV 5
      FROM (SELECT seq * 4 - 3 AS seq FROM seq_1_to_${quarter}) p STRAIGHT_JOIN ${days} d`,
  );
  await step(
    'ANALYZE TABLE',
    `ANALYZE TABLE ${a}.kpi_daily, ${a}.engagement_daily, ${a}.video_quartile_daily`,
  );

  const counts = {};
  for (const [db, table] of [
    [c, 'advertiser'],
    [c, 'campaign'],
    [c, 'placement'],
    [a, 'kpi_daily'],
    [a, 'engagement_daily'],
    [a, 'video_quartile_daily'],
  ]) {
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${db}.${table}`);
    counts[table] = Number(rows[0].n);
  }
  const [range] = await admin.query(
    `SELECT MIN(stat_date) AS first, MAX(stat_date) AS last FROM ${a}.kpi_daily`,
  );
  if (range[0].first !== FIRST_DATE || range[0].last !== END_DATE)
    throw new Error(
      `kpi_daily spans ${range[0].first}..${range[0].last}, expected ${FIRST_DATE}..${END_DATE}`,
    );
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values: args } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  const before = await status(INSTANCE);
  ensureBenchData({ force: args.force }).then(
    async () => {
      // Leave the instance as it was found: `npm run bench` starts it again when it needs it.
      if (!before.responding) {
        await stop(INSTANCE, { log: false });
        log(`instance "${INSTANCE}" stopped again (it was not running before)`);
      }
      process.exit(0);
    },
    (error) => {
      console.error(`[bench:data] error: ${error.message}`);
      process.exit(1);
    },
  );
}
