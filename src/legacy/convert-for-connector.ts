// The legacy's convertForConnector (v1) and convertForConnectorNew (v2) (CONTRACT §2, /connector):
// one metric row of /connector and /dataconnector merged with its pair's console names. The
// runnable legacy has no function of that name: there the rule is the loop of `connector_rows` in
// ../shared/legacy/oracle/endpoints/connector.php.
import type { ConnectorRowV1, ConnectorRowV2 } from '../../generated/schemas';
import type { ApiVersion } from '../routing/resolve';
import { contractFloat, phpIntval, phpRatio } from './php-int';
import type { LegacyObject, LegacyRowParts } from './types';

export type ConnectorRow = ConnectorRowV1 | ConnectorRowV2;

/** The request's options of the rule (src/request/connector-options.ts reads them). */
export interface ConnectorOptions {
  version: ApiVersion;
  /** v1 only: drop rows whose impressions, clicks and interactions are all 0. */
  removeZeros: boolean;
  /** `data_connector=1|true`: dates as YYYYMMDD (Looker Studio YEAR_MONTH_DAY). */
  dataConnector: boolean;
}

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

/** Names by `campaign_id/placement_id` (connectorPairKey), as the aggregate rows spell those ids. */
export type ConnectorNameMap = ReadonlyMap<string, ConnectorNames>;

export const connectorPairKey = (campaignId: string | number, placementId: string | number) =>
  `${campaignId}/${placementId}`;

/** The names of a metric row's (campaign, placement) pair, undefined when it has none. */
export type PairLookup = (
  campaignId: string | number,
  placementId: string | number,
) => ConnectorNames | undefined;

type Column = string | number | null | undefined;

/**
 * One metric row as read: mysqli's strings, or numbers for the integer columns of a streamed row;
 * the v2 members absent in v1, null when the engagement or video row is missing.
 */
export interface ConnectorMetric {
  stat_date: string | number;
  campaign_id: string | number;
  placement_id: string | number;
  impressions: Column;
  clicks: Column;
  interactions: Column;
  engagements?: Column;
  engagement_time_ms?: Column;
  expansions?: Column;
  video_starts?: Column;
  video_q25?: Column;
  video_q50?: Column;
  video_q75?: Column;
  video_completes?: Column;
}

/** A row's `date`: its stat_date, as YYYYMMDD for `data_connector` (Looker Studio YEAR_MONTH_DAY). */
export function connectorDate(statDate: string, options: ConnectorOptions): string {
  return options.dataConnector ? statDate.replaceAll('-', '') : statDate;
}

/** PHP: numerator / denominator × 100 rounded to 2 places; 0 for a zero denominator. */
function percent(numerator: number, denominator: number): number {
  return contractFloat(phpRatio(numerator, denominator, 100, 2));
}

/**
 * `(int)` of a count column: a PHP int, exact past 2^53 as a bigint (typed as the contract's
 * number: the renderers write both as digits; only BIGINT columns ever reach it).
 */
const count = (value: Column) => phpIntval(value) as number;

// The names part is the rows' own members (same names and types as the contract's rows).
const namesAreRowMembers: ConnectorNames extends Pick<ConnectorRowV1 & ConnectorRowV2, keyof ConnectorNames>
  ? true
  : never = true;
void namesAreRowMembers;

export type DatePart = Pick<ConnectorRowV1, 'date'>;
type CountsV1 = Omit<ConnectorRowV1, keyof DatePart | keyof ConnectorNames>;
type CountsV2 = Omit<ConnectorRowV2, keyof DatePart | keyof ConnectorNames>;

/** The parts of a row, typed as the merged row (date, names, then the counts of its version). */
const rowParts = <Row extends ConnectorRow>(
  date: DatePart,
  names: ConnectorNames,
  counts: Omit<Row, keyof DatePart | keyof ConnectorNames>,
): LegacyRowParts<Row> => ({ shared: [date, names], own: counts as LegacyObject });

/**
 * One metric row converted, in parts (date, the pair's names, the counts), or undefined when the
 * row is dropped: its pair is not in the names (`pairOf`: missing, deleted, another account or
 * advertiser), or the zero-row rule of its version applies. Ids and names come from console, the
 * date and counts from the metric row. `datePart` gives the date part of a `stat_date`, so that a
 * stream can share one object per date among its rows (and convert each date once).
 */
export function connectorRowParts(
  metric: ConnectorMetric,
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
    engagement_time: contractFloat(phpRatio(engagementTimeMs, 1000, 1, 3)),
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
    (campaignId, placementId) => names.get(connectorPairKey(campaignId, placementId)),
    options,
  );
  return parts && (Object.assign({}, ...parts.shared, parts.own) as ConnectorRow);
}
