import { daysBetween, minusDays } from '../request/dates';

/**
 * Metric rows per query of a stream, estimated as days × the pairs in the names. MariaDB cannot
 * read /dataconnector's order (date, advertiser label, …) from an index: it sorts the whole
 * window before its first row, and a large account's sort could outlast the query budget. Read as
 * consecutive date ranges instead (the order starts with the date, so their rows in turn are the
 * window's rows in order), each range is sorted on its own while the Worker renders the one
 * before (src/shared/db streamRowsInTurn). /connector, /dataconnector and /clickthroughs read this way.
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
