import type { Kysely } from 'kysely';
import {
  type ConnectorRowV1,
  type ConnectorRowV2,
  parameterRules,
  RemoveZerosParam,
} from '../../generated/schemas';
import {
  type AggregateDatabase,
  aggregateQueryBuilder,
  type ConsoleDatabase,
  streamAggregateRows,
} from '../db';
import { ApiError } from '../errors/api-error';
import { type LegacyObject, type LegacyRowParts, phpIntval, phpRatio } from '../legacy';
import { daysBetween, minusDays } from '../request/dates';
import type { ApiVersion } from '../routing/resolve';
import { placementName, withCreative } from './placement-creative';

// /connector and /dataconnector (CONTRACT §2 "Which rows"): two bulk queries merged in code,
// never a query per row. (a) loadConnectorNames: the console names of every visible pair;
// (b) connectorMetrics: the aggregate rows in SQL order; each converted by toConnectorRow.
// (b) is a query builder: streamConnectorRows streams it, a caller may also execute() it.

/**
 * Console ids and names of one (campaign, placement) pair, in the rows' member order: the object
 * is also the names part shared by every row of the pair (LegacyRowParts).
 */
export type ConnectorNames = {
  advertiser_id: string;
  advertiser_name: string;
  campaign_id: string;
  campaign_name: string;
  placement_id: string;
  placement_name: string;
};

/** Names by `campaign_id/placement_id`, as the aggregate rows spell those ids. */
export type ConnectorNameMap = ReadonlyMap<string, ConnectorNames>;

/** The names of a metric row's (campaign, placement) pair, undefined when it has none. */
type PairLookup = (campaignId: string | number, placementId: string | number) => ConnectorNames | undefined;

/**
 * A PairLookup over `names` by numeric ids (what a streamed row holds): no key string to build and
 * hash per row. Integer ids spell one number one way, so it finds what `names` would.
 */
function numericPairLookup(names: ConnectorNameMap): PairLookup {
  const byCampaign = new Map<number, Map<number, ConnectorNames>>();
  for (const pair of names.values()) {
    const campaignId = Number(pair.campaign_id);
    let placements = byCampaign.get(campaignId);
    if (placements === undefined) {
      placements = new Map();
      byCampaign.set(campaignId, placements);
    }
    placements.set(Number(pair.placement_id), pair);
  }
  return (campaignId, placementId) => byCampaign.get(Number(campaignId))?.get(Number(placementId));
}

const pairKey = (campaignId: string | number, placementId: string | number) => `${campaignId}/${placementId}`;

/** One not-deleted advertiser of the account, or undefined (the caller's 404). */
export function findAccountAdvertiser(db: Kysely<ConsoleDatabase>, accountId: number, advertiserId: number) {
  return db
    .selectFrom('advertiser')
    .select(['id', 'name'])
    .where('id', '=', String(advertiserId))
    .where('account_id', '=', String(accountId))
    .where('is_deleted', '=', '0')
    .executeTakeFirst();
}

/**
 * Every (campaign, placement) pair of the account whose placement, campaign and advertiser are
 * not deleted (a deleted site does not matter), restricted to one advertiser when given.
 */
export async function loadConnectorNames(
  db: Kysely<ConsoleDatabase>,
  accountId: number,
  advertiserId?: number,
): Promise<ConnectorNameMap> {
  let query = withCreative(
    db
      .selectFrom('placement')
      .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
      .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
      .select([
        'advertiser.id as advertiser_id',
        'advertiser.name as advertiser_name',
        'campaign.id as campaign_id',
        'campaign.name as campaign_name',
        'placement.id as placement_id',
        placementName.as('placement_name'),
      ])
      .where('campaign.account_id', '=', String(accountId))
      .where('advertiser.account_id', '=', String(accountId))
      .where('placement.is_deleted', '=', '0')
      .where('campaign.is_deleted', '=', '0')
      .where('advertiser.is_deleted', '=', '0'),
  );
  if (advertiserId !== undefined) query = query.where('advertiser.id', '=', String(advertiserId));
  const names = new Map<string, ConnectorNames>();
  for (const row of await query.execute()) names.set(pairKey(row.campaign_id, row.placement_id), row);
  return names;
}

