#!/usr/bin/env node
// The legacy beside the Worker for /dataconnector (issue 20, Measure 2): the runnable legacy PHP
// (scripts/legacy-oracle.mjs, `php -S` with one worker) on the bench databases, v1 JSON for 30,
// 90 and 365 days, with memory_limit 128M (production's) and unlimited: status, time, bytes, and
// the peak RSS of the PHP process that served the request (VmHWM reset before it). Then the
// Worker (wrangler dev on the tree under test) for the same windows, one instrumented run each.
//
// Also holds what bench/cpu-per-request.mjs and bench/concurrent-streams.mjs share: the legacy's
// start-up with its pids, the isolate watch (heap polled over the inspector, live heap after
// forced GCs, workerd RSS) and the CLI wrapper.
//
//   flock /tmp/bench.lock node bench/legacy.mjs [--ref REF] [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startOracle } from '../scripts/legacy-oracle.mjs';
import {
  status as dbStatus,
  stop as dbStop,
  LOCAL_PASSWORD,
  PUBLIC_USER,
  projectRoot as root,
} from '../scripts/local-db.mjs';
import { INSTANCE, KEY_HEADERS, PLACEMENTS, TEST_CLOCK, windowOf } from './dataset.mjs';
import { ensureBenchData } from './load-data.mjs';
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

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** TEST_CLOCK as the oracle reads its clock: New York local time. */
export const ORACLE_NOW = new Date(TEST_CLOCK)
  .toLocaleString('sv-SE', { timeZone: 'America/New_York', hour12: false })
  .replace('T', ' ');
/** The bench key pair plus the oracle's pinned clock (the Worker ignores the header). */
export const REQUEST_HEADERS = { ...KEY_HEADERS, 'X-Oracle-Now': ORACLE_NOW };

