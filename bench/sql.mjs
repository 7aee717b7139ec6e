// The two bulk queries of /dataconnector exactly as the Worker sends them, compiled from the
// Worker's own query code (src/queries/connector-names.ts and connector-metrics.ts of the tree
// being measured; src/queries/connector-rows.ts in trees before issue 19) by Kysely with a driver
// that executes nothing. When that code can no longer be driven this way (a changed
// signature), the copy below is used and the results say so.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** A copy of the SQL compiled from the tree's query code (src/queries/connector-rows.ts) at commit 91a2910. */
export const SQL_COPY = {
  names:
    "select `advertiser`.`id` as `advertiser_id`, `advertiser`.`name` as `advertiser_name`, `campaign`.`id` as `campaign_id`, `campaign`.`name` as `campaign_name`, `placement`.`id` as `placement_id`, COALESCE(CASE WHEN placement.ad_html5_id IS NOT NULL THEN ad_html5.ad_name ELSE asset.asset_name END, '') as `placement_name` from `placement` inner join `campaign` on `campaign`.`id` = `placement`.`campaign_id` inner join `advertiser` on `advertiser`.`id` = `campaign`.`advertiser_id` left join `ad_html5` on `ad_html5`.`id` = `placement`.`ad_html5_id` left join `asset` on `asset`.`id` = `placement`.`asset_id` where `campaign`.`account_id` = ? and `advertiser`.`account_id` = ? and `placement`.`is_deleted` = ? and `campaign`.`is_deleted` = ? and `advertiser`.`is_deleted` = ?",
  metrics: {
    1: 'select `kpi_daily`.`stat_date`, `kpi_daily`.`campaign_id`, `kpi_daily`.`placement_id`, `kpi_daily`.`impressions`, `kpi_daily`.`clicks`, `kpi_daily`.`interactions` from `kpi_daily` where `kpi_daily`.`stat_date` >= ? and `kpi_daily`.`stat_date` <= ? and `kpi_daily`.`account_id` = ? order by `kpi_daily`.`stat_date`, `kpi_daily`.`advertiser_id`, `kpi_daily`.`campaign_id`, `kpi_daily`.`placement_id`',
    2: 'select `kpi_daily`.`stat_date`, `kpi_daily`.`campaign_id`, `kpi_daily`.`placement_id`, `kpi_daily`.`impressions`, `kpi_daily`.`clicks`, `kpi_daily`.`interactions`, `engagement_daily`.`engagements`, `engagement_daily`.`engagement_time_ms`, `engagement_daily`.`expansions`, `video_quartile_daily`.`video_starts`, `video_quartile_daily`.`video_q25`, `video_quartile_daily`.`video_q50`, `video_quartile_daily`.`video_q75`, `video_quartile_daily`.`video_completes` from `kpi_daily` left join `engagement_daily` on `engagement_daily`.`campaign_id` = `kpi_daily`.`campaign_id` and `engagement_daily`.`placement_id` = `kpi_daily`.`placement_id` and `engagement_daily`.`stat_date` = `kpi_daily`.`stat_date` left join `video_quartile_daily` on `video_quartile_daily`.`campaign_id` = `kpi_daily`.`campaign_id` and `video_quartile_daily`.`placement_id` = `kpi_daily`.`placement_id` and `video_quartile_daily`.`stat_date` = `kpi_daily`.`stat_date` where `kpi_daily`.`stat_date` >= ? and `kpi_daily`.`stat_date` <= ? and `kpi_daily`.`account_id` = ? order by `kpi_daily`.`stat_date`, `kpi_daily`.`advertiser_id`, `kpi_daily`.`campaign_id`, `kpi_daily`.`placement_id`',
  },
};

const copyQueries = (accountId, range, version) => ({
  names: { sql: SQL_COPY.names, parameters: [String(accountId), String(accountId), '0', '0', '0'] },
  metrics: { sql: SQL_COPY.metrics[version], parameters: [range.from, range.to, String(accountId)] },
});

/** Where a tree keeps the query code: its own files since issue 19, one file before. */
function queryModules(treeDir) {
  if (existsSync(join(treeDir, 'src/queries/connector-metrics.ts'))) {
    return {
      source: 'compiled from src/queries/connector-names.ts and connector-metrics.ts',
      imports: `
import { loadConnectorNames } from './src/queries/connector-names.ts';
import { connectorMetrics } from './src/queries/connector-metrics.ts';
import { metricSegments } from './src/queries/metric-segments.ts';
const rows = { loadConnectorNames, connectorMetrics, metricSegments };`,
    };
  }
  return {
    source: 'compiled from src/queries/connector-rows.ts',
    imports: `import * as rows from './src/queries/connector-rows.ts';`,
  };
}