/**
 * Which `kpi_daily` rows, by the aggregate table's own labels (never by console):
 * /connector by the advertiser label; /dataconnector by the account label (plus the advertiser
 * label when given), ordered by the advertiser label right after the date.
 */
export type MetricScope =
  | { endpoint: 'connector'; advertiserId: number }
  | { endpoint: 'dataconnector'; accountId: number; advertiserId?: number | undefined };

/**
 * The metric rows of `[from, to]` in the contract's order. v2 LEFT JOINs the engagement and
 * video tables on (campaign, placement, date) only: their labels are not used, and a missing
 * row reads as null.
 */
export function connectorMetrics(
  db: Kysely<AggregateDatabase>,
  scope: MetricScope,
  range: { from: string; to: string },
  version: ApiVersion,
) {
  let query = db
    .selectFrom('kpi_daily')
    .select([
      'kpi_daily.stat_date',
      'kpi_daily.campaign_id',
      'kpi_daily.placement_id',
      'kpi_daily.impressions',
      'kpi_daily.clicks',
      'kpi_daily.interactions',
    ])
    .where('kpi_daily.stat_date', '>=', range.from)
    .where('kpi_daily.stat_date', '<=', range.to)
    .$if(version === 2, (qb) =>
      qb
        .leftJoin('engagement_daily', (join) =>
          join
            .onRef('engagement_daily.campaign_id', '=', 'kpi_daily.campaign_id')
            .onRef('engagement_daily.placement_id', '=', 'kpi_daily.placement_id')
            .onRef('engagement_daily.stat_date', '=', 'kpi_daily.stat_date'),
        )
        .leftJoin('video_quartile_daily', (join) =>
          join
            .onRef('video_quartile_daily.campaign_id', '=', 'kpi_daily.campaign_id')
            .onRef('video_quartile_daily.placement_id', '=', 'kpi_daily.placement_id')
            .onRef('video_quartile_daily.stat_date', '=', 'kpi_daily.stat_date'),
        )
        .select([
          'engagement_daily.engagements',
          'engagement_daily.engagement_time_ms',
          'engagement_daily.expansions',
          'video_quartile_daily.video_starts',
          'video_quartile_daily.video_q25',
          'video_quartile_daily.video_q50',
          'video_quartile_daily.video_q75',
          'video_quartile_daily.video_completes',
        ]),
    );
  if (scope.endpoint === 'connector') {
    query = query
      .where('kpi_daily.advertiser_id', '=', String(scope.advertiserId))
      .orderBy('kpi_daily.stat_date');
  } else {
    query = query.where('kpi_daily.account_id', '=', String(scope.accountId));
    if (scope.advertiserId !== undefined)
      query = query.where('kpi_daily.advertiser_id', '=', String(scope.advertiserId));
    // The label's advertiser order: a mislabelled row sorts with its label (fixtures scope-*).
    query = query.orderBy('kpi_daily.stat_date').orderBy('kpi_daily.advertiser_id');
  }
  return query.orderBy('kpi_daily.campaign_id').orderBy('kpi_daily.placement_id');
}

/** One metric row as connectorMetrics selects it (v2 members absent in v1, null without a row). */
export type ConnectorMetric = Awaited<ReturnType<ReturnType<typeof connectorMetrics>['execute']>>[number];

/** A metric row as streamed: integer columns as numbers (src/db RowOptions `numbers`). */
type StreamedMetric = { [K in keyof ConnectorMetric]: ConnectorMetric[K] | number };

