#!/usr/bin/env node
// Round trips under simulated WAN latency (issue 20, Measure 1; the legacy beside it, Measure 2
// for the small endpoints). In production the Worker runs at the edge and MySQL in us-east-1
// behind Hyperdrive: every sequential query pays a round trip that loopback hides. Here one
// latency proxy per database (bench/latency-proxy.mjs) sits between both Workers' Hyperdrive
// bindings and the bench MariaDB and delays every byte after the handshake by D each way. For
// D in --delays: the sequential round trips on each request's critical path, counted from the
// proxies' records at concurrency 1, and p50/p95 at concurrency 1 and 10, auth answer cached and
// not. Then the runnable legacy PHP on the same databases at D = 0 (it sits next to them).
//
//   flock /tmp/bench.lock node bench/wan.mjs [--ref REF] [--delays 0,10,25] [--out FILE]
//     [--requests 40,200] (per cell at concurrency 1 and 10)
//
// This file runs the part (runWan, which bench/run.mjs calls too) and is its CLI. What it measures
// is set in bench/wan-settings.mjs, the cells are timed and counted in bench/wan-cells.mjs, the
// key spellings of "auth not cached" come from bench/key-spellings.mjs, and bench/wan-report.mjs
// writes the Markdown.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KEY_HEADERS } from './dataset.mjs';
import { fmt } from './figures.mjs';
import { keySpellings } from './key-spellings.mjs';
import { LatencyProxy } from './latency-proxy.mjs';
import { ORACLE_NOW, startLegacy } from './legacy-server.mjs';
import { ensureBenchData, ensureClickthroughs } from './load-data.mjs';
import { runCli } from './part-cli.mjs';
import { runCell, runLegacyCell, timedGet } from './wan-cells.mjs';
import { report } from './wan-report.mjs';
import {
  CACHED_TTL_MS,
  DEFAULT_DELAYS,
  ENDPOINTS,
  LEGACY_WORKERS,
  REQUESTS,
  WARMUP,
} from './wan-settings.mjs';
import { benchDir, startWorker, stopWorker } from './worker.mjs';

export { ENDPOINTS } from './wan-settings.mjs';

// ---------------------------------------------------------------------------------------------
// The run

export async function runWan({ tree, log = () => {}, delays = DEFAULT_DELAYS, requests }) {
  const perCell = { ...REQUESTS, ...requests };
  const keys = keySpellings();
  const { db } = await ensureBenchData({ quiet: true });
  const clickRows = await ensureClickthroughs(db);
  log(`clickthrough_daily rows of campaign 1: ${clickRows}`);
  const scratch = join(benchDir, `wan-${process.pid}`);
  const proxies = {
    console: new LatencyProxy({ targetPort: db.port, name: 'console' }),
    aggregate: new LatencyProxy({ targetPort: db.port, name: 'aggregate' }),
  };
  const proxyList = Object.values(proxies);
  for (const p of proxyList) await p.listen();
  const urls = {
    console: proxies.console.urlFor(db.urls.console),
    aggregate: proxies.aggregate.urlFor(db.urls.aggregate),
  };
  const cells = [];
  const bodies = {};
  let worker;
  try {
    worker = await startWorker(
      tree,
      { ...db, urls },
      {
        queryTimeoutMs: 60_000,
        stateDir: join(scratch, 'state'),
        vars: {
          AUTH_CACHE_TTL_MS: String(CACHED_TTL_MS),
          // c10 on a connector is ten streams of one key pair at once (the default cap is 5).
          STREAM_MAX_PER_KEY: '100',
        },
      },
    );
    // The bodies the legacy is compared with (D = 0, whole bodies).
    for (const endpoint of ENDPOINTS) {
      const r = await timedGet(undefined, worker.baseUrl + endpoint.path, KEY_HEADERS, false, {
        digest: true,
      });
      bodies[endpoint.path] = {
        worker: { status: r.status, bytes: r.bytes, sha256: r.sha256, error: r.error },
      };
      log(`${endpoint.path}: ${r.status ?? r.error}, ${r.bytes} bytes`);
    }
    for (const delayMs of delays) {
      for (const p of proxyList) p.delayMs = delayMs;
      for (const endpoint of ENDPOINTS) {
        for (const concurrency of [1, 10]) {
          for (const auth of ['cached', 'uncached']) {
            const cell = await runCell({
              baseUrl: worker.baseUrl,
              endpoint,
              auth,
              headersFor: keys.headersFor,
              concurrency,
              count:
                concurrency === 10 && endpoint.c10
                  ? Math.min(endpoint.c10, perCell[10])
                  : perCell[concurrency],
              warmup: WARMUP[concurrency],
              proxies: concurrency === 1 ? proxyList : undefined,
            });
            cell.delayMs = delayMs;
            cell.side = 'worker';
            cells.push(cell);
            const rt = cell.roundTrips ? `, round trips ${cell.roundTrips.min}–${cell.roundTrips.max}` : '';
            log(
              `D=${delayMs} ${endpoint.path} c${concurrency} ${auth}: p50 ${fmt(cell.p50, 1)} p95 ${fmt(cell.p95, 1)} ms${rt}, ${JSON.stringify(cell.statuses)}`,
            );
          }
        }
      }
    }
  } finally {
    await stopWorker(worker);
    for (const p of proxyList) await p.close();
  }

  // The legacy: straight on the bench databases (it sits next to them in production).
  const legacy = await startLegacy(db, {
    stateDir: join(scratch, 'oracle'),
    workers: LEGACY_WORKERS,
    memoryLimit: '-1',
    opcache: true,
  });
  const legacyHeaders = { ...KEY_HEADERS, 'X-Oracle-Now': ORACLE_NOW };
  try {
    for (const endpoint of ENDPOINTS) {
      await legacy.resetRateLimit();
      const r = await timedGet(undefined, legacy.baseUrl + endpoint.path, legacyHeaders, false, {
        digest: true,
      });
      bodies[endpoint.path].legacy = {
        status: r.status,
        bytes: r.bytes,
        sha256: r.sha256,
        error: r.error,
        ms: r.endAt - r.start,
      };
      log(
        `legacy ${endpoint.path}: ${r.status ?? r.error}, ${r.bytes} bytes in ${fmt(r.endAt - r.start, 0)} ms`,
      );
    }
    for (const endpoint of ENDPOINTS.filter((e) => e.legacy)) {
      for (const concurrency of [1, 10]) {
        await legacy.resetRateLimit();
        const cell = await runLegacyCell(legacy.baseUrl, endpoint, concurrency, legacyHeaders, perCell);
        cells.push(cell);
        log(
          `legacy ${endpoint.path} c${concurrency}: p50 ${fmt(cell.p50, 1)} p95 ${fmt(cell.p95, 1)} ms, ${JSON.stringify(cell.statuses)}`,
        );
      }
    }
  } finally {
    legacy.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return report({ cells, bodies, delays, requests: perCell, spellingsUsed: keys.used });
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('wan', 'Round trips under simulated WAN latency', runWan, {
    options: { delays: { type: 'string' }, requests: { type: 'string' } },
    settings: (values) => {
      const [c1, c10] = (values.requests ?? '').split(',').map(Number);
      const delays = values.delays ? values.delays.split(',').map(Number) : DEFAULT_DELAYS;
      if (delays.some((d) => !(d >= 0))) throw new Error(`--delays: ${values.delays}`);
      return { delays, requests: c1 > 0 && c10 > 0 ? { 1: c1, 10: c10 } : undefined };
    },
  });
}