export const MiB = (bytes) => bytes / 1024 / 1024;
export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const table = (headers, rows) =>
  [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
export const connectorPath = (version, days) => {
  const { from, to } = windowOf(days);
  return `${version === 2 ? '/v2.0' : ''}/dataconnector?from=${from}&to=${to}`;
};

/** The `php` processes of the `php -S` serving `port`: the server and the workers it forked. */
export function phpProcesses(port) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (basename(cmdline[0]) !== 'php' || !cmdline.includes(`127.0.0.1:${port}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), ppid });
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * The legacy oracle on the bench databases. `opcache`: OPcache on for the CLI server (php -S
 * compiles every script on every request without it; PHP-FPM caches them), through an extra
 * ini directory (the leading ':' keeps the default conf.d with mysqli). Returns the oracle with
 * `pids` (all its processes) and `servingPids` (the workers; the server itself when it forked
 * none, as with workers = 1).
 */
export async function startLegacy(db, { stateDir, workers = 1, memoryLimit = '-1', opcache = false }) {
  const saved = process.env.PHP_INI_SCAN_DIR;
  if (opcache) {
    const iniDir = join(stateDir, 'ini');
    mkdirSync(iniDir, { recursive: true });
    writeFileSync(join(iniDir, 'zz-bench-opcache.ini'), 'opcache.enable_cli=1\n');
    process.env.PHP_INI_SCAN_DIR = `:${iniDir}`;
  }
  let oracle;
  try {
    oracle = await startOracle({
      db: {
        port: db.port,
        user: PUBLIC_USER,
        password: LOCAL_PASSWORD,
        console: db.databases.console,
        aggregate: db.databases.aggregate,
      },
      stateDir,
      workers,
      memoryLimit,
    });
  } finally {
    if (saved === undefined) delete process.env.PHP_INI_SCAN_DIR;
    else process.env.PHP_INI_SCAN_DIR = saved;
  }
  const port = Number(new URL(oracle.baseUrl).port);
  const pids = () => phpProcesses(port).map((p) => p.pid);
  const servingPids = () => {
    const all = phpProcesses(port);
    const leaves = all.filter((p) => !all.some((c) => c.ppid === p.pid));
    return leaves.map((p) => p.pid);
  };
  const resetRateLimit = () => fetch(`${oracle.baseUrl}/__oracle/reset-rate-limit`).then((r) => r.text());
  return { ...oracle, port, pids, servingPids, resetRateLimit, opcache, workers, memoryLimit };
}

/** Waits until `pids` together use ≤ 10 % of a core over 200 ms (at most 30 s). */
export async function settle(pids) {
  const list = [pids].flat();
  const cpu = () => list.reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
  const start = performance.now();
  for (;;) {
    const before = cpu();
    await sleep(200);
    if (!(cpu() - before > 0.02) || performance.now() - start > 30_000) return;
  }
}

/** Counts `{"date":` objects in a JSON body as it streams. */
export function jsonRowCounter() {
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

/** GET with node:http, the body counted not kept: status, bytes, rows, times, head and tail. */
export async function getCounted(url, headers, timeoutMs) {
  const result = { status: undefined, bytes: 0, error: undefined, aborted: false };
  const counter = jsonRowCounter();
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const start = performance.now();
  try {
    const response = await readBody(url, headers, {
      signal: abort.signal,
      onChunk(chunk) {
        result.firstByteMs ??= performance.now() - start;
        result.bytes += chunk.byteLength;
        counter.push(chunk);
        if (head.length < 400) head = Buffer.concat([head, chunk.subarray(0, 400 - head.length)]);
        tail = chunk.length >= 64 ? chunk.subarray(-64) : Buffer.concat([tail, chunk]).subarray(-64);
      },
    });
    result.status = response.status;
  } catch (error) {
    result.aborted = abort.signal.aborted;
    result.error = result.aborted
      ? `aborted after ${timeoutMs / 1000} s`
      : (error.cause?.message ?? error.message);
  } finally {
    clearTimeout(timer);
  }
  result.totalMs = performance.now() - start;
  result.rows = counter.rows;
  result.head = head.toString('utf8');
  result.tail = tail.toString('utf8');
  return result;
}

/** A full GC of the public isolate; a /__health request gives the isolate the turn it needs. */
export async function collectGarbage(worker) {
  if (!worker.inspector) return false;
  try {
    const gc = worker.inspector.call('HeapProfiler.collectGarbage', {}, 10_000);
    await fetch(`${worker.baseUrl}/__health`)
      .then((r) => r.arrayBuffer())
      .catch(() => {});
    await gc;
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches the public isolate and the workerd running it from now until stop(): heap usage polled
 * every ~20 ms (peak used, and used + backingStorageSize: ArrayBuffers outside the V8 heap),
 * with `liveEveryMs` a full GC that often and the heap it leaves (the live heap), workerd's RSS
 * sampled every ~2 ms and its VmHWM (reset now), and its CPU.
 */
export async function watchIsolate(worker, { liveEveryMs = 0 } = {}) {
  const pid = worker.workerdPid;
  const inspector = worker.inspector;
  const max = (a, b) => (Number.isFinite(a) ? Math.max(a, b) : b);
  const s = {
    maxUsed: Number.NaN,
    maxWithBacking: Number.NaN,
    maxLive: Number.NaN,
    maxLiveUsed: Number.NaN,
    samples: 0,
    liveSamples: 0,
    maxGapMs: 0,
  };
  const note = (h) => {
    s.maxUsed = max(s.maxUsed, h.usedSize);
    s.maxWithBacking = max(s.maxWithBacking, h.usedSize + (h.backingStorageSize ?? 0));
    s.samples++;
  };
  const before = rssOf(pid);
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM := current RSS
    hwmReset = true;
  } catch {}
  let heapBefore;
  if (inspector)
    try {
      heapBefore = await inspector.heapUsage(5_000);
      note(heapBefore);
    } catch {}
  const cpuBefore = cpuSeconds(pid);
  worker.sampler.start();
  let polling = Boolean(inspector);
  const poller = (async () => {
    let last = performance.now();
    let lastGc = performance.now() - liveEveryMs + 100;
    while (polling) {
      try {
        if (liveEveryMs && performance.now() - lastGc >= liveEveryMs) {
          await inspector.call('HeapProfiler.collectGarbage', {}, 10_000);
          const live = await inspector.heapUsage(5_000);
          s.maxLive = max(s.maxLive, live.usedSize + (live.backingStorageSize ?? 0));
          s.maxLiveUsed = max(s.maxLiveUsed, live.usedSize);
          s.liveSamples++;
          lastGc = performance.now();
          last = lastGc;
        } else note(await inspector.heapUsage(2_000));
      } catch {}
      const now = performance.now();
      if (s.samples > 0) s.maxGapMs = Math.max(s.maxGapMs, now - last);
      last = now;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      polling = false;
      await poller;
      const rss = await worker.sampler.stop();
      if (inspector)
        try {
          note(await inspector.heapUsage(5_000));
        } catch {}
      const after = rssOf(pid);
      const peakKb = Math.max(rss.peakKb, hwmReset ? after.hwmKb : 0);
      return {
        cpuS: cpuSeconds(pid) - cpuBefore,
        heapBeforeMiB: heapBefore ? MiB(heapBefore.usedSize) : Number.NaN,
        heapPeakMiB: MiB(s.maxUsed),
        heapWithBackingPeakMiB: MiB(s.maxWithBacking),
        liveHeapMiB: MiB(s.maxLive),
        liveHeapUsedMiB: MiB(s.maxLiveUsed),
        heapSamples: s.samples,
        liveSamples: s.liveSamples,
        heapMaxGapMs: s.maxGapMs,
        rssBeforeMiB: before.rssKb / 1024,
        rssPeakMiB: peakKb / 1024,
        rssGrowthMiB: (peakKb - before.rssKb) / 1024,
        rssSamples: rss.samples,
      };
    },
  };
}

/** Starts wrangler dev on `tree` (both Workers, the bench databases, a 120 s query budget). */
export async function startBenchWorker(tree, db, tag) {
  return startWorker(tree, db, {
    queryTimeoutMs: 120_000,
    stateDir: join(benchDir, `state-${process.pid}-${tag}`),
  });
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let php = '';
  try {
    php = execFileSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  } catch {}
  return `${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, PHP ${php || '?'}`;
}

/**
 * The CLI of these modules: `node bench/<name>.mjs [--ref REF] [--out FILE]` runs `run` on a
 * snapshot of the tree, writes the markdown to bench/data/<name>-<date>.md (raw figures beside
 * it as .json) and prints it.
 */
export async function runCli(name, title, run) {
  requireProjectNode();
  const { values } = parseArgs({ options: { ref: { type: 'string' }, out: { type: 'string' } } });
  const log = (line) => console.error(`[${name}] ${line}`);
  const stopDb = !(await dbStatus(INSTANCE)).responding;
  try {
    await ensureBenchData({ quiet: true });
    const tree = snapshotTree(values.ref);
    log(`measuring ${tree.source} at ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
    const t0 = performance.now();
    // The machine is shared: work outside the bench lock shows in the load average.
    const loadBefore = os.loadavg()[0];
    const result = await run({ tree, log });
    const loadAfter = os.loadavg()[0];
    const date = new Date().toISOString().slice(0, 10);
    const out = values.out ?? join(root, 'bench/data', `${name}-${date}.md`);
    const targets = result.targets.length
      ? `\n\n### Targets\n\n${table(
          ['target', 'result', 'measured'],
          result.targets.map((t) => [t.target, t.result, t.measured]),
        )}`
      : '';
    const markdown =
      `# ${title}\n\n${tree.source}, commit ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}; ` +
      `${new Date().toISOString()}; ${machine()}; took ${fmt((performance.now() - t0) / 1000, 0)} s; ` +
      `load average (1 min) ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after.\n\n` +
      `${result.markdown}${targets}\n`;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, markdown);
    writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify(result.raw, null, 2)}\n`);
    console.log(markdown);
    log(`written to ${out}`);
  } finally {
    if (stopDb) await dbStop(INSTANCE, { log: false });
  }
}

// ---------------------------------------------------------------------------------------------
// The legacy /dataconnector beside the Worker

const DAYS = [30, 90, 365];
const LIMITS = ['128M', '-1'];
const TIMEOUT_MS = 120_000;

/** One legacy request: VmHWM of the serving process reset before, read after; its CPU. */
async function legacyRequest(legacy, path) {
  await legacy.resetRateLimit();
  const [pid] = legacy.servingPids();
  await settle(pid);
  const before = rssOf(pid);
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const cpuBefore = cpuSeconds(pid);
  // Sampled as well: VmHWM is gone with the process when it dies (the body is empty then, so this
  // thread has the time).
  let sampledKb = 0;
  const sampler = setInterval(() => {
    const { rssKb } = rssOf(pid);
    if (Number.isFinite(rssKb)) sampledKb = Math.max(sampledKb, rssKb);
  }, 2);
  const result = await getCounted(legacy.baseUrl + path, REQUEST_HEADERS, TIMEOUT_MS);
  clearInterval(sampler);
  const after = rssOf(pid);
  const cpuS = cpuSeconds(pid) - cpuBefore;
  return {
    ...result,
    pid,
    cpuS,
    rssBeforeMiB: before.rssKb / 1024,
    rssPeakMiB: Math.max(sampledKb, after.hwmKb || 0) / 1024,
    rssPeakFromSamples: !(after.hwmKb > 0),
    rssAfterMiB: after.rssKb / 1024,
    // A fatal error inside mysqlnd can take the whole php process down rather than answer 500.
    survived: alive(pid),
  };
}

async function workerRequest(worker, path) {
  await settle(worker.workerdPid);
  await collectGarbage(worker);
  const watch = await watchIsolate(worker);
  const result = await getCounted(worker.baseUrl + path, REQUEST_HEADERS, TIMEOUT_MS);
  return { ...result, ...(await watch.stop()) };
}

/** What a failed body said, short. */
const errorOf = (r) => {
  if (r.error) return `${r.error}${r.survived === false ? ' (the php process died)' : ''}`;
  if (r.status === 200 && r.rows > 0) return '';
  const text = r.head.replace(/\s+/g, ' ').trim();
  return text ? `\`${text.slice(0, 120).replaceAll('|', '\\|')}\`` : '(empty body)';
};

export async function runLegacy({ tree, log = () => {} }) {
  const { db } = await ensureBenchData({ quiet: true });
  const scratch = join(benchDir, `legacy-${process.pid}`);
  const legacyRows = [];
  for (const memoryLimit of LIMITS) {
    const legacy = await startLegacy(db, { stateDir: join(scratch, `oracle-${memoryLimit}`), memoryLimit });
    try {
      for (const days of DAYS) {
        const path = connectorPath(1, days);
        log(`legacy memory_limit=${memoryLimit} ${days} days...`);
        const r = await legacyRequest(legacy, path);
        log(
          `  ${r.status ?? r.error} in ${fmt(r.totalMs / 1000, 2)} s, ${fmt(MiB(r.bytes))} MiB, peak RSS ${fmt(r.rssPeakMiB)} MiB`,
        );
        legacyRows.push({ memoryLimit, days, path, ...r });
      }
    } finally {
      legacy.stop();
    }
  }
  const workerRows = [];
  const worker = await startBenchWorker(tree, db, 'legacy');
  try {
    // A first request compiles and connects: not the 30-day window's cost.
    await getCounted(worker.baseUrl + connectorPath(1, 1), REQUEST_HEADERS, TIMEOUT_MS);
    for (const days of DAYS) {
      const path = connectorPath(1, days);
      log(`Worker ${days} days...`);
      const r = await workerRequest(worker, path);
      log(`  ${r.status ?? r.error} in ${fmt(r.totalMs / 1000, 2)} s, heap peak ${fmt(r.heapPeakMiB)} MiB`);
      workerRows.push({ days, path, ...r });
    }
  } finally {
    await stopWorker(worker);
    rmSync(scratch, { recursive: true, force: true });
  }

  const rowsOf = (days) => days * PLACEMENTS;
  const rows = DAYS.map((days) => {
    const l128 = legacyRows.find((r) => r.days === days && r.memoryLimit === '128M');
    const lInf = legacyRows.find((r) => r.days === days && r.memoryLimit === '-1');
    const w = workerRows.find((r) => r.days === days);
    const cell = (r) =>
      r.status === 200 && r.rows === rowsOf(days) ? '200' : `${r.status ?? '–'} ${errorOf(r)}`;
    return [
      String(days),
      rowsOf(days).toLocaleString('en-US'),
      cell(l128),
      fmt(l128.totalMs / 1000, 2),
      `${l128.rssPeakFromSamples ? '≥ ' : ''}${fmt(l128.rssPeakMiB)}`,
      cell(lInf),
      fmt(lInf.totalMs / 1000, 2),
      fmt(MiB(lInf.bytes)),
      fmt(lInf.cpuS, 2),
      `${lInf.rssPeakFromSamples ? '≥ ' : ''}${fmt(lInf.rssPeakMiB)}`,
      cell(w),
      fmt(w.totalMs / 1000, 2),
      fmt(MiB(w.bytes)),
      fmt(w.cpuS, 2),
      `${w.heapMaxGapMs > 1_000 ? '≥ ' : ''}${fmt(w.heapPeakMiB)}`,
      fmt(w.heapWithBackingPeakMiB),
      fmt(w.rssGrowthMiB),
    ];
  });
  const markdown = [
    '## The legacy beside the Worker: /dataconnector v1 JSON',
    '',
    table(
      [
        'days',
        'kpi rows',
        'PHP 128M status',
        'PHP 128M s',
        'PHP 128M peak RSS MiB',
        'PHP unlimited status',
        'PHP unlimited s',
        'body MiB',
        'PHP CPU s',
        'PHP peak RSS MiB',
        'Worker status',
        'Worker s',
        'Worker body MiB',
        'workerd CPU s',
        'Worker heap peak MiB',
        'heap+ext MiB',
        'workerd RSS growth MiB',
      ],
      rows,
    ),
    '',
    `Method. The runnable legacy (scripts/legacy-oracle.mjs: \`php -S\` with one worker, PHP_CLI_SERVER_WORKERS = 1, so the server process serves the request itself) on the bench databases, its clock pinned to ${ORACLE_NOW} New York (X-Oracle-Now), rate limit reset before each request; \`memory_limit\` 128M as production had, and -1 (unlimited). One run per cell, \`/dataconnector?from=…&to=…\` (v1 JSON, explicit window ending ${windowOf(1).to}), read with node:http and counted, a 120 s timeout. Status "200" means a 200 with every row of the window in the body; otherwise the status and the start of the body. PHP peak RSS = VmHWM of the serving php process, reset (\`echo 5 > /proc/<pid>/clear_refs\`) just before the request, so it includes the interpreter's own ~20 MiB; "≥" when the process died and only the RSS sampled every ~2 ms (by the client, between body chunks) remains. PHP CPU = that process's utime + stime during the request. Worker: wrangler dev on the same tree as the rest of the report, warmed by a 1-day request, one run per window, instrumented (full GC before, heap polled every ~20 ms, workerd RSS sampled; see bench/RESULTS.md Method), so its time is slightly above bench/run.mjs's timed runs. Both read the same MariaDB, one after the other.`,
  ].join('\n');
  return { markdown, targets: [], raw: { legacy: legacyRows, worker: workerRows } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('legacy', 'The legacy PHP beside the Worker: /dataconnector', runLegacy);
}
