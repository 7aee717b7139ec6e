// (b) and (c) of `npm run bench` (bench/run.mjs): the Worker's /dataconnector measured through
// wrangler dev, cell by cell. A cell is one variant (v1/v2, json/csv) and window, run a few
// times (bench/measure-request.mjs); (b) is the matrix of variants and windows, timed against a
// paired floor (bench/floor.mjs), and (c) the sweep of one variant over the row count, which reads
// the live heap. A workerd that dies during a cell is reported and wrangler dev restarted.
//
// Every function here takes the run's context from bench/run.mjs: `settings` (runs,
// cellBudgetMs, requestTimeoutMs, windows, sweepDays), `log`, `floor` (the paired floor, when (a)
// runs), `worker` (wrangler dev as it runs now, replaced when it is restarted) and the functions
// that restart it, `ensureWorker()` and `bootWorker()`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { windowOf } from './dataset.mjs';
import { fmt, heapFmt, max, median, sec } from './figures.mjs';
import { measure } from './measure-request.mjs';
import { alive, benchDir, settle, stopWorker } from './worker.mjs';

/** The variants of /dataconnector measured in (b); the sweep (c) measures the first. */
export const VARIANTS = [
  { version: 1, format: 'json' },
  { version: 1, format: 'csv' },
  { version: 2, format: 'json' },
  { version: 2, format: 'csv' },
];
export const SWEEP_VARIANT = VARIANTS[0];
export const dataPath = (version, format, from, to) =>
  `${version === 2 ? '/v2.0' : ''}/dataconnector?from=${from}&to=${to}${format === 'csv' ? '&format=csv' : ''}`;
export const variantName = ({ version, format }) => `v${version} ${format}`;

/** What wrangler's logs say about the last workerd abort (V8 fatal error, heap at the last GC). */
export function crashReason() {
  const lines = [];
  const dir = join(benchDir, 'wrangler-logs');
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    lines.push(...readFileSync(join(dir, file), 'utf8').split('\n'));
  }
  const fatal = lines.filter((l) => l.includes('V8 fatal error')).at(-1);
  const gc = lines.filter((l) => /Mark-Compact [\d.]+/.test(l)).at(-1);
  const heap = gc && /Mark-Compact ([\d.]+)/.exec(gc)[1];
  if (!fatal) return 'no reason logged';
  const message = /message = :?\s*(.*)$/.exec(fatal)?.[1] ?? fatal;
  return `${message.trim()}${heap ? `; isolate heap ${Math.round(Number(heap))} MB at the last GC` : ''}`;
}

/**
 * Runs one cell up to `settings.runs` times within `settings.cellBudgetMs` (at least once); stops
 * at a failure. With `separateMemoryRun` (the matrix (b)), a first run reads the memory and the
 * timed runs after it (at least one) are not instrumented: their times, CPU and paired floors are
 * the cell's figures, the memory run's readings its memory figures. Otherwise every run does both.
 */