/** The columns of connectorMetrics in select order: a streamed row is an array in this order. */
const V1_COLUMNS = [
  'stat_date',
  'campaign_id',
  'placement_id',
  'impressions',
  'clicks',
  'interactions',
] as const;
const METRIC_COLUMNS = {
  1: V1_COLUMNS,
  2: [
    ...V1_COLUMNS,
    'engagements',
    'engagement_time_ms',
    'expansions',
    'video_starts',
    'video_q25',
    'video_q50',
    'video_q75',
    'video_completes',
  ],
} as const satisfies Record<ApiVersion, readonly (keyof StreamedMetric)[]>;

/** A streamed row (METRIC_COLUMNS order) as an object: one literal, the same shape every row. */
const metricOf: Record<ApiVersion, (row: unknown[]) => StreamedMetric> = {
  1: (row) =>
    ({
      stat_date: row[0],
      campaign_id: row[1],
      placement_id: row[2],
      impressions: row[3],
      clicks: row[4],
      interactions: row[5],
    }) as StreamedMetric,
  2: (row) =>
    ({
      stat_date: row[0],
      campaign_id: row[1],
      placement_id: row[2],
      impressions: row[3],
      clicks: row[4],
      interactions: row[5],
      engagements: row[6],
      engagement_time_ms: row[7],
      expansions: row[8],
      video_starts: row[9],
      video_q25: row[10],
      video_q50: row[11],
      video_q75: row[12],
      video_completes: row[13],
    }) as StreamedMetric,
};

export interface ConnectorOptions {
  version: ApiVersion;
  /** v1 only: drop rows whose impressions, clicks and interactions are all 0. */
  removeZeros: boolean;
  /** `data_connector=1|true`: dates as YYYYMMDD (Looker Studio YEAR_MONTH_DAY). */
  dataConnector: boolean;
}

const MAX_ECHO = 64;
const TRUE_FLAG = /^(?:1|true)$/i;

/**
 * The options of one request. `removeZeros` is v1 only and validated here, not by the route's
 * schema: one registration serves v1 and v2, and v2 ignores it unvalidated. The rule is the bare
 * route's pattern (RemoveZerosParam) and the 400 detail the one src/middleware/validation.ts writes.
 */
export function connectorOptions(
  query: { removeZeros?: string | undefined; data_connector?: string | undefined },
  version: ApiVersion,
): ConnectorOptions {
  const { removeZeros, data_connector: dataConnector } = query;
  if (version === 1 && removeZeros !== undefined && !RemoveZerosParam.safeParse(removeZeros).success) {
    const shown = JSON.stringify(
      removeZeros.length > MAX_ECHO ? `${removeZeros.slice(0, MAX_ECHO)}…` : removeZeros,
    );
    throw new ApiError(400, `Parameter "removeZeros" must be ${parameterRules.removeZeros}; got ${shown}.`);
  }
  return {
    version,
    removeZeros: version === 1 && removeZeros !== undefined && TRUE_FLAG.test(removeZeros),
    dataConnector: dataConnector !== undefined && TRUE_FLAG.test(dataConnector),
  };
}

export type ConnectorRow = ConnectorRowV1 | ConnectorRowV2;

/** A row's `date`: its stat_date, as YYYYMMDD for `data_connector` (Looker Studio YEAR_MONTH_DAY). */
function connectorDate(statDate: string, options: ConnectorOptions): string {
  return options.dataConnector ? statDate.replaceAll('-', '') : statDate;
}

/** PHP: numerator / denominator × 100 rounded to 2 places; 0 for a zero denominator. */
function percent(numerator: number, denominator: number): number {
  return phpRatio(numerator, denominator, 100, 2);
}

/**
 * `(int)` of a count column: a PHP int, exact past 2^53 as a bigint (typed as the contract's
 * number: the renderers write both as digits; only BIGINT columns ever reach it).
 */
const count = (value: string | number | null | undefined) => phpIntval(value) as number;

