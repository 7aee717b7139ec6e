// The targets of issue 6 judged on what (a)-(d) of `npm run bench` (bench/run.mjs) measured, and
// those of the issue-20 parts gathered: the rows of the report's two target tables and of the
// console summary (bench/report.mjs).
import { variantName } from './connector-cells.mjs';
import { PLACEMENTS } from './dataset.mjs';
import { fmt, max } from './figures.mjs';
import { LIVE_HEAP_EVERY_MS } from './measure-request.mjs';
import { HEALTH } from './small-endpoints.mjs';

const TARGETS = { ratio: 1.3, memoryMiB: 64, flatMiB: 8, flatRssMiB: 32, p95Ms: 20 };

/** How much the least-squares line through `points` ([x, y]) rises from the lowest x to the highest. */
function fittedGrowth(points) {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  if (n < 2 || sxx === 0) return Number.NaN;
  const slope = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) / sxx;
  const xs = points.map(([x]) => x);
  return slope * (Math.max(...xs) - Math.min(...xs));
}

/**
 * The targets of issue 6 ({ target, achieved, detail }); on the way, each cell of the matrix gets
 * its floor and ratio. `windows` are those of (a)-(c): the target is judged on the longest.
 */
export function evaluate(floor, matrix, sweep, small, windows) {
  const floorOf = (version, days) => floor.find((f) => f.version === version && f.days === days);
  for (const c of matrix) {
    const f = floorOf(c.version, c.days);
    if (c.skipped) continue;
    // To the floor run just before each Worker run when there was one, else to (a).
    c.floorMs = Number.isFinite(c.pairedFloorMs) ? c.pairedFloorMs : f?.totalMs;
    if (c.floorMs !== undefined) c.ratio = c.totalMs / c.floorMs;
    // (a') the Worker's own reads (date ranges), when its tree has them.
    c.ownFloorMs = Number.isFinite(c.pairedOwnFloorMs) ? c.pairedOwnFloorMs : f?.ownTotalMs;
    if (Number.isFinite(c.ownFloorMs)) c.ownRatio = c.totalMs / c.ownFloorMs;
  }
  const targets = [];
  const longest = Math.max(...windows);
  const atLongest = matrix.filter((c) => c.days === longest);
  if (atLongest.length) {
    const allOk = atLongest.every((c) => c.ok && c.ratio <= TARGETS.ratio);
    targets.push({
      target: `${longest}-day /dataconnector ≤ ${TARGETS.ratio}× the raw SQL time (a)`,
      achieved: allOk,
      detail: atLongest
        .map((c) =>
          c.skipped
            ? `${variantName(c)}: not run (${c.skipped})`
            : `${variantName(c)}: ${c.ok ? '' : '≥ '}${fmt(c.ratio, 2)}×` +
              (Number.isFinite(c.ownRatio) ? ` (${fmt(c.ownRatio, 2)}× its own reads (a'))` : '') +
              (c.ok ? '' : ` (${c.error ?? c.status})`),
        )
        .join('; '),
    });
  }
  const measuredCells = [...matrix, ...sweep].filter((c) => !c.skipped);
  const heapPeak = max(measuredCells.map((c) => c.heapWithBackingPeakMiB));
  const usedPeak = max(measuredCells.map((c) => c.heapPeakMiB));
  const rssPeak = max(measuredCells.map((c) => c.rssDeltaMiB));
  const lowerBounds = measuredCells.filter((c) => c.heapLowerBound).length;
  const livePeak = max(measuredCells.map((c) => c.heapLivePeakMiB));
  targets.push({
    target: `/dataconnector peak memory under ${TARGETS.memoryMiB} MB`,
    achieved: Number.isFinite(heapPeak)
      ? heapPeak < TARGETS.memoryMiB && !lowerBounds && rssPeak < TARGETS.memoryMiB
      : undefined,
    detail: Number.isFinite(heapPeak)
      ? `highest isolate heap seen (used + ArrayBuffer backing stores): ${lowerBounds ? '≥ ' : ''}${fmt(heapPeak)} MiB` +
        `${lowerBounds ? ` (${lowerBounds} cell(s) failed or had inspector gaps over 1 s, so their peaks are lower bounds)` : ''}` +
        `, of which the V8 heap itself (used, garbage included): ${lowerBounds ? '≥ ' : ''}${fmt(usedPeak)} MiB` +
        `; highest workerd RSS growth: ${fmt(rssPeak)} MiB` +
        (Number.isFinite(livePeak)
          ? `; live heap (after a full GC mid-stream, the memory actually held): at most ${fmt(livePeak)} MiB`
          : '')
      : `isolate heap not readable; highest workerd RSS growth ${fmt(rssPeak)} MiB`,
  });
  const crashed = measuredCells.filter((c) => c.crashed);
  if (crashed.length) {
    targets.at(-1).detail +=
      `; workerd aborted on ${crashed.map((c) => `${variantName(c)} ${c.days} d (${c.error.replace(/^.*workerd aborted: /, '')})`).join(', ')}`;
  }
  const sweepMeasured = sweep.filter((c) => !c.skipped && c.ok && c.days * PLACEMENTS >= 10_000);
  const full = sweep.some((c) => !c.skipped && c.ok && c.days * PLACEMENTS >= 1_400_000);
  if (sweepMeasured.length) {
    const spread = (values) => max(values) - Math.min(...values);
    const heapSpread = spread(sweepMeasured.map((c) => c.heapWithBackingPeakMiB));
    const rssSpread = spread(sweepMeasured.map((c) => c.rssDeltaMiB));
    const bounded = sweepMeasured.some((c) => c.heapLowerBound);
    const k = (c) => `${fmt((c.days * PLACEMENTS) / 1000, 0)} k`;
    // Decided on the live heap when it was read (what the stream holds); the peaks, which include
    // garbage V8 had not collected yet, are shown beside it.
    const live = sweepMeasured.every((c) => c.heapLiveSamples > 0);
    const liveSpread = live ? spread(sweepMeasured.map((c) => c.heapLivePeakMiB)) : Number.NaN;
    // Growth with the row count: the least-squares line through the live readings, from the fewest
    // rows to the most. The spread also counts how far apart single readings fall (a sub-second
    // request gets one reading, at ~0.1 s), which is not growth.
    const liveGrowth = live
      ? fittedGrowth(sweepMeasured.map((c) => [c.days * PLACEMENTS, c.heapLivePeakMiB]))
      : Number.NaN;
    targets.push({
      target: 'memory not growing with row count between 10 k and 1.6 M rows',
      achieved: live
        ? full && liveGrowth <= TARGETS.flatMiB
        : full && !bounded && heapSpread <= TARGETS.flatMiB && rssSpread <= TARGETS.flatRssMiB,
      detail:
        (live
          ? `live heap (full GC mid-stream, every ${LIVE_HEAP_EVERY_MS / 1000} s): ${sweepMeasured.map((c) => `${k(c)} rows ${fmt(c.heapLivePeakMiB)}`).join(', ')} MiB (growth along the fitted line from ${k(sweepMeasured[0])} to ${k(sweepMeasured.at(-1))} rows: ${fmt(liveGrowth)} MiB; flat: ≤ ${TARGETS.flatMiB} MiB; spread of the readings ${fmt(liveSpread)} MiB); `
          : '') +
        `isolate heap peak incl. garbage: ${sweepMeasured.map((c) => `${k(c)} rows ${c.heapLowerBound ? '≥ ' : ''}${fmt(c.heapWithBackingPeakMiB)}`).join(', ')} MiB; ` +
        `workerd RSS growth: ${sweepMeasured.map((c) => `${k(c)} ${fmt(c.rssDeltaMiB)}`).join(', ')} MiB ` +
        `(flat: a spread ≤ ${TARGETS.flatMiB} MiB of heap and ≤ ${TARGETS.flatRssMiB} MiB of RSS growth over the row counts${full ? '' : '; the largest row counts could not be measured'})`,
    });
  }
  const at10 = small.filter((s) => s.connections === 10 && s.path !== HEALTH);
  const health10 = small.find((s) => s.connections === 10 && s.path === HEALTH);
  if (at10.length) {
    targets.push({
      target: `small endpoints p95 under ${TARGETS.p95Ms} ms locally at concurrency 10`,
      achieved: at10.every(
        (s) => s.p95 < TARGETS.p95Ms && !s.errors && Object.keys(s.statuses).every((k) => k === '200'),
      ),
      detail:
        at10.map((s) => `${s.path} ${fmt(s.p95)} ms`).join(', ') +
        (health10
          ? `; ${HEALTH}, which does no work, ${fmt(health10.p95)} ms through the same wrangler dev path`
          : ''),
    });
  }
  return targets;
}

/** The first line of an error's text. */
export const firstLine = (text) => String(text).split('\n')[0];

/** The issue-20 targets, a failed part as a row of its own. */
export const issue20Targets = (parts) =>
  parts.flatMap((p) =>
    p.error
      ? [
          {
            target: `(${p.letter}) ${p.title}`,
            result: 'not measured',
            measured: `the part failed: ${firstLine(p.error)}`,
          },
        ]
      : p.targets.map((t) => ({ ...t, target: `(${p.letter}) ${t.target}` })),
  );
