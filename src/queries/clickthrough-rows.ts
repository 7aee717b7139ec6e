import type { Kysely } from 'kysely';
import type { ClickthroughRow } from '../../generated/schemas';
import type { LegacyObject, LegacyRowParts } from '../legacy/types';
import {
  type AggregateDatabase,
  aggregateQueryBuilder,
  type ConsoleDatabase,
  streamAggregateRows,
} from '../shared/db';
import { metricSegments, SEGMENT_ROWS } from './metric-segments';
import { placementName, withCreative } from './placement-creative';

// /clickthroughs (CONTRACT §2, "Which rows"): metrics from aggregate selected by their own
// advertiser label, names from console, two bulk queries merged here (never a query per row),
// the metric rows streamed into the body as the connectors' are (src/queries/connector-stream.ts).

/** Console ids and names of one (campaign, placement) pair: the names part shared by its rows. */
export type ClickthroughNames = Pick<
  ClickthroughRow,
  'campaign_id' | 'campaign_name' | 'placement_id' | 'placement_name'
>;

/** Names by `campaign_id/placement_id`, as the aggregate rows spell those ids. */
export type ClickthroughNameMap = ReadonlyMap<string, ClickthroughNames>;

const pairKey = (campaignId: string, placementId: string) => `${campaignId}/${placementId}`;

/** Every (campaign, placement) pair of the advertiser with all three rows not deleted. */
export async function loadClickthroughNames(
  db: Kysely<ConsoleDatabase>,
  accountId: string,
  advertiserId: string,
): Promise<ClickthroughNameMap> {
  const rows = await withCreative(
    db
      .selectFrom('placement')
      .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
      .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
      .select([
        'campaign.id as campaign_id',
        'campaign.name as campaign_name',
        'placement.id as placement_id',
        placementName.as('placement_name'),
      ])
      .where('advertiser.id', '=', advertiserId)
      .where('campaign.account_id', '=', accountId)
      .where('advertiser.account_id', '=', accountId)
      .where('placement.is_deleted', '=', '0')
      .where('campaign.is_deleted', '=', '0')
      .where('advertiser.is_deleted', '=', '0'),
  ).execute();
  // Each row is already the names part, its members in the response's order.
  return new Map(rows.map((row) => [pairKey(row.campaign_id, row.placement_id), row]));
}

/** Which `clickthrough_daily` rows: the advertiser label's (and the campaign's, when given). */
export interface ClickthroughScope {
  advertiserId: string;
  campaignId?: string | undefined;
}

/** The metric rows of `[from, to]` in the contract's order (date, campaign, placement, click_name). */
export function clickthroughMetrics(
  db: Kysely<AggregateDatabase>,
  scope: ClickthroughScope,
  range: { from: string; to: string },
) {
  let query = db
    .selectFrom('clickthrough_daily')
    .select((eb) => [
      'stat_date',
      'campaign_id',
      'placement_id',
      'click_name',
      // The primary key makes each group one row, so this is that row's url.
      eb.fn.max('click_url').as('click_url'),
      eb.fn.sum<string>('clicks').as('clicks'),
    ])
    .where('advertiser_id', '=', scope.advertiserId)
    .where('stat_date', '>=', range.from)
    .where('stat_date', '<=', range.to);
  if (scope.campaignId !== undefined) query = query.where('campaign_id', '=', scope.campaignId);
  return (
    query
      .groupBy(['stat_date', 'campaign_id', 'placement_id', 'click_name'])
      // utf8mb4_unicode_ci orders click_name ('banner' before 'CTA'): the order is SQL's.
      .orderBy('stat_date')
      .orderBy('campaign_id')
      .orderBy('placement_id')
      .orderBy('click_name')
  );
}

/** The columns of clickthroughMetrics in select order: a streamed row is an array in this order. */
const COLUMNS = ['stat_date', 'campaign_id', 'placement_id', 'click_name', 'click_url', 'clicks'] as const;

/** Metric rows per batch of the stream (as the connectors'). */
const STREAM_CHUNK_ROWS = 500;

type DatePart = Pick<ClickthroughRow, 'date'>;
type OwnPart = Pick<ClickthroughRow, 'click_name' | 'click_url' | 'clicks'>;

/**
 * The rows of clickthroughMetrics merged with their pair's names, in batches, streamed from
 * MariaDB as they are read, so that memory does not grow with the window (which the caller
 * chooses). A metric row without a console pair (deleted, unknown, another advertiser's) is
 * dropped; the others keep their SQL order. The window is read as consecutive date ranges
 * (metricSegments: the order starts with the date), the next one queried while the current one
 * is read. Every column comes as the string mysqli gave, as a buffered query's would.
 *
 * The stream owns its connections (over DB_AGGREGATE), closed when the rows end, fail, or the
 * consumer stops early (see streamConnectorRows for why it cannot use the request's `c.get('db')`).
 */
export async function* streamClickthroughRows(
  env: Parameters<typeof streamAggregateRows>[0],
  scope: ClickthroughScope,
  range: { from: string; to: string },
  names: ClickthroughNameMap,
  segmentRows = SEGMENT_ROWS,
): AsyncGenerator<LegacyRowParts<ClickthroughRow>[], void, undefined> {
  // Every row would be dropped: nothing to ask aggregate.
  if (names.size === 0) return;
  const queries = metricSegments(range, names.size, segmentRows).map((segment) =>
    clickthroughMetrics(aggregateQueryBuilder, scope, segment).compile(),
  );
  // One date part per run of equal dates (rows come in date order).
  let last: DatePart = { date: '' };
  for await (const metrics of streamAggregateRows(env, queries, COLUMNS, STREAM_CHUNK_ROWS, false)) {
    const rows: LegacyRowParts<ClickthroughRow>[] = [];
    for (const metric of metrics as string[][]) {
      const [statDate, campaignId, placementId, clickName, clickUrl, clicks] = metric as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const pair = names.get(pairKey(campaignId, placementId));
      if (!pair) continue;
      if (last.date !== statDate) last = { date: statDate };
      const own: OwnPart = { click_name: clickName, click_url: clickUrl, clicks: Number(clicks) };
      rows.push({ shared: [last, pair], own: own as LegacyObject });
    }
    if (rows.length > 0) yield rows;
  }
}
