import {
  type ConnectorNameMap,
  type ConnectorNames,
  type ConnectorOptions,
  type ConnectorRow,
  connectorDate,
  connectorRowParts,
  type DatePart,
  type PairLookup,
} from '../legacy/convert-for-connector';
import type { LegacyRowParts } from '../legacy/types';
import { aggregateQueryBuilder, streamAggregateRows } from '../shared/db';
import { connectorMetrics, METRIC_COLUMNS, type MetricScope, streamedMetric } from './connector-metrics';
import { metricSegments, SEGMENT_ROWS } from './metric-segments';

/**
 * Metric rows per batch of the stream: src/shared/db hands rows over in batches of up to this many (what
 * one socket read holds), a few batches ahead of the reader at most.
 */
const STREAM_CHUNK_ROWS = 500;

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

/**
 * The rows of connectorMetrics converted by connectorRowParts, in batches, streamed from MariaDB
 * as they are read (mysql2's text-protocol row stream through src/shared/db's streamAggregateRows), so
 * memory does not grow with the account. The window is read in date ranges (metricSegments), the
 * next one queried while the current one is read. Rows of one date share one date part.
 *
 * The stream owns its connections (over DB_AGGREGATE), closed when the rows end, fail, or the
 * consumer stops early (`return()`, e.g. the client went away). It cannot use the request's
 * `c.get('db')`: that is closed (src/middleware/databases.ts, in waitUntil) as soon as the handler
 * has returned the Response, before the body is streamed. The time budget of a stream is
 * src/shared/db's (an inactivity budget, not one for the whole query).
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
  // date repeats, src/shared/db/text-rows.ts hands back the same string: the comparison is by identity).
  let lastStatDate = '';
  let last: DatePart = { date: '' };
  const datePart = (statDate: string) => {
    if (statDate !== lastStatDate) {
      lastStatDate = statDate;
      last = { date: connectorDate(statDate, options) };
    }
    return last;
  };
  const toMetric = streamedMetric[options.version];
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
