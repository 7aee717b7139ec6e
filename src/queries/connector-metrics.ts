import type { Kysely } from 'kysely';
import type { ConnectorMetric } from '../legacy/convert-for-connector';
import type { ApiVersion } from '../routing/resolve';
import type { AggregateDatabase } from '../shared/db';

/**
 * Which `kpi_daily` rows, by the aggregate table's own labels (never by console):
 * /connector by the advertiser label; /dataconnector by the account label (plus the advertiser
 * label when given), ordered by the advertiser label right after the date.
 */
export type MetricScope =
  | { endpoint: 'connector'; advertiserId: number }
  | { endpoint: 'dataconnector'; accountId: number; advertiserId?: number | undefined };

/**
 * The aggregate half of /connector and /dataconnector (CONTRACT §2 "Which rows"): the metric rows
 * of `[from, to]` in the contract's order, one bulk query. v2 LEFT JOINs the engagement and video
 * tables on (campaign, placement, date) only: their labels are not used, and a missing row reads
 * as null. A query builder: src/queries/connector-stream.ts compiles and streams it.
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
type MetricRow = Awaited<ReturnType<ReturnType<typeof connectorMetrics>['execute']>>[number];

/** A metric row as streamed: integer columns as numbers (src/shared/db RowOptions `numbers`). */
type StreamedMetric = { [K in keyof MetricRow]: MetricRow[K] | number };

// Both are rows the legacy rule converts.
const rowsConvert: [MetricRow, StreamedMetric] extends [ConnectorMetric, ConnectorMetric] ? true : never =
  true;
void rowsConvert;

/** The columns of connectorMetrics in select order: a streamed row is an array in this order. */
const V1_COLUMNS = [
  'stat_date',
  'campaign_id',
  'placement_id',
  'impressions',
  'clicks',
  'interactions',
] as const;
export const METRIC_COLUMNS = {
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
export const streamedMetric: Record<ApiVersion, (row: unknown[]) => StreamedMetric> = {
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