const entry = (imports) => `
import { DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler } from 'kysely';
${imports}

function capturing() {
  const queries = [];
  const db = new Kysely({
    dialect: {
      createAdapter: () => new MysqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new MysqlIntrospector(k),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
    log: (event) => queries.push(event.query),
  });
  return { db, queries };
}

const plain = (q) => ({ sql: q.sql, parameters: [...q.parameters] });

export async function compileDataConnector(accountId, range, version) {
  const names = capturing();
  const loaded = await rows.loadConnectorNames(names.db, accountId);
  const namesQuery = names.queries.at(-1) ?? loaded?.compile?.();
  const metrics = capturing();
  let built = rows.connectorMetrics(metrics.db, { endpoint: 'dataconnector', accountId }, range, version);
  if (typeof built?.compile !== 'function') {
    // A streaming variant may return rows instead of a builder: run it to capture its query.
    built = await built;
    if (built?.[Symbol.asyncIterator]) for await (const _ of built);
  }
  const metricsQuery = typeof built?.compile === 'function' ? built.compile() : metrics.queries.at(-1);
  if (!namesQuery || !metricsQuery) throw new Error('no query captured');
  return { names: plain(namesQuery), metrics: plain(metricsQuery) };
}

export function compileSegments(accountId, range, version, pairs) {
  if (typeof rows.metricSegments !== 'function') return undefined;
  const { db } = capturing();
  const scope = { endpoint: 'dataconnector', accountId };
  return rows
    .metricSegments(range, pairs)
    .map((segment) => plain(rows.connectorMetrics(db, scope, segment, version).compile()));
}
`;

/**
 * { names, metrics, source } for /dataconnector over `range` (v1 or v2), where source says
 * whether the SQL was compiled from `treeDir`'s code or taken from the copy above.
 */
export async function dataConnectorQueries(treeDir, accountId, range, version) {
  try {
    const { compileDataConnector } = await loadCompiler(treeDir);
    const queries = await compileDataConnector(accountId, range, version);
    return { ...queries, source: queryModules(treeDir).source };
  } catch (error) {
    return {
      ...copyQueries(accountId, range, version),
      source: `copy in bench/sql.mjs (compiling the tree's code failed: ${error.message.split('\n')[0]})`,
    };
  }
}

/**
 * The metric queries the Worker of `treeDir` sends for /dataconnector over `range` when it reads
 * the window in date ranges (metricSegments, for `pairs` named pairs), or undefined when it does not.
 */
export async function dataConnectorSegments(treeDir, accountId, range, version, pairs) {
  try {
    const { compileSegments } = await loadCompiler(treeDir);
    return compileSegments?.(accountId, range, version, pairs);
  } catch {
    return undefined;
  }
}

const compilers = new Map();

async function loadCompiler(treeDir) {
  if (!compilers.has(treeDir)) {
    // Bundled next to the tree so that bare imports (kysely, zod, mysql2) resolve from its node_modules.
    const out = join(treeDir, `.bench-sql-${process.pid}.mjs`);
    try {
      await build({
        stdin: { contents: entry(queryModules(treeDir).imports), resolveDir: treeDir, loader: 'js' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: out,
        logLevel: 'silent',
      });
      const module = await import(pathToFileURL(out).href);
      compilers.set(treeDir, module);
    } finally {
      rmSync(out, { force: true });
    }
  }
  return compilers.get(treeDir);
}

// `node bench/sql.mjs`: print the compiled SQL of this tree (for checking SQL_COPY), and the date
// ranges the Worker reads a 365-day window of 4,000 pairs in (test/tooling/bench-sql.test.ts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const tree = join(import.meta.dirname, '..');
  for (const version of [1, 2]) {
    const q = await dataConnectorQueries(tree, 1, { from: '2026-01-01', to: '2026-01-31' }, version);
    const segments = await dataConnectorSegments(
      tree,
      1,
      { from: '2025-11-23', to: '2026-11-22' },
      version,
      4_000,
    );
    console.log(JSON.stringify({ version, ...q, segments: segments?.length ?? null }, null, 2));
  }
}
