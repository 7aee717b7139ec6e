#!/usr/bin/env node
// `npm run bench:cpu [-- options]`: where the CPU goes while small endpoints are under load (issue
// 6 d). wrangler dev runs on a snapshot of the tree as for bench/run.mjs; for each path autocannon
// keeps N connections busy, and the CPU time (utime + stime, /proc/<pid>/stat) of every process
// involved is reported per request: wrangler's node, the workerd running wrangler dev's
// ProxyWorker, the workerd running the Workers, mariadbd (bench instance) and this client (which
// runs autocannon). On a 2-core machine a process near 100 % of a core is the bottleneck, and at
// a fixed concurrency the latency follows: c / (requests/s).
//
// With --profile, a V8 CPU profile of each named isolate of the runtime workerd (inspector targets:
// core:user:adv-public-api, core:user:adv-svc-auth-helper, core:entry, assets:router:adv-public-api,
// assets:rpc-proxy:adv-public-api, kv:ns, ...; `list` prints them) during the same load: its busy
// time per request and its top functions (self time). Profiling slows the isolates down: compare
// the busy times with each other, not with an unprofiled run.
//
// With --direct the load goes straight to the runtime workerd's own HTTP socket, bypassing
// wrangler dev's ProxyWorker (a hop that exists only in wrangler dev), to see what it costs.
//
// Options:
//   --paths LIST         comma-separated (default /__health,/advertisers,/campaigns/1,/analytics/1)
//   --concurrency N      (default 10)
//   --duration S         seconds of load per path (default 5)
//   --profile LIST|list  inspector targets to profile, comma-separated
//   --direct             load the runtime workerd's socket instead of wrangler dev's port
//   --ref REF            measure the Worker as committed at REF instead of the working tree
//   --top N              functions listed per profiled isolate (default 8)
//
// The machine is shared: run it as `flock /tmp/bench.lock npm run bench:cpu -- ...`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { status as dbStatus, stop as dbStop } from '../scripts/local-db.mjs';
import { summarizeProfile } from './cpu-profile.mjs';
import { INSTANCE, KEY_HEADERS } from './dataset.mjs';
import { Inspector, listeningPorts } from './inspector.mjs';
import { ensureBenchData } from './load-data.mjs';
import {
  benchDir,
  cpuSeconds,
  descendants,
  requireProjectNode,
  snapshotTree,
  startWorker,
  stopWorker,
} from './worker.mjs';

requireProjectNode();

const { values: opt } = parseArgs({
  options: {
    paths: { type: 'string', default: '/__health,/advertisers,/campaigns/1,/analytics/1' },
    concurrency: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' },
    profile: { type: 'string' },
    direct: { type: 'boolean', default: false },
    ref: { type: 'string' },
    top: { type: 'string', default: '8' },
  },
});
const PATHS = opt.paths.split(',').filter(Boolean);
const CONNECTIONS = Number(opt.concurrency);
const DURATION_S = Number(opt.duration);
const INTERVAL_US = 500;

const log = (line) => console.log(`[cpu] ${line}`);
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function cannon(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 10, headers: KEY_HEADERS, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    instance.on('error', reject);
  });
}

/** The processes to watch, named. */
function processes(worker, mariadbPid) {
  const named = [];
  for (const p of [{ pid: worker.child.pid, cmdline: ['wrangler'] }, ...descendants(worker.child.pid)]) {
    const exe = p.cmdline[0] ?? '';
    let name;
    if (p.pid === worker.workerdPid) name = 'workerd (the Workers)';
    else if (/workerd$/.test(exe)) name = 'workerd (ProxyWorker)';
    else if (/esbuild/.test(exe)) name = 'esbuild (watch)';
    else if (/node$/.test(exe)) name = p.pid === worker.child.pid ? 'wrangler (launcher)' : 'wrangler (node)';
    else name = exe.split('/').at(-1) || String(p.pid);
    named.push({ name, pid: p.pid });
  }
  if (mariadbPid) named.push({ name: 'mariadbd', pid: mariadbPid });
  named.push({ name: 'this client (autocannon)', pid: process.pid });
  return named;
}

/** The runtime workerd's own HTTP entry (the one that answers /__health), or undefined. */
async function directUrl(pid) {
  for (const port of listeningPorts(pid)) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/__health`, {
        signal: AbortSignal.timeout(1_000),
      });
      const body = await response.text();
      if (response.ok && body.includes('"status":"ok"')) return `http://127.0.0.1:${port}`;
    } catch {}
  }
  return undefined;
}