// The names part is the rows' own members (same names and types as the contract's rows).
const namesAreRowMembers: ConnectorNames extends Pick<ConnectorRowV1 & ConnectorRowV2, keyof ConnectorNames>
  ? true
  : never = true;
void namesAreRowMembers;

type DatePart = Pick<ConnectorRowV1, 'date'>;
type CountsV1 = Omit<ConnectorRowV1, keyof DatePart | keyof ConnectorNames>;
type CountsV2 = Omit<ConnectorRowV2, keyof DatePart | keyof ConnectorNames>;

/** The parts of a row, typed as the merged row (date, names, then the counts of its version). */
const rowParts = <Row extends ConnectorRow>(
  date: DatePart,
  names: ConnectorNames,
  counts: Omit<Row, keyof DatePart | keyof ConnectorNames>,
): LegacyRowParts<Row> => ({ shared: [date, names], own: counts as LegacyObject });

/**
 * The legacy `convertForConnector` (v1) / `convertForConnectorNew` (v2) of one metric row, in parts
 * (date, the pair's names, the counts), or undefined when the row is dropped: its pair is not in
 * the names (`pairOf`: missing, deleted, another account or advertiser), or the zero-row rule of its version
 * applies. Ids and names come from console, the date and counts from the metric row. `datePart`
 * gives the date part of a `stat_date`, so that a stream can share one object per date among its
 * rows (and convert each date once).
 */
export function connectorRowParts(
  metric: ConnectorMetric | StreamedMetric,
  pairOf: PairLookup,
  options: ConnectorOptions,
  datePart: (statDate: string) => DatePart = (statDate) => ({ date: connectorDate(statDate, options) }),
): LegacyRowParts<ConnectorRow> | undefined {
  const pair = pairOf(metric.campaign_id, metric.placement_id);
  if (!pair) return undefined;
  const impressions = count(metric.impressions);
  const clicks = count(metric.clicks);
  const interactions = count(metric.interactions);
  const date = datePart(String(metric.stat_date));
  if (options.version === 1) {
    if (options.removeZeros && impressions === 0 && clicks === 0 && interactions === 0) return undefined;
    return rowParts<ConnectorRowV1>(date, pair, {
      impressions,
      clicks,
      ctr: percent(clicks, impressions),
      interactions,
    } satisfies CountsV1);
  }
  const engagementTimeMs = count(metric.engagement_time_ms);
  const counts: CountsV2 = {
    impressions,
    clicks,
    ctr: percent(clicks, impressions),
    interactions,
    engagements: count(metric.engagements),
    engagement_time: phpRatio(engagementTimeMs, 1000, 1, 3),
    expansions: count(metric.expansions),
    video_starts: count(metric.video_starts),
    video_q25: count(metric.video_q25),
    video_q50: count(metric.video_q50),
    video_q75: count(metric.video_q75),
    video_completes: count(metric.video_completes),
  };
  // v2 drops a row whose ten counts are all 0; engagement time is a duration and keeps no row.
  const nothing =
    impressions === 0 &&
    clicks === 0 &&
    interactions === 0 &&
    counts.engagements === 0 &&
    counts.expansions === 0 &&
    counts.video_starts === 0 &&
    counts.video_q25 === 0 &&
    counts.video_q50 === 0 &&
    counts.video_q75 === 0 &&
    counts.video_completes === 0;
  return nothing ? undefined : rowParts<ConnectorRowV2>(date, pair, counts);
}

/** connectorRowParts merged into one row object. */
export function toConnectorRow(
  metric: ConnectorMetric,
  names: ConnectorNameMap,
  options: ConnectorOptions,
): ConnectorRow | undefined {
  const parts = connectorRowParts(
    metric,
    (campaignId, placementId) => names.get(pairKey(campaignId, placementId)),
    options,
  );
  return parts && (Object.assign({}, ...parts.shared, parts.own) as ConnectorRow);
}

/**
 * Metric rows per batch of the stream: src/db/connection.ts hands rows over in batches of up to
 * this many (what one socket read holds), a few batches ahead of the reader at most.
 */
