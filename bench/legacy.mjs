#!/usr/bin/env node
// The legacy beside the Worker for /dataconnector (issue 20, Measure 2): the runnable legacy PHP
// (scripts/legacy-oracle.mjs, `php -S` with one worker) on the bench databases, v1 JSON for 30,
// 90 and 365 days, with memory_limit 128M (production's) and unlimited: status, time, bytes, and
// the peak RSS of the PHP process that served the request (VmHWM reset before it). Then the
// Worker (wrangler dev on the tree under test) for the same windows, one instrumented run each.
//
//   flock /tmp/bench.lock node bench/legacy.mjs [--ref REF] [--out FILE]
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getCounted } from './counted-body.mjs';
import { connectorPath, PLACEMENTS, windowOf } from './dataset.mjs';
import { fmt, MiB, table } from './figures.mjs';
import { collectGarbage, watchIsolate } from './isolate-watch.mjs';
import { ORACLE_NOW, REQUEST_HEADERS, startLegacy } from './legacy-server.mjs';
import { ensureBenchData } from './load-data.mjs';
import { runCli } from './part-cli.mjs';
import { alive, benchDir, cpuSeconds, rssOf, settle, startBenchWorker, stopWorker } from './worker.mjs';

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
    // Unlimited is also without php -S's 30 s CPU limit (max_execution_time): the year must finish.
    const legacy = await startLegacy(db, {
      stateDir: join(scratch, `oracle-${memoryLimit}`),
      memoryLimit,
      maxExecutionTime: memoryLimit === '-1' ? 0 : undefined,
    });
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
    `Method. The runnable legacy (scripts/legacy-oracle.mjs: \`php -S\` with one worker, PHP_CLI_SERVER_WORKERS = 1, so the server process serves the request itself) on the bench databases, its clock pinned to ${ORACLE_NOW} New York (X-Oracle-Now), rate limit reset before each request; \`memory_limit\` 128M as production had (with php.ini's \`max_execution_time\`, 30 s of CPU), and -1 (unlimited, and \`max_execution_time\` 0). One run per cell, \`/dataconnector?from=…&to=…\` (v1 JSON, explicit window ending ${windowOf(1).to}), read with node:http and counted, a 120 s timeout. Status "200" means a 200 with every row of the window in the body; otherwise the status and the start of the body. PHP peak RSS = VmHWM of the serving php process, reset (\`echo 5 > /proc/<pid>/clear_refs\`) just before the request, so it includes the interpreter's own ~20 MiB; "≥" when the process died and only the RSS sampled every ~2 ms (by the client, between body chunks) remains. PHP CPU = that process's utime + stime during the request. Worker: wrangler dev on the same tree as the rest of the report, warmed by a 1-day request, one run per window, instrumented (full GC before, heap polled every ~20 ms, workerd RSS sampled; see bench/RESULTS.md Method), so its time is slightly above bench/run.mjs's timed runs. Both read the same MariaDB, one after the other.`,
  ].join('\n');
  return { markdown, targets: [], raw: { legacy: legacyRows, worker: workerRows } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('legacy', 'The legacy PHP beside the Worker: /dataconnector', runLegacy);
}
