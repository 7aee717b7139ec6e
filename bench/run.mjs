#!/usr/bin/env node
// `npm run bench [-- options]`: the benchmarks of issues 6 and 20, printed and written to
// bench/RESULTS.md (raw figures in bench/data/, which is gitignored). Needs the dataset of
// `npm run bench:data` (loaded here when missing). Everything runs on the loopback interface,
// bounded in count and time.
//
//   (a) floor   the two bulk SQL queries of /dataconnector, compiled from the Worker's own query
//               code, run from Node with mysql2 (text protocol) against the bench MariaDB, all
//               rows read: 30, 90 and 365 days, v1 and v2; (a') the same window as the Worker
//               reads it (consecutive date ranges, the next one on a second connection)
//   (b) Worker  /dataconnector v1 and v2, json and csv, 30/90/365 days, through `wrangler dev`:
//               time to first and last byte, bytes, rows in the body; ratio to the floor run just before each (paired)
//   (c) memory  per request: the Worker isolate's V8 heap (workerd's inspector: a full GC before,
//               Runtime.getHeapUsage polled during) and the workerd process RSS (sampled every
//               ~2 ms, and VmHWM after a reset); the row-count sweep checks that memory does not
//               grow with the row count. A workerd that dies (V8 heap out of memory) is reported
//               and wrangler dev restarted.
//   (d) small   /advertisers, /campaigns/{id}, /analytics/{id} with autocannon at concurrency
//               1, 10 and 50: p50/p95/p99 and requests/s
//
// Then, after that wrangler dev has been stopped, the parts of issue 20, each of which starts its
// own wrangler dev (and legacy PHP) on the same snapshot and is also a CLI of its own:
//   (e) wan      round trips and p50/p95 under simulated WAN latency (bench/wan.mjs)
//   (f) legacy   the legacy PHP beside the Worker for /dataconnector (bench/legacy.mjs)
//   (g) cpu      CPU per request, Worker against the legacy PHP (bench/cpu-per-request.mjs)
//   (h) streams  four concurrent 365-day streams (bench/concurrent-streams.mjs)
// A part that fails is reported as such (and the exit status is 1); the others still run.
//
// The Worker is measured from a snapshot of the tree copied to .local/bench/tree (so edits made
// while the benchmark runs, which wrangler's watcher would hot-reload mid-request, cannot touch
// it): the working tree by default, or a commit with --ref.
//
// Options:
//   --ref REF              measure the Worker as committed at REF instead of the working tree
//   --label TEXT           a line saying what is measured (e.g. "buffered implementation")
//   --runs N               runs per cell, median reported (default 3)
//   --cell-budget S        no further run of a cell once it has used S seconds (default 20)
//   --request-timeout S    a Worker request is aborted after S seconds (default 60); also the
//                          Worker's DB_QUERY_TIMEOUT_MS for the run
//   --duration S           autocannon duration per endpoint and concurrency (default 5)
//   --days LIST            windows of (a)-(c) in days (default 30,90,365)
//   --sweep-days LIST      windows of the memory sweep, v1 json (default 1,3,7,30,90,365,400)
//   --skip LIST            parts to leave out: floor, worker, sweep, small, wan, legacy, cpu, streams
//   --only LIST            run only these parts (the same names); --skip still applies
//   --wan-delays LIST      (e)'s one-way delays in ms (default 0,10,25)
//   --wan-requests C1,C10  (e)'s requests per cell at concurrency 1 and 10 (default 40,200)
//   --out FILE             the report (default bench/RESULTS.md)
//   --help                 this text
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mysql from 'mysql2';
import { status as dbStatus, stop as dbStop, projectRoot as root } from '../scripts/local-db.mjs';
import { runConcurrentStreams } from './concurrent-streams.mjs';
import { runCpuPerRequest } from './cpu-per-request.mjs';
import {
  ACCOUNT_ID,
  DAYS,
  END_DATE,
  INSTANCE,
  KEY_HEADERS,
  PLACEMENTS,
  TEST_CLOCK,
  windowOf,
} from './dataset.mjs';
import { runLegacy } from './legacy.mjs';
import { ensureBenchData } from './load-data.mjs';
import { dataConnectorQueries, dataConnectorSegments } from './sql.mjs';
import { runWan } from './wan.mjs';
import {
  alive,
  benchDir,
  cpuSeconds,
  readBody,
  requireProjectNode,
  rssOf,
  snapshotTree,
  startWorker,
  stopWorker,
} from './worker.mjs';

