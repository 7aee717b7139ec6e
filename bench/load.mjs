#!/usr/bin/env node
// `npm run load`: bounded loopback load on `wrangler dev` (issue 8). Not part of `npm test`: it
// takes about a minute and loads the machine.
//
//   50 connections for 30 s over advertisers, campaigns/{id}, analytics/{id}, connector and
//   dataconnector, alternately with a `bulk` key pair (allowance 10^9 an hour, inserted into this
//   instance's database only) and with the seed's `main` pair (rph 500);
//   beside them one connection sends the seed's `tight` pair (rph 5) at most 4 times a second.
//
// The request clock is pinned (TEST_CLOCK, test-only binding) so the whole run is inside one UTC
// hour window, and wrangler dev starts with empty local state. It checks, and exits 1 otherwise:
// no socket error or timeout, no 5xx, only planned 429s (main and tight, never bulk), and the rate
// limiter admitted exactly rph of main and of tight over the run.
//
// Its own MariaDB instance `load` (port 33310, schema + seed), stopped at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { projectRoot, start, stop } from '../scripts/local-db.mjs';
import { startWranglerDev } from '../scripts/wrangler-dev.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const INSTANCE = 'load';
/** The fixtures' clock: the seed's data is around it; the hour window is 15:00–16:00 UTC. */
const TEST_CLOCK = '2026-11-22T15:30:00Z';
const TIGHT_RATE = 4;

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8'));
const KEYS = {
  bulk: { int_key: 'int-load-bulk', api_key: 'api-load-bulk-0001', rph: 1_000_000_000 },
  main: { ...manifest.keys.main, rph: 500 },
  tight: { ...manifest.keys.tight, rph: 5 },
};
const ENDPOINTS = [
  '/advertisers',
  '/campaigns/201',
  '/analytics/201',
  '/connector?advertiser_id=11',
  '/dataconnector',
];

const headersOf = (key) => ({ 'X-Integration-Key': KEYS[key].int_key, 'X-Api-Key': KEYS[key].api_key });
const log = (line) => console.log(`[load] ${line}`);

// ---------------------------------------------------------------------------------------------
// Counting: every response by key, endpoint and status, with its latency.

const counts = {}; // key -> status -> n
const latencies = {}; // endpoint -> ms[] (bulk 200s)

function requestFor(key, path) {
  return {
    method: 'GET',
    path,
    headers: headersOf(key),
    // Called just before autocannon emits 'response' for the same request (see track()).
    onResponse: (status, _body, context) => {
      context.last = { key, path, status };
    },
  };
}

function track(instance) {
  instance.on('response', (client, status, _bytes, responseTime) => {
    const last = client.requestIterator?.context?.last;
    if (!last || last.status !== status) return;
    counts[last.key] ??= {};
    counts[last.key][status] = (counts[last.key][status] ?? 0) + 1;
    if (last.key === 'bulk' && status === 200) {
      latencies[last.path] ??= [];
      latencies[last.path].push(responseTime);
    }
  });
}

/** The p-th percentile of sorted milliseconds, rounded (nearest-rank). */
function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const db = await start(INSTANCE);
  const admin = await mysql.createConnection({ uri: db.adminUrl });
  try {
    await admin.query(
      "INSERT IGNORE INTO console.api (account_id, name, int_key, api_key, rph, created_at) VALUES (1, 'load bulk', ?, ?, ?, NOW())",
      [KEYS.bulk.int_key, KEYS.bulk.api_key, KEYS.bulk.rph],
    );
  } finally {
    await admin.end();
  }

  const persistDir = mkdtempSync(join(tmpdir(), 'adv-load-'));
  process.env.WRANGLER_LOG ??= 'error';
  const wrangler = await startWranglerDev({
    databases: { console: db.urls.console, aggregate: db.urls.aggregate },
    // 50 connections of two pairs keep ~20 connector streams of a pair open at once: this run
    // measures the allowance and the database under load, not the cap on concurrent streams
    // (STREAM_MAX_PER_KEY, tested in src/response/stream-slots.test.ts), so the cap is lifted.
    vars: { ENVIRONMENT: 'test', TEST_CLOCK, STREAM_MAX_PER_KEY: '1000' },
    args: ['--persist-to', persistDir],
  });
  try {
    // Warm-up with the bulk pair only (bundle loaded, its auth cached); main and tight start cold.
    for (const path of ENDPOINTS) {
      const response = await fetch(`${wrangler.baseUrl}${path}`, { headers: headersOf('bulk') });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`warm-up ${path}: ${response.status}`);
    }

    // Per endpoint: bulk, then main. Each connection walks this list round and round; main's half
    // makes sure it asks for well over its 500 even when wrangler dev manages only ~50 req/s.
    const requests = ENDPOINTS.flatMap((path) => [requestFor('bulk', path), requestFor('main', path)]);
    log(
      `${CONNECTIONS} connections × ${DURATION_S} s on ${wrangler.baseUrl} (+1 connection of tight at ${TIGHT_RATE}/s)`,
    );
    const mixed = autocannon({
      url: wrangler.baseUrl,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests,
    });
    const tight = autocannon({
      url: wrangler.baseUrl,
      connections: 1,
      duration: DURATION_S,
      overallRate: TIGHT_RATE,
      requests: ENDPOINTS.map((path) => requestFor('tight', path)),
    });
    track(mixed);
    track(tight);
    const [m, t] = await Promise.all([mixed, tight]);
    report(m, t);
  } finally {
    wrangler.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    rmSync(persistDir, { recursive: true, force: true });
    if (!args['keep-db']) await stop(INSTANCE, { log: false });
  }
}

