// How the benchmark tools sum up their runs (median, max, percentile) and write their figures, in
// the log and in the report alike: numbers (fmt, MiB, sec, heapFmt) and Markdown tables.

export const MiB = (bytes) => bytes / 1024 / 1024;
export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const table = (headers, rows) =>
  [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
export const max = (values) => {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? Math.max(...finite) : Number.NaN;
};
export const sec = (ms) => fmt(ms / 1000, ms < 10_000 ? 2 : 1);
/** A heap figure, marked as a lower bound when the inspector may have missed the peak. */
export const heapFmt = (c, value) => `${c.heapLowerBound && Number.isFinite(value) ? '≥ ' : ''}${fmt(value)}`;
