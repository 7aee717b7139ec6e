#!/usr/bin/env node
// `npm run bench:profile [-- options]`: a V8 CPU profile of the Worker isolate while it answers one
// /dataconnector request of the benchmark dataset, through wrangler dev (as bench/run.mjs measures
// it). Writes bench/data/profile-*.cpuprofile (open it in Chrome DevTools → Performance, or VS
// Code) and prints where the isolate's time went: by function (self time) and by source file.
//
// Options:
//   --version 1|2       /dataconnector (1) or /v2.0/dataconnector (2) (default 1)
//   --format json|csv   (default json)
//   --days N            the window, ending on the dataset's last day (default 30)
//   --ref REF           profile the Worker as committed at REF instead of the working tree
//   --interval US       sampling interval in microseconds (default 200)
//   --top N             functions listed (default 25)
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { status as dbStatus, stop as dbStop, projectRoot as root } from '../scripts/local-db.mjs';
import { bundleModules, findBundle, summarizeProfile } from './cpu-profile.mjs';
import { INSTANCE, KEY_HEADERS, windowOf } from './dataset.mjs';
import { ensureBenchData } from './load-data.mjs';
import {
  benchDir,
  cpuSeconds,
  readBody,
  requireProjectNode,
  snapshotTree,
  startWorker,
  stopWorker,
} from './worker.mjs';

requireProjectNode();

const { values: opt } = parseArgs({
  options: {
    version: { type: 'string', default: '1' },
    format: { type: 'string', default: 'json' },
    days: { type: 'string', default: '30' },
    ref: { type: 'string' },
    interval: { type: 'string', default: '200' },
    top: { type: 'string', default: '25' },
  },
});

const log = (line) => console.log(`[profile] ${line}`);

function path(days) {
  const { from, to } = windowOf(days);
  const prefix = opt.version === '2' ? '/v2.0' : '';
  return `${prefix}/dataconnector?from=${from}&to=${to}${opt.format === 'csv' ? '&format=csv' : ''}`;
}

/** Reads the whole body, counting bytes; returns { status, bytes, ms }. */
async function request(baseUrl, target) {
  const start = performance.now();
  let bytes = 0;
  const { status } = await readBody(`${baseUrl}${target}`, KEY_HEADERS, {
    onChunk: (chunk) => {
      bytes += chunk.byteLength;
    },
  });
  return { status, bytes, ms: performance.now() - start };
}

const stopDb = !(await dbStatus(INSTANCE)).responding;
const data = await ensureBenchData({ quiet: true });
const tree = snapshotTree(opt.ref);
log(`profiling ${tree.source} at ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
const worker = await startWorker(tree, data.db, {
  queryTimeoutMs: 120_000,
  stateDir: join(benchDir, `state-${process.pid}`),
});
try {
  if (!worker.inspector) throw new Error(`no inspector: ${worker.inspectorError}`);
  const target = path(Number(opt.days));
  await request(worker.baseUrl, path(1)); // compile and warm up
  const inspector = worker.inspector;
  await inspector.call('Profiler.enable');
  await inspector.call('Profiler.setSamplingInterval', { interval: Number(opt.interval) });
  await inspector.call('Profiler.start');
  const cpuBefore = cpuSeconds(worker.workerdPid);
  const result = await request(worker.baseUrl, target);
  const cpu = cpuSeconds(worker.workerdPid) - cpuBefore;
  const { profile } = await inspector.call('Profiler.stop', {}, 120_000);
  log(
    `${target}: ${result.status}, ${(result.bytes / 1e6).toFixed(1)} MB in ${(result.ms / 1000).toFixed(2)} s; workerd CPU ${cpu.toFixed(2)} s`,
  );
  const out = join(
    root,
    'bench/data',
    `profile-v${opt.version}-${opt.format}-${opt.days}d-${Date.now()}.cpuprofile`,
  );
  mkdirSync(join(root, 'bench/data'), { recursive: true });
  writeFileSync(out, JSON.stringify(profile));
  // The profile's line numbers are the bundle's: keep the bundle wrangler served beside it.
  const bundle = findBundle(join(tree.dir, '.wrangler/tmp'));
  if (bundle) copyFileSync(bundle, out.replace(/\.cpuprofile$/, '.bundle.js'));
  const summary = summarizeProfile(profile, {
    intervalUs: Number(opt.interval),
    modules: bundleModules(bundle),
  });
  const pct = (us) => `${((us / 1000 / summary.totalMs) * 100).toFixed(1).padStart(5)} %`;
  log(`isolate samples cover ${(summary.totalMs / 1000).toFixed(2)} s; by file (self time):`);
  for (const [file, us] of summary.files.slice(0, 20)) console.log(`  ${pct(us)}  ${file}`);
  log('by function (self time):');
  for (const [name, us] of summary.functions.slice(0, Number(opt.top))) console.log(`  ${pct(us)}  ${name}`);
  log(`wrote ${relative(root, out)}`);
} finally {
  await stopWorker(worker);
  if (stopDb) await dbStop(INSTANCE, { log: false });
}
