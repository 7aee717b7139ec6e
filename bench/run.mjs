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

// This file parses the options and runs the parts in turn, starting and restarting wrangler dev
// for (b)-(d); the parts themselves are in bench/floor.mjs (a), bench/connector-cells.mjs and
// bench/measure-request.mjs (b, c), bench/small-endpoints.mjs (d), and the issue-20 files named
// above (e-h). bench/targets.mjs judges the targets, bench/report.mjs writes the report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2';
import { status as dbStatus, stop as dbStop, projectRoot as root } from '../scripts/local-db.mjs';
import { runConcurrentStreams } from './concurrent-streams.mjs';
import { crashReason, dataPath, runSweep, runWorkerMatrix, VARIANTS } from './connector-cells.mjs';
import { runCpuPerRequest } from './cpu-per-request.mjs';
import { INSTANCE, windowOf } from './dataset.mjs';
import { fmt } from './figures.mjs';
import { openFloor, runFloor } from './floor.mjs';
import { runLegacy } from './legacy.mjs';
import { ensureBenchData } from './load-data.mjs';
import { measure } from './measure-request.mjs';
import { printTables, report } from './report.mjs';
import { runSmall } from './small-endpoints.mjs';
import { evaluate } from './targets.mjs';
import { runWan } from './wan.mjs';
import { alive, benchDir, requireProjectNode, snapshotTree, startWorker, stopWorker } from './worker.mjs';

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
/** The run's settings, from the options: passed to the parts and to the report. */
const settings = {
  label: opt.label,
  runs: Number(opt.runs),
  cellBudgetMs: Number(opt['cell-budget']) * 1000,
  requestTimeoutMs: Number(opt['request-timeout']) * 1000,
  durationS: Number(opt.duration),
  windows: opt.days.split(',').map(Number),
  sweepDays: opt['sweep-days'].split(',').map(Number),
  leftOut: PARTS.filter((p) => SKIP.has(p)), // in the order of PARTS
};
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

const stateDir = join(benchDir, `state-${process.pid}`);
const started = Date.now();
const t0 = performance.now();
const log = (line) =>
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** The machine and the versions for the report's Machine table, with the load average at the start. */
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
// Main

/**
 * What (b)-(d) share, passed to them (bench/connector-cells.mjs, bench/small-endpoints.mjs): the
 * settings, the log, the tree and database wrangler dev runs on, the floor paired with each Worker
 * run (unless (a) is left out), and wrangler dev itself as it runs now (`worker`: replaced when it
 * is restarted, stopped by cleanup() on a signal) with the two functions below that restart it.
 */
const bench = {
  settings,
  log,
  tree: undefined,
  db: undefined,
  floor: undefined,
  worker: undefined,
  ensureWorker,
  bootWorker,
};
let stopDb = false;

/** Restarts wrangler dev when the workerd running the Worker is gone. */
async function ensureWorker() {
  if (alive(bench.worker.workerdPid)) return;
  log(`workerd pid ${bench.worker.workerdPid} is gone (${crashReason()}); restarting wrangler dev`);
  await stopWorker(bench.worker);
  await bootWorker();
}

/** Starts wrangler dev on the snapshot and warms it up (first requests compile code, open the DO). */
async function bootWorker() {
  log('starting wrangler dev...');
  const worker = await startWorker(bench.tree, bench.db, {
    queryTimeoutMs: settings.requestTimeoutMs,
    stateDir,
  });
  bench.worker = worker;
  log(
    `wrangler dev ready on ${worker.baseUrl}; workerd pid ${worker.workerdPid}; inspector ${worker.inspector ? 'connected' : `unavailable (${worker.inspectorError})`}`,
  );
  for (const variant of VARIANTS) {
    const { from, to } = windowOf(1);
    await measure(worker, dataPath(variant.version, variant.format, from, to), variant.format, {
      requestTimeoutMs: settings.requestTimeoutMs,
    });
  }
}
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    await stopWorker(bench.worker).catch((e) => console.error(`stopping wrangler dev: ${e.message}`));
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
        const { results, sqlSource } = await runFloor(db, tree, settings, log);
        return { floor: results, sqlSource };
      })(),
    );

  if (!SKIP.has('worker') || !SKIP.has('sweep') || !SKIP.has('small')) {
    // The floor paired with each Worker run, unless (a) was left out.
    Object.assign(bench, { tree, db, floor: SKIP.has('floor') ? undefined : openFloor(db, tree) });
    rmSync(join(benchDir, 'wrangler-logs'), { recursive: true, force: true });
    rmSync(join(benchDir, 'wrangler.log'), { force: true });
    await bootWorker();
    ctx.inspector = bench.worker.inspector ? 'available' : `unavailable (${bench.worker.inspectorError})`;
    if (!SKIP.has('worker')) ctx.matrix = await runWorkerMatrix(bench);
    if (!SKIP.has('sweep')) ctx.sweep = await runSweep(bench);
    if (!SKIP.has('small')) ctx.small = await runSmall(bench);
    await stopWorker(bench.worker);
    bench.worker = undefined;
    bench.floor?.close();
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
  ctx.targets = evaluate(ctx.floor, ctx.matrix, ctx.sweep, ctx.small, settings.windows);
  const out = resolve(opt.out);
  writeFileSync(out, report(ctx, settings));
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