const STREAM_CHUNK_ROWS = 500;

/**
 * Metric rows per query of a stream, estimated as days × the pairs in the names. MariaDB cannot
 * read /dataconnector's order (date, advertiser label, …) from an index: it sorts the whole
 * window before its first row (3–4 s for 1.46 M rows, bench/RESULTS.md), and a large account's
 * sort could outlast the query budget. Read as consecutive date ranges instead (the order starts
 * with the date, so their rows in turn are the window's rows in order), each range is sorted on
 * its own while the Worker renders the one before (src/db streamRowsInTurn).
 */
export const SEGMENT_ROWS = 25_000;

/** At most this many ranges per window: a long window of a small account is mostly empty days. */
const MAX_SEGMENTS = 100;

/** `range` as consecutive date ranges of about `segmentRows` metric rows for `pairs` pairs. */
export function metricSegments(
  range: { from: string; to: string },
  pairs: number,
  segmentRows = SEGMENT_ROWS,
): Array<{ from: string; to: string }> {
  const days = daysBetween(range.from, range.to) + 1;
  const perSegment = Math.max(
    1,
    Math.floor(segmentRows / Math.max(1, pairs)),
    Math.ceil(days / MAX_SEGMENTS),
  );
  const segments: Array<{ from: string; to: string }> = [];
  for (let first = 0; first < days; first += perSegment) {
    const last = Math.min(days - 1, first + perSegment - 1);
    segments.push({ from: minusDays(range.from, -first), to: minusDays(range.from, -last) });
  }
  return segments;
}

/**
 * The rows of connectorMetrics converted by connectorRowParts, in batches, streamed from MariaDB
 * as they are read (mysql2's text-protocol row stream through src/db's streamAggregateRows), so
 * memory does not grow with the account. The window is read in date ranges (metricSegments), the
 * next one queried while the current one is read. Rows of one date share one date part.
 *
 * The stream owns its connections (over DB_AGGREGATE), closed when the rows end, fail, or the
 * consumer stops early (`return()`, e.g. the client went away). It cannot use the request's
 * `c.var.db`: that is closed (src/middleware/databases.ts, in waitUntil) as soon as the handler
 * has returned the Response, before the body is streamed. The time budget of a stream is
 * src/db/connection.ts's (an inactivity budget, not one for the whole query).
 */
export async function* streamConnectorRows(
  env: Parameters<typeof streamAggregateRows>[0],
  scope: MetricScope,
  range: { from: string; to: string },
  names: ConnectorNameMap,
  options: ConnectorOptions,
  segmentRows = SEGMENT_ROWS,
): AsyncGenerator<LegacyRowParts<ConnectorRow>[], void, undefined> {
  const queries = metricSegments(range, names.size, segmentRows).map((segment) =>
    connectorMetrics(aggregateQueryBuilder, scope, segment, options.version).compile(),
  );
  // Rows come in date order: one date part per run of equal stat_dates, converted once (while the
  // date repeats, src/db/text-rows.ts hands back the same string: the comparison is by identity).
  let lastStatDate = '';
  let last: DatePart = { date: '' };
  const datePart = (statDate: string) => {
    if (statDate !== lastStatDate) {
      lastStatDate = statDate;
      last = { date: connectorDate(statDate, options) };
    }
    return last;
  };
  const toMetric = metricOf[options.version];
  const columns = METRIC_COLUMNS[options.version];
  const pairOf = numericPairLookup(names);
  for await (const metrics of streamAggregateRows(env, queries, columns, STREAM_CHUNK_ROWS)) {
    const rows: LegacyRowParts<ConnectorRow>[] = [];
    for (const metric of metrics) {
      const row = connectorRowParts(toMetric(metric), pairOf, options, datePart);
      if (row) rows.push(row);
    }
    if (rows.length > 0) yield rows;
  }
}
