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
//
// This file runs the part (runCpuPerRequest, which bench/run.mjs calls too) and is its CLI. The
// cells and their settings are in bench/cpu-per-request-cells.mjs, the profile in
// bench/cpu-per-request-profile.mjs, and bench/cpu-per-request-report.mjs writes the Markdown.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import { connectionString, status as dbStatus } from '../scripts/local-db.mjs';
import { FLOOR_PATH, LEGACY_WORKERS, measureSide, workerProcesses } from './cpu-per-request-cells.mjs';
import { profileIsolates } from './cpu-per-request-profile.mjs';
import { report } from './cpu-per-request-report.mjs';
import { INSTANCE } from './dataset.mjs';
import { startLegacy } from './legacy-server.mjs';
import { ensureBenchData } from './load-data.mjs';
import { runCli } from './part-cli.mjs';
import { benchDir, startBenchWorker, startWorker, stopWorker } from './worker.mjs';

/**
 * Two Workers serving bench/floor-worker.js (a constant JSON body, two log lines at /logged, one
 * database statement at /db) in the layout and with the compatibility settings of the tree under
 * test (wrangler dev serves both configurations as it serves the project's two Workers); the
 * first has the tree's DB_CONSOLE Hyperdrive binding. With `assets`, it also has the tree's
 * `[assets]` block and directory: wrangler dev then routes every request through its asset router
 * and an RPC proxy, two isolates of the same workerd, before the Worker (in production the asset
 * router is Cloudflare's, in front of the Worker, and not the Worker's CPU time).
 */
function constantWorkerTree(tree, { assets = false } = {}) {
  const dir = join(benchDir, `constant-worker-${process.pid}${assets ? '-assets' : ''}`);
  const toml = readFileSync(join(tree.dir, 'wrangler.toml'), 'utf8');
  const settings = toml
    .split('\n')
    .filter((line) => /^compatibility_(date|flags)\s*=/.test(line))
    .join('\n');
  // Blocks from their header to the next blank line, as the tree has them.
  const hyperdrive = /^\[\[hyperdrive\]\]\nbinding = "DB_CONSOLE"\n(?:.+\n)*/m.exec(toml)?.[0];
  if (!hyperdrive) throw new Error('the tree under test has no DB_CONSOLE Hyperdrive binding');
  const assetsBlock = assets ? (/^\[assets\]\n(?:.+\n)*/m.exec(toml)?.[0] ?? '') : '';
  if (assets && !assetsBlock) throw new Error('the tree under test has no [assets] block');
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'floor-worker.js'), 'utf8');
  for (const [sub, name] of [
    ['.', 'bench-constant'],
    ['auth-helper', 'bench-constant-helper'],
  ]) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, 'index.js'), source);
    const own = sub === '.' ? `\n${hyperdrive}${assetsBlock && `\n${assetsBlock}`}` : '';
    writeFileSync(
      join(dir, sub, 'wrangler.toml'),
      `name = "${name}"\nmain = "index.js"\n${settings}\n${own}`,
    );
  }
  if (assetsBlock) {
    const directory = /^directory\s*=\s*"([^"]+)"/m.exec(assetsBlock)?.[1] ?? './public';
    cpSync(join(tree.dir, directory), join(dir, directory), { recursive: true });
  }
  return { dir };
}

/** The cells of a constant Worker tree (constantWorkerTree) at `paths`, in a wrangler dev of its own. */
async function measureConstant(tree, db, side, paths, { assets, watchedAlso, log, admin }) {
  const constant = constantWorkerTree(tree, { assets });
  const floor = await startWorker(constant, db, {
    queryTimeoutMs: 120_000,
    stateDir: join(benchDir, `state-${process.pid}-constant${assets ? '-assets' : ''}`),
  });
  try {
    const watched = [...workerProcesses(floor), ...watchedAlso];
    return await measureSide(side, floor.baseUrl, watched, [floor.workerdPid], log, admin, paths);
  } finally {
    await stopWorker(floor);
    rmSync(constant.dir, { recursive: true, force: true });
  }
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

  const floorOptions = { watchedAlso: [...mariadb, ...client], log, admin };
  cells.push(
    ...(await measureConstant(tree, db, 'Constant', ['/', '/logged', '/db'], {
      ...floorOptions,
      assets: false,
    })),
    ...(await measureConstant(tree, db, 'Constant + assets', ['/'], { ...floorOptions, assets: true })),
  );

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

  return { ...report({ cells, profiles }), raw: { cells, profiles } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('cpu-per-request', 'CPU per request: the Worker beside the legacy PHP', runCpuPerRequest);
}