async function inspectorTargets(pid) {
  for (const port of listeningPorts(pid)) {
    try {
      const list = await (
        await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(1_000) })
      ).json();
      if (Array.isArray(list)) return list;
    } catch {}
  }
  return [];
}

const stopDb = !(await dbStatus(INSTANCE)).responding;
const data = await ensureBenchData({ quiet: true });
const mariadbPid = (await dbStatus(INSTANCE)).pid;
const tree = snapshotTree(opt.ref);
log(`measuring ${tree.source} at ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
const worker = await startWorker(tree, data.db, {
  queryTimeoutMs: 60_000,
  stateDir: join(benchDir, `state-${process.pid}`),
});
const sessions = [];
try {
  let base = worker.baseUrl;
  if (opt.direct) {
    base = await directUrl(worker.workerdPid);
    if (!base) throw new Error('the runtime workerd has no socket answering /__health');
    log(`--direct: loading ${base} (the runtime workerd), not wrangler dev's ${worker.baseUrl}`);
  }
  if (opt.profile) {
    const targets = await inspectorTargets(worker.workerdPid);
    if (opt.profile === 'list') {
      log(`inspector targets: ${targets.map((t) => t.id).join(', ')}`);
    }
    // startWorker holds the public Worker's only inspector session: it is reused.
    const name = /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(tree.dir, 'wrangler.toml'), 'utf8'))?.[1];
    const publicId = `core:user:${name}`;
    for (const id of opt.profile === 'list' ? [] : opt.profile.split(',')) {
      if (id === publicId && worker.inspector) sessions.push({ id, inspector: worker.inspector });
      else {
        const target = targets.find((t) => t.id === id);
        if (!target) throw new Error(`no inspector target ${id} (try --profile list)`);
        sessions.push({ id, inspector: await Inspector.connect(target.webSocketDebuggerUrl) });
      }
    }
  }
  const watched = processes(worker, mariadbPid);
  for (const path of PATHS) {
    const url = base + path;
    await cannon({ url, connections: CONNECTIONS, amount: 200 }); // warm-up
    await sleep(300);
    if (sessions.length) {
      // An isolate runs inspector commands only when it gets a turn: requests give it one.
      const started = Promise.all(
        sessions.map(async ({ inspector }) => {
          await inspector.call('Profiler.enable', {}, 15_000);
          await inspector.call('Profiler.setSamplingInterval', { interval: INTERVAL_US }, 15_000);
          await inspector.call('Profiler.start', {}, 15_000);
        }),
      );
      let done = false;
      started.finally(() => {
        done = true;
      });
      while (!done) {
        await fetch(url, { headers: KEY_HEADERS })
          .then((r) => r.arrayBuffer())
          .catch(() => {});
        await sleep(50);
      }
      await started;
    }
    const before = watched.map((p) => cpuSeconds(p.pid));
    const result = await cannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    const after = watched.map((p) => cpuSeconds(p.pid));
    const requests = result.requests.total;
    const wall = result.duration;
    console.log(
      `\n${path} at c=${CONNECTIONS}${opt.direct ? ' (direct)' : ''}: ${requests} responses in ${fmt(wall, 1)} s = ${fmt(requests / wall, 0)} req/s; ` +
        `latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms; ` +
        `non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
    console.log('  process                        CPU ms/request   % of a core');
    watched.forEach((p, i) => {
      const cpu = after[i] - before[i];
      if (!(cpu > 0)) return;
      console.log(
        `  ${p.name.padEnd(30)} ${fmt((cpu / requests) * 1000).padStart(14)}   ${fmt((cpu / wall) * 100, 0).padStart(9)}`,
      );
    });
    for (const session of sessions) {
      const { profile } = await session.inspector.call('Profiler.stop', {}, 60_000);
      const { busyMs, functions: all } = summarizeProfile(profile, { intervalUs: INTERVAL_US });
      const functions = all.filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(gaps'));
      console.log(
        `  isolate ${session.id}: busy ${fmt(busyMs / requests)} ms/request (profiled); top self time:`,
      );
      for (const [name, us] of functions.slice(0, Number(opt.top)))
        console.log(`    ${fmt(us / 1000 / requests, 3).padStart(7)} ms  ${name}`);
    }
  }
} finally {
  for (const session of sessions) if (session.inspector !== worker.inspector) session.inspector.close();
  await stopWorker(worker);
  if (stopDb) await dbStop(INSTANCE, { log: false });
}