async function cell(bench, path, format, options = {}) {
  const { settings, log } = bench;
  const runs = [];
  const start = performance.now();
  const { separateMemoryRun = false } = options;
  const timedRuns = () => runs.filter((r) => r.timed);
  while (timedRuns().length < settings.runs) {
    await bench.ensureWorker();
    const memoryRun = separateMemoryRun && runs.length === 0;
    const paired = options.pairedFloor && !memoryRun ? await options.pairedFloor() : undefined;
    const run = await measure(bench.worker, path, format, {
      ...options,
      instrument: !separateMemoryRun || memoryRun,
      requestTimeoutMs: settings.requestTimeoutMs,
    });
    run.timed = !memoryRun;
    run.instrumented = !separateMemoryRun || memoryRun;
    run.pairedFloorMs = paired?.totalMs ?? Number.NaN;
    run.pairedOwnFloorMs = paired?.ownTotalMs ?? Number.NaN;
    runs.push(run);
    // An aborted request can still be running in the Worker and kill workerd afterwards.
    if (!run.ok) await settle(bench.worker.workerdPid);
    if (!run.ok && !alive(bench.worker.workerdPid)) {
      await sleep(1_000); // let wrangler finish writing its log
      run.crashed = true;
      run.error = `${run.aborted ? `${run.error}, then ` : ''}workerd aborted: ${crashReason()}`;
      log(`workerd died (${run.error}); restarting wrangler dev`);
      await stopWorker(bench.worker);
      await bench.bootWorker();
    }
    if (!run.ok) break;
    if (timedRuns().length > 0 && performance.now() - start + run.totalMs > settings.cellBudgetMs) break;
  }
  const ok = runs.filter((r) => r.ok);
  const failed = runs.find((r) => !r.ok);
  const timed = ok.filter((r) => r.timed);
  const memory = runs.filter((r) => r.instrumented);
  return {
    path,
    runs: runs.length,
    timedRuns: timed.length,
    ok: !failed,
    status: failed ? (failed.status ?? 'no response') : 200,
    error: failed?.error,
    aborted: Boolean(failed?.aborted),
    crashed: Boolean(failed?.crashed),
    // Over a failure the figures are of the failed run (a lower bound when it was aborted).
    totalMs: failed ? failed.totalMs : median(timed.map((r) => r.totalMs)),
    pairedFloorMs: median(timed.map((r) => r.pairedFloorMs)),
    pairedOwnFloorMs: median(timed.map((r) => r.pairedOwnFloorMs)),
    firstByteMs: failed ? failed.firstByteMs : median(timed.map((r) => r.firstByteMs)),
    bytes: (failed ?? ok.at(-1)).bytes,
    rows: (failed ?? ok.at(-1)).rows,
    cpuS: median((failed ? runs : timed).map((r) => r.cpuS)),
    heapPeakMiB: max(memory.map((r) => r.heapPeakMiB)),
    heapTotalPeakMiB: max(memory.map((r) => r.heapTotalPeakMiB)),
    heapWithBackingPeakMiB: max(memory.map((r) => r.heapWithBackingPeakMiB)),
    heapLivePeakMiB: max(memory.map((r) => r.heapLivePeakMiB)),
    heapLiveSamples: Math.min(...memory.map((r) => r.heapLiveSamples)),
    heapBeforeMiB: median(memory.map((r) => r.heapBeforeMiB)),
    heapSamples: Math.min(...memory.map((r) => r.heapSamples)),
    heapMaxGapMs: max(memory.map((r) => r.heapMaxGapMs)),
    heapLowerBound: memory.some((r) => r.heapLowerBound),
    rssDeltaMiB: max(memory.map((r) => r.rssDeltaMiB)),
    rssPeakMiB: max(memory.map((r) => r.rssPeakMiB)),
    rssBeforeMiB: median(memory.map((r) => r.rssBeforeMiB)),
    all: runs,
  };
}

const describe = (c) =>
  `${c.ok ? '' : `FAILED (${c.status}${c.error ? `: ${c.error}` : ''}) `}${sec(c.totalMs)} s, ` +
  `${fmt(c.bytes / 1e6)} MB, ${c.rows} rows, heap peak ${heapFmt(c, c.heapPeakMiB)} MiB, ` +
  `RSS +${fmt(c.rssDeltaMiB)} MiB, ${c.runs} run(s)`;

/** (b): every variant in every window of `settings.windows`, each with its paired floor. */
export async function runWorkerMatrix(bench) {
  const { settings, log } = bench;
  const results = [];
  for (const variant of VARIANTS) {
    let previousFailed = false;
    for (const days of settings.windows) {
      const { from, to } = windowOf(days);
      const path = dataPath(variant.version, variant.format, from, to);
      if (previousFailed) {
        results.push({ ...variant, days, path, skipped: 'a shorter window already failed' });
        log(`worker ${variantName(variant)} ${days} d: skipped (a shorter window already failed)`);
        continue;
      }
      const pairedFloor = bench.floor && (() => bench.floor.run(variant.version, days));
      const c = {
        ...variant,
        days,
        ...(await cell(bench, path, variant.format, { pairedFloor, separateMemoryRun: true })),
      };
      results.push(c);
      previousFailed = !c.ok;
      log(`worker ${variantName(variant)} ${days} d: ${describe(c)}`);
    }
  }
  return results;
}

/** (c): SWEEP_VARIANT in every window of `settings.sweepDays`, with the live heap read. */
export async function runSweep(bench) {
  const { settings, log } = bench;
  const results = [];
  let failedAt;
  for (const days of settings.sweepDays) {
    if (failedAt !== undefined && days > failedAt) {
      results.push({ days, skipped: `${failedAt} days already failed` });
      continue;
    }
    // Measured again rather than taken from (b): with the live heap read mid-stream.
    const { from, to } = windowOf(days);
    const c = {
      ...SWEEP_VARIANT,
      days,
      ...(await cell(bench, dataPath(1, 'json', from, to), 'json', { liveHeap: true })),
    };
    log(
      `sweep ${variantName(SWEEP_VARIANT)} ${days} d: ${describe(c)}, live heap ${fmt(c.heapLivePeakMiB)} MiB`,
    );
    results.push(c);
    if (!c.ok) failedAt = days;
  }
  return results;
}