function report(m, t) {
  const failures = [];
  const total = (key) => Object.values(counts[key] ?? {}).reduce((a, b) => a + b, 0);
  const of = (key, status) => counts[key]?.[status] ?? 0;

  log(
    `mixed: ${m.requests.total} responses in ${m.duration.toFixed(1)} s (${m.requests.average.toFixed(0)} req/s), ` +
      `errors ${m.errors}, timeouts ${m.timeouts}; 2xx latency p50 ${m.latency.p50} ms, p97.5 ${m.latency.p97_5} ms, ` +
      `p99 ${m.latency.p99} ms, max ${m.latency.max} ms`,
  );
  log(`tight: ${t.requests.total} responses, errors ${t.errors}, timeouts ${t.timeouts}`);
  for (const key of Object.keys(KEYS)) {
    const statuses = Object.entries(counts[key] ?? {})
      .map(([status, n]) => `${status}×${n}`)
      .join(', ');
    log(`${key.padEnd(5)} (rph ${KEYS[key].rph}): ${total(key)} responses: ${statuses}`);
  }
  for (const path of ENDPOINTS) {
    const sorted = (latencies[path] ?? []).sort((a, b) => a - b);
    log(
      `  bulk 200 ${path.padEnd(28)} n=${String(sorted.length).padStart(5)}  p50 ${percentile(sorted, 50)} ms  ` +
        `p99 ${percentile(sorted, 99)} ms  max ${percentile(sorted, 100)} ms`,
    );
  }

  for (const [name, r] of [
    ['mixed', m],
    ['tight', t],
  ]) {
    if (r.errors || r.timeouts) failures.push(`${name}: ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  const counted = total('bulk') + total('main') + total('tight');
  const responses = [m, t].flatMap((r) => Object.values(r.statusCodeStats)).reduce((a, s) => a + s.count, 0);
  if (counted !== responses) failures.push(`counted ${counted} responses, autocannon ${responses}`);
  for (const key of Object.keys(KEYS)) {
    for (const status of Object.keys(counts[key] ?? {})) {
      const planned = status === '200' || (status === '429' && key !== 'bulk');
      if (!planned) failures.push(`${key}: ${of(key, status)} × ${status}`);
    }
  }
  for (const key of ['main', 'tight']) {
    if (total(key) <= KEYS[key].rph)
      failures.push(`${key}: only ${total(key)} requests, not enough to reach rph ${KEYS[key].rph}`);
    if (of(key, 200) !== KEYS[key].rph)
      failures.push(`${key}: ${of(key, 200)} admitted in the hour, rph is ${KEYS[key].rph}`);
  }
  if (failures.length) {
    for (const failure of failures) log(`FAIL ${failure}`);
    process.exitCode = 1;
  } else {
    log(
      `OK: 0 errors, 0 5xx, 429 only for main (${of('main', 429)}) and tight (${of('tight', 429)}); ` +
        `admitted exactly main ${of('main', 200)}/${KEYS.main.rph}, tight ${of('tight', 200)}/${KEYS.tight.rph}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
