// The cells of bench/cpu-per-request.mjs: for one endpoint and concurrency, requests over
// keep-alive connections and the CPU time each watched process (workerd, php, mariadbd, this
// client) used around them, per request, with MariaDB's connections and statements per request.
import { Agent, get as httpGet } from 'node:http';
import os from 'node:os';
import { fmt } from './figures.mjs';
import { REQUEST_HEADERS } from './legacy-server.mjs';
import { cpuSeconds, descendants, settle } from './worker.mjs';

/**
 * The floors under the Worker's figures, on the same path (wrangler dev, the same workerd): the
 * Worker's own /__health (every middleware and the request line, no key, no database, no Durable
 * Object), and a Worker answering a constant body (the runtime's own cost per request).
 */
export const FLOOR_PATH = '/__health';
export const ENDPOINTS = [
  '/advertisers',
  '/advertisers/1',
  '/campaigns',
  '/campaigns/1',
  '/v2.0/analytics/1',
];
export const CONCURRENCY = [1, 10];
export const REQUESTS = 500;
export const WARMUP = 50;
export const LEGACY_WORKERS = 4; // php -S workers: a small FPM-like pool for concurrency 10

/**
 * `amount` GET requests (or as many as fit in `durationS`) over `connections` keep-alive
 * connections of node:http, each connection one request at a time. Not autocannon: it counted no
 * response at all from php -S, which closes every connection after its response.
 */
export async function load(
  url,
  { connections, amount = Number.POSITIVE_INFINITY, durationS = Number.POSITIVE_INFINITY },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = { ok: 0, non2xx: 0, errors: 0 };
  let sent = 0;
  const start = performance.now();
  const deadline = start + durationS * 1000;
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = httpGet(url, { agent, headers: REQUEST_HEADERS, timeout: 10_000 }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode >= 200 && res.statusCode < 300) statuses.ok++;
          else statuses.non2xx++;
          resolve();
        });
        res.on('error', () => {
          statuses.errors++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        statuses.errors++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < amount && performance.now() < deadline) {
        sent++;
        await one();
      }
    }),
  );
  const duration = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    requests: latencies.length + statuses.errors,
    ...statuses,
    duration,
    p50: pct(50),
    p97_5: pct(97.5),
  };
}

/** The Worker side's processes, named (as bench/cpu-load.mjs names them). */
export function workerProcesses(worker) {
  const named = [];
  for (const p of [{ pid: worker.child.pid, cmdline: ['wrangler'] }, ...descendants(worker.child.pid)]) {
    const exe = p.cmdline[0] ?? '';
    let name;
    if (p.pid === worker.workerdPid) name = 'workerd';
    else if (/workerd$/.test(exe)) name = 'proxy';
    else if (/node$/.test(exe) || p.pid === worker.child.pid) name = 'node';
    else name = 'other';
    named.push({ name, pid: p.pid });
  }
  return named;
}

/** MariaDB's counters of connections opened and statements run (this reading's own included). */
async function dbCounters(admin) {
  const [rows] = await admin.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Connections', 'Questions')");
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
}

/** One cell: warm-up, settle, then N requests with every watched process's CPU read around them. */
async function cell(url, connections, watched, settlePids, admin) {
  await load(url, { connections, amount: WARMUP });
  await settle(settlePids);
  const countersBefore = await dbCounters(admin);
  const before = watched.map((p) => cpuSeconds(p.pid));
  const result = await load(url, { connections, amount: REQUESTS });
  const after = watched.map((p) => cpuSeconds(p.pid));
  const countersAfter = await dbCounters(admin);
  const requests = result.requests;
  const perRequestMs = {};
  watched.forEach((p, i) => {
    const used = after[i] - before[i];
    if (Number.isFinite(used)) perRequestMs[p.name] = (perRequestMs[p.name] ?? 0) + (used / requests) * 1000;
  });
  return {
    load1: os.loadavg()[0],
    dbConnectionsPerRequest: (countersAfter.Connections - countersBefore.Connections) / requests,
    // The SHOW STATUS before is counted once.
    dbStatementsPerRequest: (countersAfter.Questions - countersBefore.Questions - 1) / requests,
    requests,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: result.p50,
    p97_5: result.p97_5,
    perRequestMs,
  };
}

/** The cells of one side (`label`): every path at every concurrency, each logged as it ends. */
export async function measureSide(label, baseUrl, watched, settlePids, log, admin, paths = ENDPOINTS) {
  const cells = [];
  for (const path of paths) {
    for (const c of CONCURRENCY) {
      const r = await cell(baseUrl + path, c, watched, settlePids, admin);
      log(
        `${label} ${path} c=${c}: ${r.ok}/${r.requests} 2xx, ${fmt(r.rps, 0)} req/s, ` +
          `${fmt(r.dbConnectionsPerRequest, 2)} connections and ${fmt(r.dbStatementsPerRequest, 2)} statements per request; ` +
          Object.entries(r.perRequestMs)
            .map(([k, v]) => `${k} ${fmt(v, 2)}`)
            .join(', '),
      );
      cells.push({ side: label, path, c, ...r });
    }
  }
  return cells;
}