const { values: opt } = parseArgs({
  options: {
    ref: { type: 'string' },
    label: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'cell-budget': { type: 'string', default: '20' },
    'request-timeout': { type: 'string', default: '60' },
    duration: { type: 'string', default: '5' },
    days: { type: 'string', default: '30,90,365' },
    'sweep-days': { type: 'string', default: '1,3,7,30,90,365,400' },
    skip: { type: 'string', default: '' },
    only: { type: 'string' },
    'wan-delays': { type: 'string' },
    'wan-requests': { type: 'string' },
    out: { type: 'string', default: join(root, 'bench/RESULTS.md') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) {
  // The header comment of this file.
  const header = readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  const end = header.findIndex((line) => !line.startsWith('//'));
  console.log(
    header
      .slice(0, end)
      .map((line) => line.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}
requireProjectNode();
const RUNS = Number(opt.runs);
const CELL_BUDGET_MS = Number(opt['cell-budget']) * 1000;
const REQUEST_TIMEOUT_MS = Number(opt['request-timeout']) * 1000;
const DURATION_S = Number(opt.duration);
const WINDOWS = opt.days.split(',').map(Number);
const SWEEP = opt['sweep-days'].split(',').map(Number);
const PARTS = ['floor', 'worker', 'sweep', 'small', 'wan', 'legacy', 'cpu', 'streams'];
const partList = (option, text) => {
  const list = text.split(',').filter(Boolean);
  const unknown = list.filter((p) => !PARTS.includes(p));
  if (unknown.length) {
    console.error(`bench: --${option}: unknown part(s) ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
    process.exit(2);
  }
  return list;
};
const SKIP = new Set([
  ...partList('skip', opt.skip),
  ...(opt.only === undefined ? [] : PARTS.filter((p) => !partList('only', opt.only).includes(p))),
]);
const WAN_DELAYS = opt['wan-delays']?.split(',').map(Number);
const WAN_REQUESTS = (() => {
  if (opt['wan-requests'] === undefined) return undefined;
  const [c1, c10] = opt['wan-requests'].split(',').map(Number);
  return { 1: c1, 10: c10 };
})();
if (WAN_DELAYS?.some((d) => !(d >= 0)) || (WAN_REQUESTS && !(WAN_REQUESTS[1] > 0 && WAN_REQUESTS[10] > 0))) {
  console.error('bench: --wan-delays takes ms ≥ 0, --wan-requests two counts > 0 (C1,C10)');
  process.exit(2);
}
/**
 * The parts of issue 20 (bench/wan.mjs and the others): each starts what it needs and returns
 * { markdown, targets, raw }. `title` heads its section when its markdown has several.
 */
const ISSUE20_PARTS = [
  {
    part: 'wan',
    letter: 'e',
    title: 'Round trips under simulated WAN latency',
    run: (args) => runWan({ ...args, delays: WAN_DELAYS, requests: WAN_REQUESTS }),
  },
  { part: 'legacy', letter: 'f', title: 'The legacy beside the Worker: /dataconnector', run: runLegacy },
  { part: 'cpu', letter: 'g', title: 'CPU per request', run: runCpuPerRequest },
  { part: 'streams', letter: 'h', title: 'Four concurrent streams', run: runConcurrentStreams },
];
const VARIANTS = [
  { version: 1, format: 'json' },
  { version: 1, format: 'csv' },
  { version: 2, format: 'json' },
  { version: 2, format: 'csv' },
];
const SWEEP_VARIANT = VARIANTS[0];
const SMALL = ['/advertisers', '/campaigns/1', '/analytics/1'];
/**
 * Measured first, beside them: a request that does no work (no key, no database), through the same
 * wrangler dev path. Not one of the target's endpoints: the harness's own floor on this machine.
 */
const HEALTH = '/__health';
const CONCURRENCY = [1, 10, 50];
const TARGETS = { ratio: 1.3, memoryMiB: 64, flatMiB: 8, flatRssMiB: 32, p95Ms: 20 };

const stateDir = join(benchDir, `state-${process.pid}`);
const started = Date.now();
const t0 = performance.now();
const log = (line) =>
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// ---------------------------------------------------------------------------------------------
// Small helpers

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const max = (values) => {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? Math.max(...finite) : Number.NaN;
};
const MiB = (bytes) => bytes / 1024 / 1024;
const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const sec = (ms) => fmt(ms / 1000, ms < 10_000 ? 2 : 1);
const _git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const dataPath = (version, format, from, to) =>
  `${version === 2 ? '/v2.0' : ''}/dataconnector?from=${from}&to=${to}${format === 'csv' ? '&format=csv' : ''}`;
const variantName = ({ version, format }) => `v${version} ${format}`;
/** A heap figure, marked as a lower bound when the inspector may have missed the peak. */
const heapFmt = (c, value) => `${c.heapLowerBound && Number.isFinite(value) ? '≥ ' : ''}${fmt(value)}`;

function machineFacts(mariadbVersion) {
  const cpu =
    /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  return {
    date: new Date(started).toISOString(),
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    memoryGiB: os.totalmem() / 1024 ** 3,
    cpu,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    wrangler: version('wrangler'),
    workerd: version('workerd'),
    mysql2: version('mysql2'),
    autocannon: version('autocannon'),
    mariadb: mariadbVersion,
    loadavgStart: os.loadavg(),
  };
}

// ---------------------------------------------------------------------------------------------
// (a) the floor

const mysqliTypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/**
 * The Worker's own reads (src/shared/db streamRowsInTurn): `queries` one after the other, each next one
 * sent on the other connection as soon as the one before it starts being read. Rows are counted,
 * not kept; Node reads each as it comes, with no backpressure (unlike the Worker).
 */
async function timedQueriesInTurn(connections, queries) {
  const start = performance.now();
  let rows = 0;
  let next = queries.length > 0 ? timedQuery(connections[0], queries[0]) : undefined;
  for (let i = 0; next !== undefined; i++) {
    const current = next;
    next = i + 1 < queries.length ? timedQuery(connections[(i + 1) % 2], queries[i + 1]) : undefined;
    next?.catch(() => undefined);
    rows += (await current).rows;
  }
  return { ms: performance.now() - start, rows, queries: queries.length };
}

function timedQuery(connection, { sql, parameters }) {
  return new Promise((resolveQuery, reject) => {
    const start = performance.now();
    let rows = 0;
    connection
      .query(sql, parameters)
      .on('result', () => rows++)
      .on('error', reject)
      .on('end', () => resolveQuery({ ms: performance.now() - start, rows }));
  });
}

/**
 * The floor's two queries on connections of their own, to be run at any time: by (a), and just
 * before each Worker run of (b), whose ratio is taken to that paired run (MariaDB's time for a
 * window, mostly its sort, was seen to vary by 40 % between runs minutes apart on this machine).
 */
function openFloor(db, tree) {
  // The same options as the Worker's pool (src/shared/db/pool.ts): every column as a string.
  const connect = (url) =>
    mysql.createConnection({ uri: url, typeCast: mysqliTypeCast, charset: 'utf8mb4_unicode_ci' });
  const consoleDb = connect(db.urls.console);
  const aggregateDb = connect(db.urls.aggregate);
  const aggregateDb2 = connect(db.urls.aggregate);
  return {
    async run(version, days) {
      const queries = await dataConnectorQueries(tree.dir, ACCOUNT_ID, windowOf(days), version);
      const names = await timedQuery(consoleDb, queries.names);
      const metrics = await timedQuery(aggregateDb, queries.metrics);
      // (a') the Worker's own reads of the same window, when its tree reads it in date ranges.
      const segments = await dataConnectorSegments(tree.dir, ACCOUNT_ID, windowOf(days), version, names.rows);
      const own = segments && (await timedQueriesInTurn([aggregateDb, aggregateDb2], segments));
      return {
        names,
        metrics,
        totalMs: names.ms + metrics.ms,
        own,
        ownTotalMs: own ? names.ms + own.ms : Number.NaN,
        source: queries.source,
      };
    },
    close() {
      consoleDb.end();
      aggregateDb.end();
      aggregateDb2.end();
    },
  };
}

async function runFloor(db, tree) {
  const floor = openFloor(db, tree);
  const results = [];
  let sqlSource;
  try {
    for (const days of WINDOWS) {
      for (const version of [1, 2]) {
        const runs = [];
        const cellStart = performance.now();
        while (runs.length < RUNS) {
          const run = await floor.run(version, days);
          sqlSource = run.source;
          runs.push(run);
          const used = performance.now() - cellStart;
          if (used + runs.at(-1).totalMs > CELL_BUDGET_MS) break;
        }
        const cell = {
          days,
          version,
          runs: runs.length,
          namesMs: median(runs.map((r) => r.names.ms)),
          metricsMs: median(runs.map((r) => r.metrics.ms)),
          totalMs: median(runs.map((r) => r.totalMs)),
          ownTotalMs: median(runs.map((r) => r.ownTotalMs)),
          ownQueries: runs[0].own?.queries,
          nameRows: runs[0].names.rows,
          metricRows: runs[0].metrics.rows,
        };
        results.push(cell);
        log(
          `floor v${version} ${days} d: ${cell.metricRows} rows, ${sec(cell.totalMs)} s (names ${fmt(cell.namesMs, 0)} ms); own reads ${sec(cell.ownTotalMs)} s in ${cell.ownQueries ?? '–'} ranges; ${cell.runs} run(s)`,
        );
      }
    }
  } finally {
    floor.close();
  }
  return { results, sqlSource };
}

// ---------------------------------------------------------------------------------------------
// (b) + (c) one measured request

/** Waits until the Worker's workerd is idle (≤ 10 % of a core over 200 ms), at most 30 s. */
async function settle(pid) {
  const start = performance.now();
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(200);
    const used = cpuSeconds(pid) - before;
    if (!(used > 0.02) || performance.now() - start > 30_000) return; // idle, gone, or waited enough
  }
}

/** Counts the rows of a body as it streams: CSV lines minus the header, or JSON `{"date":` objects. */
function rowCounter(format) {
  if (format === 'csv') {
    let lines = 0;
    return {
      push(chunk) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      },
      get rows() {
        return Math.max(0, lines - 1);
      },
    };
  }
  const needle = Buffer.from('{"date":');
  let carry = Buffer.alloc(0);
  let rows = 0;
  return {
    push(chunk) {
      const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (let i = buffer.indexOf(needle); i !== -1; i = buffer.indexOf(needle, i + needle.length)) rows++;
      carry = buffer.subarray(Math.max(0, buffer.length - needle.length + 1));
    },
    get rows() {
      return rows;
    },
  };
}

/** How often the sweep forces a full GC during a request to read the live heap (see Method). */
const LIVE_HEAP_EVERY_MS = 1_000;

/**
 * One request, timed. `instrument` (default): with the memory readings of (c) (a full GC before,
 * the isolate's heap polled over the inspector, workerd's RSS sampled every ~2 ms), which cost the
 * isolate and the machine time of their own; the matrix (b) times runs without them.
 */
async function measure(worker, path, format, { liveHeap = false, instrument = true } = {}) {
  const pid = worker.workerdPid;
  await settle(pid);
  const inspector = instrument ? worker.inspector : undefined;
  const heap = {
    before: undefined,
    maxUsed: Number.NaN,
    maxTotal: Number.NaN,
    maxWithBacking: Number.NaN,
    maxLive: Number.NaN,
    liveSamples: 0,
    samples: 0,
  };
  const noteHeap = (h) => {
    heap.maxUsed = max([heap.maxUsed, h.usedSize]);
    heap.maxTotal = max([heap.maxTotal, h.totalSize]);
    heap.maxWithBacking = max([heap.maxWithBacking, h.usedSize + (h.backingStorageSize ?? 0)]);
    heap.samples++;
  };
  if (inspector) {
    try {
      // A full GC first, so that garbage of earlier requests does not count as this one's.
      // workerd runs inspector commands only when the isolate gets a turn: a /__health request
      // gives it one.
      const gc = inspector.call('HeapProfiler.collectGarbage', {}, 5_000);
      await fetch(`${worker.baseUrl}/__health`)
        .then((r) => r.arrayBuffer())
        .catch(() => {});
      await gc;
      heap.collected = true;
    } catch {
      heap.collected = false;
    }
  }
  const before = rssOf(pid);
  let hwmReset = false;
  if (instrument)
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      hwmReset = true;
    } catch {}
  if (inspector) {
    try {
      heap.before = await inspector.heapUsage();
      noteHeap(heap.before);
    } catch {}
  }
  const cpuBefore = cpuSeconds(pid);
  if (instrument) worker.sampler.start();
  let polling = Boolean(inspector);
  // The longest stretch without an answer: the isolate answers only between its tasks, so a long
  // one (e.g. rendering a whole buffered body) hides its peak; such a figure is a lower bound.
  heap.maxGapMs = 0;
  const poller = (async () => {
    let last = performance.now();
    // The first live reading soon after the start (short requests get one too), then every period.
    let lastGc = performance.now() - LIVE_HEAP_EVERY_MS + 100;
    while (polling) {
      try {
        if (liveHeap && performance.now() - lastGc >= LIVE_HEAP_EVERY_MS) {
          // What is still reachable mid-stream: a full GC, then the heap it left.
          await inspector.call('HeapProfiler.collectGarbage', {}, 5_000);
          const live = await inspector.heapUsage(2_000);
          heap.maxLive = max([heap.maxLive, live.usedSize + (live.backingStorageSize ?? 0)]);
          heap.liveSamples++;
          lastGc = performance.now();
          last = lastGc; // the GC's own duration is not a gap in the isolate's answers
        } else noteHeap(await inspector.heapUsage(2_000));
      } catch {}
      const now = performance.now();
      if (heap.samples > 0) heap.maxGapMs = Math.max(heap.maxGapMs, now - last);
      last = now;
      await sleep(20);
    }
  })();

  const result = { path, status: undefined, bytes: 0, rows: 0, aborted: false, error: undefined };
  const counter = rowCounter(format);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  const start = performance.now();
  try {
    const response = await readBody(worker.baseUrl + path, KEY_HEADERS, {
      signal: abort.signal,
      onChunk(chunk) {
        result.firstByteMs ??= performance.now() - start;
        result.bytes += chunk.byteLength;
        counter.push(chunk);
      },
    });
    result.status = response.status;
  } catch (error) {
    result.aborted = abort.signal.aborted;
    result.error = result.aborted
      ? `aborted after ${REQUEST_TIMEOUT_MS / 1000} s`
      : `${error.cause?.message ?? error.message}`;
  } finally {
    clearTimeout(timer);
  }
  result.totalMs = performance.now() - start;
  result.rows = counter.rows;
  polling = false;
  await poller;
  const rss = instrument ? await worker.sampler.stop() : { peakKb: Number.NaN, samples: 0 };
  if (inspector) {
    try {
      heap.after = await inspector.heapUsage(5_000);
      noteHeap(heap.after);
    } catch {}
  }
  const after = rssOf(pid);
  result.cpuS = cpuSeconds(pid) - cpuBefore;
  result.ok = result.status === 200 && !result.error;
  result.rssBeforeMiB = before.rssKb / 1024;
  result.rssPeakMiB = Math.max(rss.peakKb, hwmReset ? after.hwmKb : 0) / 1024;
  result.rssDeltaMiB = result.rssPeakMiB - result.rssBeforeMiB;
  result.rssSamples = rss.samples;
  result.heapBeforeMiB = heap.before ? MiB(heap.before.usedSize) : Number.NaN;
  result.heapPeakMiB = MiB(heap.maxUsed);
  result.heapTotalPeakMiB = MiB(heap.maxTotal);
  result.heapWithBackingPeakMiB = MiB(heap.maxWithBacking);
  result.heapLivePeakMiB = MiB(heap.maxLive);
  result.heapLiveSamples = heap.liveSamples;
  result.heapSamples = heap.samples;
  result.heapMaxGapMs = heap.maxGapMs;
  // Answers more than 1 s apart: the peak may have been missed.
  result.heapLowerBound = !inspector || heap.maxGapMs > 1_000 || !result.ok;
  result.heapCollected = heap.collected;
  return result;
}

/** What wrangler's logs say about the last workerd abort (V8 fatal error, heap at the last GC). */
function crashReason() {
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
 * Runs one cell up to RUNS times within CELL_BUDGET_MS (at least once); stops at a failure. With
 * `separateMemoryRun` (the matrix (b)), a first run reads the memory and the timed runs after it
 * (at least one) are not instrumented: their times, CPU and paired floors are the cell's figures,
 * the memory run's readings its memory figures. Otherwise every run does both.
 */
async function cell(path, format, options = {}) {
  const runs = [];
  const start = performance.now();
  const { separateMemoryRun = false } = options;
  const timedRuns = () => runs.filter((r) => r.timed);
  while (timedRuns().length < RUNS) {
    await ensureWorker();
    const memoryRun = separateMemoryRun && runs.length === 0;
    const paired = options.pairedFloor && !memoryRun ? await options.pairedFloor() : undefined;
    const run = await measure(worker, path, format, {
      ...options,
      instrument: !separateMemoryRun || memoryRun,
    });
    run.timed = !memoryRun;
    run.instrumented = !separateMemoryRun || memoryRun;
    run.pairedFloorMs = paired?.totalMs ?? Number.NaN;
    run.pairedOwnFloorMs = paired?.ownTotalMs ?? Number.NaN;
    runs.push(run);
    // An aborted request can still be running in the Worker and kill workerd afterwards.
    if (!run.ok) await settle(worker.workerdPid);
    if (!run.ok && !alive(worker.workerdPid)) {
      await sleep(1_000); // let wrangler finish writing its log
      run.crashed = true;
      run.error = `${run.aborted ? `${run.error}, then ` : ''}workerd aborted: ${crashReason()}`;
      log(`workerd died (${run.error}); restarting wrangler dev`);
      await stopWorker(worker);
      await bootWorker();
    }
    if (!run.ok) break;
    if (timedRuns().length > 0 && performance.now() - start + run.totalMs > CELL_BUDGET_MS) break;
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

async function runWorkerMatrix() {
  const results = [];
  for (const variant of VARIANTS) {
    let previousFailed = false;
    for (const days of WINDOWS) {
      const { from, to } = windowOf(days);
      const path = dataPath(variant.version, variant.format, from, to);
      if (previousFailed) {
        results.push({ ...variant, days, path, skipped: 'a shorter window already failed' });
        log(`worker ${variantName(variant)} ${days} d: skipped (a shorter window already failed)`);
        continue;
      }
      const pairedFloor = session.floor && (() => session.floor.run(variant.version, days));
      const c = {
        ...variant,
        days,
        ...(await cell(path, variant.format, { pairedFloor, separateMemoryRun: true })),
      };
      results.push(c);
      previousFailed = !c.ok;
      log(`worker ${variantName(variant)} ${days} d: ${describe(c)}`);
    }
  }
  return results;
}

async function runSweep() {
  const results = [];
  let failedAt;
  for (const days of SWEEP) {
    if (failedAt !== undefined && days > failedAt) {
      results.push({ days, skipped: `${failedAt} days already failed` });
      continue;
    }
    // Measured again rather than taken from (b): with the live heap read mid-stream.
    const { from, to } = windowOf(days);
    const c = {
      ...SWEEP_VARIANT,
      days,
      ...(await cell(dataPath(1, 'json', from, to), 'json', { liveHeap: true })),
    };
    log(
      `sweep ${variantName(SWEEP_VARIANT)} ${days} d: ${describe(c)}, live heap ${fmt(c.heapLivePeakMiB)} MiB`,
    );
    results.push(c);
    if (!c.ok) failedAt = days;
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// (d) small endpoints

function cannon(options) {
  const latencies = [];
  const statuses = {};
  const instance = autocannon({ timeout: 10, ...options, headers: KEY_HEADERS });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  return new Promise((resolveRun, reject) => {
    instance.on('done', (result) => resolveRun({ result, latencies, statuses }));
    instance.on('error', reject);
  });
}

async function runSmall() {
  const results = [];
  // The heap is not read here, and an attached DevTools session is sent every console line (the
  // request log), which costs isolate time on every request (bench:cpu).
  worker?.inspector?.close();
  if (worker) worker.inspector = undefined;
  for (const path of [HEALTH, ...SMALL]) {
    await ensureWorker();
    const url = worker.baseUrl + path;
    await settle(worker.workerdPid);
    await cannon({ url, connections: 10, amount: 200 }); // warm-up, not recorded
    for (const connections of CONCURRENCY) {
      await settle(worker.workerdPid);
      const { result, latencies, statuses } = await cannon({ url, connections, duration: DURATION_S });
      const sorted = latencies.sort((a, b) => a - b);
      const row = {
        path,
        connections,
        requests: sorted.length,
        durationS: result.duration,
        rps: sorted.length / result.duration,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
      };
      results.push(row);
      log(
        `small ${path} c=${connections}: ${row.requests} req, ${fmt(row.rps, 0)} req/s, p50 ${fmt(row.p50)} ms, p95 ${fmt(row.p95)} ms, p99 ${fmt(row.p99)} ms, statuses ${JSON.stringify(statuses)}${row.errors ? `, ${row.errors} errors` : ''}`,
      );
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Report

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

function evaluate(floor, matrix, sweep, small) {
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
  const longest = Math.max(...WINDOWS);
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

function table(headers, rows) {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The first line of an error's text. */
const firstLine = (text) => String(text).split('\n')[0];

/**
 * An issue-20 part's section, lettered after run.mjs's own: its one `## ` heading prefixed, or,
 * when its markdown has several, under a heading of its own with theirs one level down.
 */
function issue20Section({ letter, title, markdown, error }) {
  if (error)
    return `## (${letter}) ${title}\n\nNot measured: the part failed (${firstLine(error)}); see the log.\n`;
  const headings = markdown.match(/^## /gm)?.length ?? 0;
  if (headings === 1 && markdown.startsWith('## ')) return markdown.replace(/^## /, `## (${letter}) `);
  return `## (${letter}) ${title}\n\n${markdown.replace(/^(#{2,5}) /gm, '#$1 ')}`;
}

/** The issue-20 targets, a failed part as a row of its own. */
const issue20Targets = (parts) =>
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

function report(ctx) {
  const { facts, tree, data, floor, sqlSource, matrix, sweep, small, targets, issue20 } = ctx;
  const yes = (a) => (a === undefined ? 'not measured' : a ? '**achieved**' : '**not achieved**');
  const lines = [];
  lines.push(`# Benchmark results: commit ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
  lines.push('');
  if (opt.label) lines.push(`**${opt.label}**`, '');
  lines.push(
    `Measured ${facts.date} by \`npm run bench\` (bench/run.mjs) from ${tree.source}` +
      `${tree.dirty ? ` with ${tree.changes.length} uncommitted change(s)` : ''}. ` +
      `Total run time ${fmt(ctx.elapsedS / 60)} min. Re-run with \`npm run bench:data && npm run bench\`; ` +
      'raw figures of every run are in `bench/data/` (gitignored).' +
      (SKIP.size
        ? ` Left out of this run (\`--skip\`/\`--only\`): ${PARTS.filter((p) => SKIP.has(p)).join(', ')}.`
        : ''),
  );
  lines.push('');
  lines.push('## Machine');
  lines.push('');
  lines.push(
    table(
      ['what', 'value'],
      [
        ['CPU', `${facts.cpu}, ${facts.nproc} cores (nproc)`],
        ['memory', `${fmt(facts.memoryGiB)} GiB`],
        ['kernel', facts.kernel],
        ['Node', facts.node],
        ['wrangler / workerd', `${facts.wrangler} / ${facts.workerd}`],
        ['MariaDB', facts.mariadb],
        ['mysql2 / autocannon', `${facts.mysql2} / ${facts.autocannon}`],
        ['load average (1/5/15 min) at start', facts.loadavgStart.map((l) => fmt(l, 2)).join(' / ')],
        ['load average at end', facts.loadavgEnd.map((l) => fmt(l, 2)).join(' / ')],
      ],
    ),
  );
  lines.push('');
  lines.push(
    'The client (this script and autocannon), wrangler dev with its two workerd processes and MariaDB all share these cores; ' +
      'other work running on the machine at the same time shows up in the load average above and in the figures.',
  );
  lines.push('');
  lines.push('## Dataset');
  lines.push('');
  lines.push(
    `\`npm run bench:data\` (bench/load-data.mjs): instance \`${INSTANCE}\` of scripts/local-db.mjs (port 33308), schema from db/schema, no seed. ` +
      `1 account, 1 key pair; rows: ${Object.entries(data.counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', ')}; ${DAYS} days ending ${END_DATE}. ` +
      `Loaded in ${fmt(data.loadMs / 1000)} s${data.loaded ? ' during this run' : ' (earlier)'}. ` +
      `A window of N days is [${END_DATE} − (N − 1) days, ${END_DATE}]: N × ${PLACEMENTS.toLocaleString('en-US')} kpi rows. ` +
      'v2 drops rows whose counts are all zero (about 1 %), so its bodies have slightly fewer rows than its SQL.',
  );
  lines.push('');

  lines.push("## (a) Floor: the two bulk queries straight from Node, and (a') the Worker's own reads");
  lines.push('');
  lines.push(
    `SQL: ${sqlSource}. mysql2 ${facts.mysql2} text protocol (\`query()\`, the Worker's type cast: every column as a string), ` +
      'one open connection per database, names query then metrics query, every row read (row events, not kept). ' +
      `Median of up to ${RUNS} runs (fewer when a cell would exceed ${CELL_BUDGET_MS / 1000} s). ` +
      "(a') the same window as the Worker reads it (src/queries/metric-segments.ts metricSegments: consecutive date ranges, " +
      'each next one sent on a second connection as soon as the one before it starts being read), names query included; ' +
      'MariaDB sorts each range instead of the whole window, so this floor is lower than (a).',
  );
  lines.push('');
  lines.push(
    table(
      [
        'version',
        'days',
        'metric rows',
        'names ms',
        'metrics ms',
        'total ms',
        "(a') ranges",
        "(a') total ms",
        'runs',
      ],
      floor.map((f) => [
        `v${f.version}`,
        f.days,
        f.metricRows.toLocaleString('en-US'),
        fmt(f.namesMs, 0),
        fmt(f.metricsMs, 0),
        fmt(f.totalMs, 0),
        f.ownQueries ?? '',
        fmt(f.ownTotalMs, 0),
        f.runs,
      ]),
    ),
  );
  lines.push('');

  lines.push('## (b) + (c) Worker: /dataconnector through wrangler dev');
  lines.push('');
  lines.push(
    `\`wrangler dev\` (both Workers, local Hyperdrive to the bench instance, \`ENVIRONMENT=test\`, \`TEST_CLOCK=${TEST_CLOCK}\`, ` +
      `\`DB_QUERY_TIMEOUT_MS=${REQUEST_TIMEOUT_MS}\` so that the figures measure the work rather than the 10 s production query budget). ` +
      `Explicit from/to. Time to first body byte and to last byte, read with node:http (bench/worker.mjs readBody). Each cell first makes one memory run (instrumented as in Method: its time is not used), then up to ${RUNS} timed runs without the heap polling and RSS sampling (at least one; fewer when a cell would exceed ${CELL_BUDGET_MS / 1000} s): times, first byte and CPU are their medians; a request is aborted after ${REQUEST_TIMEOUT_MS / 1000} s. ` +
      'Rows are counted in the body (CSV lines, JSON objects). Ratio = Worker total / floor total of the same version and window, the two floor queries run just before each Worker run (paired floor; median over the runs), because the time MariaDB itself takes for a window varied by up to 40 % between runs minutes apart. ' +
      "Ratio (a') = the same to the Worker's own reads run just before it. " +
      'Memory columns: the memory run (see Method). CPU = workerd process CPU time during the request (all its threads). Runs = memory run + timed runs.',
  );
  lines.push('');
  lines.push(
    table(
      [
        'variant',
        'days',
        'rows',
        'MB',
        'first byte s',
        'total s',
        'paired floor s',
        'ratio',
        "paired (a') s",
        "ratio (a')",
        'over 10 s budget',
        'heap peak MiB',
        'heap+ext MiB',
        'RSS growth MiB',
        'CPU s',
        'runs',
        'result',
      ],
      matrix.map((c) =>
        c.skipped
          ? [variantName(c), c.days, ...Array(13).fill(''), 0, `not run: ${c.skipped}`]
          : [
              variantName(c),
              c.days,
              c.rows.toLocaleString('en-US'),
              fmt(c.bytes / 1e6),
              sec(c.firstByteMs),
              `${c.ok ? '' : '≥ '}${sec(c.totalMs)}`,
              c.floorMs ? sec(c.floorMs) : '',
              Number.isFinite(c.ratio) ? `${c.ok ? '' : '≥ '}${fmt(c.ratio, 2)}×` : '',
              Number.isFinite(c.ownFloorMs) ? sec(c.ownFloorMs) : '',
              Number.isFinite(c.ownRatio) ? `${c.ok ? '' : '≥ '}${fmt(c.ownRatio, 2)}×` : '',
              c.totalMs > 10_000 ? 'yes' : 'no',
              heapFmt(c, c.heapPeakMiB),
              heapFmt(c, c.heapWithBackingPeakMiB),
              fmt(c.rssDeltaMiB),
              fmt(c.cpuS, 2),
              c.runs,
              c.ok ? '200' : `${c.status}${c.error ? `: ${c.error}` : ''}`,
            ],
      ),
    ),
  );
  lines.push('');

  lines.push(`## (c) Memory against row count (${variantName(SWEEP_VARIANT)})`);
  lines.push('');
  lines.push(
    table(
      [
        'days',
        'kpi rows',
        'body MB',
        'total s',
        'heap before MiB',
        'heap peak MiB',
        'heap+ext MiB',
        'heap total MiB',
        'live heap MiB',
        'RSS before MiB',
        'RSS growth MiB',
        'result',
      ],
      sweep.map((c) =>
        c.skipped
          ? [
              c.days,
              (c.days * PLACEMENTS).toLocaleString('en-US'),
              ...Array(9).fill(''),
              `not run: ${c.skipped}`,
            ]
          : [
              c.days,
              (c.days * PLACEMENTS).toLocaleString('en-US'),
              fmt(c.bytes / 1e6),
              `${c.ok ? '' : '≥ '}${sec(c.totalMs)}`,
              fmt(c.heapBeforeMiB),
              heapFmt(c, c.heapPeakMiB),
              heapFmt(c, c.heapWithBackingPeakMiB),
              fmt(c.heapTotalPeakMiB),
              c.heapLiveSamples > 0 ? fmt(c.heapLivePeakMiB) : '–',
              fmt(c.rssBeforeMiB),
              fmt(c.rssDeltaMiB),
              c.ok ? '200' : `${c.status}${c.error ? `: ${c.error}` : ''}`,
            ],
      ),
    ),
  );
  lines.push('');

  lines.push('## (d) Small endpoints (autocannon)');
  lines.push('');
  lines.push(
    `autocannon ${facts.autocannon}, ${DURATION_S} s per endpoint and concurrency after a 200-request warm-up, keep-alive, loopback. ` +
      'Percentiles computed from every response time; requests/s = responses / duration. `/analytics/1` uses the default window (last 30 days before the pinned clock). ' +
      `\`${HEALTH}\` does no work (no key, no database): the floor of this harness, wrangler dev's ProxyWorker, its entry Worker and the client on the same two cores. The inspector session is closed before this part.`,
  );
  lines.push('');
  lines.push(
    table(
      ['endpoint', 'concurrency', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'statuses', 'errors'],
      small.map((s) => [
        `\`${s.path}\``,
        s.connections,
        s.requests,
        fmt(s.rps, 0),
        fmt(s.p50),
        fmt(s.p95),
        fmt(s.p99),
        Object.entries(s.statuses)
          .map(([k, v]) => `${k}×${v}`)
          .join(' '),
        s.errors + s.timeouts,
      ]),
    ),
  );
  lines.push('');

  for (const part of issue20) lines.push(issue20Section(part).trimEnd(), '');

  lines.push('## Targets of issue 6');
  lines.push('');
  lines.push(
    table(
      ['target', 'result', 'measured'],
      targets.map((t) => [t.target, yes(t.achieved), t.detail]),
    ),
  );
  lines.push('');

  if (issue20.length) {
    lines.push('## Targets of issue 20');
    lines.push('');
    lines.push(
      table(
        ['target', 'result', 'measured'],
        issue20Targets(issue20).map((t) => [t.target, `**${t.result}**`, t.measured]),
      ),
    );
    lines.push('');
  }

  lines.push('## Method and its limits');
  lines.push('');
  lines.push(
    [
      '- **Time.** Wall clock in the client from sending the request to the last body byte (and to the first body byte). Loopback only; the body is read as it arrives and counted, not kept. In (b) the timed runs are not instrumented: polling the heap over the inspector (every ~20 ms) interrupts the isolate, and the RSS sampler thread takes CPU from the same two cores; a run reading memory is made apart, first. The sweep (c) times instrumented runs and is not compared with (a).',
      "- **Floor.** (a) The two bulk statements of the window (names, then the whole window's metrics in one query), compiled by Kysely from src/queries/connector-names.ts and connector-metrics.ts (connectorMetrics) of the measured tree; (a') the statements the Worker actually sends (the metrics as the date ranges of metricSegments, in turn on two connections). Both from Node rather than from workerd, on warm connections: they leave out connection set-up, the conversion of rows and rendering. A ratio therefore is the whole cost of the Worker path over the bare database read.",
      `- **Isolate heap.** The bench connects to the inspector of the workerd process running the Workers (target \`core:user:<name>\`; wrangler's own inspector proxy is switched off with \`VSCODE_INSPECTOR_OPTIONS\` because it was seen reading an isolate whose heap never moved). Before each request it forces a full GC (\`HeapProfiler.collectGarbage\`, given a turn by a /__health request), so "heap before" is the live heap; during the request it polls \`Runtime.getHeapUsage\` every ~20 ms and reports the highest \`usedSize\` ("heap peak") and \`usedSize + backingStorageSize\` ("heap+ext": ArrayBuffer memory outside the V8 heap, e.g. body chunks). This is the closest local figure to the 128 MB isolate limit, with limits: (1) \`usedSize\` counts garbage not yet collected, and V8 collects lazily when far from its limit; locally that limit is workerd's V8 default (heap out of memory at about 1.4 GB when it was reached while this bench was written), not 128 MB, so a heap that stays under 64 MB here stays under it because little is allocated, and a higher peak is an upper bound on live memory, not proof that 128 MB would be exceeded; (2) the inspector answers only between the isolate's tasks, so a peak inside one long synchronous step (e.g. rendering a whole buffered body) is missed: a heap figure is marked "≥" (a lower bound) when two answers were more than 1 s apart or the request failed, and the RSS columns are then the better guide (samples and the longest gap per request are in the raw data). The memory sweep (c) also reads the **live heap**: every ${LIVE_HEAP_EVERY_MS / 1000} s during the request it forces a full GC (\`HeapProfiler.collectGarbage\`) and reads the heap it leaves (used + backing stores), the memory the stream actually holds; these GCs slow those requests slightly, so the sweep's times are not compared with (a). The inspector was ${ctx.inspector === 'available' ? 'available in this run' : `NOT available in this run (${ctx.inspector ?? 'not started'}), so heap columns are empty`}.`,
      '- **workerd RSS.** The process running the Workers (the workerd child of wrangler dev started with `--inspector-addr`, not the proxy in front of it): `/proc/<pid>/status` VmRSS sampled every ~2 ms on a separate thread, and VmHWM after resetting it (`echo 5 > /proc/<pid>/clear_refs`) just before the request; "RSS growth" is the peak minus the RSS just before the request. RSS includes the whole runtime (both Workers, the auth helper, Durable Objects, KV, socket and stream buffers) and V8 keeps freed pages mapped for a while, so growth after an earlier larger request is understated; it is a cross-check, not the isolate figure.',
      '- **Settling.** Before each measured request the bench waits until workerd uses ≤ 10 % of a core over 200 ms (at most 30 s), so an earlier request (or an aborted one) does not overlap the next.',
      '- **Counts and time are bounded:** runs per cell, a per-cell time budget, a per-request timeout (an aborted request is reported as "≥" its time) and skipping longer windows of a variant after a failure; see the options at the top of bench/run.mjs.',
      '- **(e)–(h)** (issue 20) each have their method and limits in their own section: bench/wan.mjs, bench/legacy.mjs, bench/cpu-per-request.mjs and bench/concurrent-streams.mjs, run here one after the other on the same snapshot after the wrangler dev of (b)–(d) was stopped, each with its own wrangler dev; each also runs alone (`npm run bench:wan`, `bench:legacy`, `bench:cpu-per-request`, `bench:streams`).',
    ].join('\n'),
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}

function printTables(ctx) {
  const { matrix, sweep, small, targets } = ctx;
  console.log('\n(b)+(c) /dataconnector');
  console.table(
    matrix.map((c) => ({
      variant: variantName(c),
      days: c.days,
      rows: c.rows,
      MB: c.bytes === undefined ? '' : fmt(c.bytes / 1e6),
      'total s': c.skipped ? 'skipped' : `${c.ok ? '' : '≥'}${sec(c.totalMs)}`,
      'floor s': c.floorMs ? sec(c.floorMs) : '',
      ratio: Number.isFinite(c.ratio) ? `${c.ok ? '' : '≥'}${fmt(c.ratio, 2)}` : '',
      'heap MiB': heapFmt(c, c.heapWithBackingPeakMiB),
      'RSS+ MiB': fmt(c.rssDeltaMiB),
      result: c.skipped ? c.skipped : c.ok ? 200 : `${c.status} ${c.error ?? ''}`,
    })),
  );
  console.log('(c) memory against row count');
  console.table(
    sweep.map((c) => ({
      days: c.days,
      rows: c.days * PLACEMENTS,
      'heap MiB': c.skipped ? 'skipped' : heapFmt(c, c.heapWithBackingPeakMiB),
      'RSS+ MiB': c.skipped ? '' : fmt(c.rssDeltaMiB),
      result: c.skipped ?? (c.ok ? 200 : `${c.status} ${c.error ?? ''}`),
    })),
  );
  console.log('(d) small endpoints');
  console.table(
    small.map((s) => ({
      endpoint: s.path,
      c: s.connections,
      'req/s': fmt(s.rps, 0),
      p50: fmt(s.p50),
      p95: fmt(s.p95),
      p99: fmt(s.p99),
    })),
  );
  console.log('targets');
  for (const t of targets)
    console.log(`  ${t.achieved === undefined ? '?' : t.achieved ? '✓' : '✗'} ${t.target}: ${t.detail}`);
  if (ctx.issue20.length) {
    console.log('targets of issue 20');
    for (const t of issue20Targets(ctx.issue20))
      console.log(
        `  ${t.result === 'achieved' ? '✓' : t.result === 'not achieved' ? '✗' : '?'} ${t.target}: ${t.measured}`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Main

let worker;
let session; // { tree, db } for (re)starting wrangler dev
let stopDb = false;

/** Restarts wrangler dev when the workerd running the Worker is gone. */
async function ensureWorker() {
  if (alive(worker.workerdPid)) return;
  log(`workerd pid ${worker.workerdPid} is gone (${crashReason()}); restarting wrangler dev`);
  await stopWorker(worker);
  await bootWorker();
}

/** Starts wrangler dev on the snapshot and warms it up (first requests compile code, open the DO). */
async function bootWorker() {
  log('starting wrangler dev...');
  worker = await startWorker(session.tree, session.db, { queryTimeoutMs: REQUEST_TIMEOUT_MS, stateDir });
  log(
    `wrangler dev ready on ${worker.baseUrl}; workerd pid ${worker.workerdPid}; inspector ${worker.inspector ? 'connected' : `unavailable (${worker.inspectorError})`}`,
  );
  for (const variant of VARIANTS) {
    const { from, to } = windowOf(1);
    await measure(worker, dataPath(variant.version, variant.format, from, to), variant.format);
  }
}
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    await stopWorker(worker).catch((e) => console.error(`stopping wrangler dev: ${e.message}`));
    if (stopDb)
      await dbStop(INSTANCE, { log: false }).catch((e) => console.error(`stopping MariaDB: ${e.message}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping wrangler dev`);
    cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  stopDb = !(await dbStatus(INSTANCE)).responding; // leave the instance as it was found
  const data = await ensureBenchData({ quiet: true });
  const db = data.db;
  log(`dataset ready (instance ${INSTANCE}, port ${db.port}): ${JSON.stringify(data.counts)}`);
  const mariadbVersion = await new Promise((resolveVersion) => {
    const c = mysql.createConnection({ uri: db.urls.console });
    c.query('SELECT VERSION() AS v', (error, rows) => {
      c.end();
      resolveVersion(error ? '?' : rows[0].v);
    });
  });
  const facts = machineFacts(mariadbVersion);
  const tree = snapshotTree(opt.ref);
  log(
    `measuring ${tree.source} at ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''} (copy in ${relative(root, tree.dir)})`,
  );

  const ctx = { facts, tree, data, floor: [], matrix: [], sweep: [], small: [], sqlSource: 'not run' };
  if (!SKIP.has('floor'))
    Object.assign(
      ctx,
      await (async () => {
        const { results, sqlSource } = await runFloor(db, tree);
        return { floor: results, sqlSource };
      })(),
    );

  if (!SKIP.has('worker') || !SKIP.has('sweep') || !SKIP.has('small')) {
    // The floor paired with each Worker run, unless (a) was left out.
    session = { tree, db, floor: SKIP.has('floor') ? undefined : openFloor(db, tree) };
    rmSync(join(benchDir, 'wrangler-logs'), { recursive: true, force: true });
    rmSync(join(benchDir, 'wrangler.log'), { force: true });
    await bootWorker();
    ctx.inspector = worker.inspector ? 'available' : `unavailable (${worker.inspectorError})`;
    if (!SKIP.has('worker')) ctx.matrix = await runWorkerMatrix();
    if (!SKIP.has('sweep')) ctx.sweep = await runSweep();
    if (!SKIP.has('small')) ctx.small = await runSmall();
    await stopWorker(worker);
    worker = undefined;
    session.floor?.close();
    log('wrangler dev stopped');
  }

  // (e)-(h): each starts (and stops) its own wrangler dev, legacy PHP and proxies.
  ctx.issue20 = [];
  for (const { part, letter, title, run } of ISSUE20_PARTS) {
    if (SKIP.has(part)) continue;
    log(`(${letter}) ${part}: ${title}...`);
    const partStart = performance.now();
    const entry = { part, letter, title };
    try {
      Object.assign(entry, await run({ tree, log: (line) => log(`(${letter}) ${line}`) }));
    } catch (error) {
      entry.error = error.stack ?? String(error);
      process.exitCode = 1;
      log(`(${letter}) ${part} failed: ${error.stack ?? error}`);
    }
    entry.elapsedS = (performance.now() - partStart) / 1000;
    log(`(${letter}) ${part} done in ${fmt(entry.elapsedS / 60)} min`);
    ctx.issue20.push(entry);
  }

  facts.loadavgEnd = os.loadavg();
  ctx.elapsedS = (performance.now() - t0) / 1000;
  ctx.targets = evaluate(ctx.floor, ctx.matrix, ctx.sweep, ctx.small);
  const out = resolve(opt.out);
  writeFileSync(out, report(ctx));
  mkdirSync(join(root, 'bench/data'), { recursive: true });
  const raw = join(
    root,
    'bench/data',
    `results-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`,
  );
  // The issue-20 parts' markdown is in the report; their targets and raw figures go here.
  const issue20 = ctx.issue20.map(({ markdown: _markdown, ...entry }) => entry);
  writeFileSync(raw, `${JSON.stringify({ options: opt, ...ctx, issue20 }, null, 2)}\n`);
  printTables(ctx);
  log(`wrote ${relative(root, out)} and ${relative(root, raw)}`);
}

try {
  await main();
} catch (error) {
  console.error(`bench: error: ${error.stack ?? error.message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  if (stopDb) log(`MariaDB instance ${INSTANCE} stopped (it was not running before)`);
}
process.exit(process.exitCode ?? 0);
