#!/usr/bin/env node
// Local MariaDB instances for development and tests (plain Node ESM, standard library only).
//
//   node scripts/local-db.mjs start  [instance] [--json] [--prefix=P --schema-dir=D --seed-dir=D] [--reload]
//   node scripts/local-db.mjs stop   [instance]
//   node scripts/local-db.mjs status [instance] [--json]
//   node scripts/local-db.mjs reset  [instance]
//   node scripts/local-db.mjs url    [instance] [db] [--admin]
//
// Library use (vitest globalSetup, dev launcher):
//   import { start, stop } from './scripts/local-db.mjs';
//   const db = await start('test');            // { name, host, port, socket, user, password, databases, urls, ... }
//   db.connectionString('console');            // mysql://public_api:local-dev-only@127.0.0.1:33307/console
//
// Every instance is a private mariadbd (own datadir, socket, port bound to 127.0.0.1) under
// <project>/.local/mariadb/<name>/. The system instance (/var/lib/mysql, port 3306) is never touched.
// Instance: dev 33306, test 33307, bench 33308, faults 33309, load 33310, anything else 33311;
// env LOCAL_DB_PORT_OFFSET shifts them all (a second checkout on the same machine).
//
// The parts are in scripts/local-db/: config, paths, processes, locks, install, server, provision.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_USER, HOST, LOCAL_PASSWORD, PUBLIC_USER, projectRoot } from './local-db/config.mjs';
import { ensureInstalled, findBinaries, missingOf } from './local-db/install.mjs';
import { withLock } from './local-db/locks.mjs';
import { defaultPort, paths, readState, writeState } from './local-db/paths.mjs';
import { findServerPid, makeLog } from './local-db/processes.mjs';
import { provision, resolveDbSpec } from './local-db/provision.mjs';
import { ensureRunning, ping, stopLocked } from './local-db/server.mjs';

export { ADMIN_USER, HOST, LOCAL_PASSWORD, PUBLIC_USER, projectRoot } from './local-db/config.mjs';
export { aptInstall, ensureInstalled } from './local-db/install.mjs';
export { defaultPort, instanceDir } from './local-db/paths.mjs';

export function connectionString(info, db = '', { admin = false } = {}) {
  let port;
  if (typeof info === 'object' && info) port = info.port;
  else {
    const p = paths(info);
    const state = readState(p);
    port = state?.port && findServerPid(p) ? state.port : defaultPort(info);
  }
  const physical = (typeof info === 'object' && info?.databases?.[db]) || db;
  const user = admin ? ADMIN_USER : PUBLIC_USER;
  return `mysql://${encodeURIComponent(user)}:${encodeURIComponent(LOCAL_PASSWORD)}@${HOST}:${port}/${encodeURIComponent(physical)}`;
}

function makeInfo(p, { port, pid, reused, reloaded, spec, elapsedMs }) {
  const databases = {};
  for (const e of spec ? spec.dbs : []) databases[e.logical] = e.db;
  const info = {
    name: p.name,
    host: HOST,
    port,
    socket: p.socket,
    user: PUBLIC_USER,
    password: LOCAL_PASSWORD,
    admin: { user: ADMIN_USER, password: LOCAL_PASSWORD },
    databases,
    urls: {},
    adminUrl: '',
    pid,
    dir: p.dir,
    reused,
    reloaded,
    elapsedMs,
  };
  for (const logical of Object.keys(databases)) info.urls[logical] = connectionString(info, logical);
  info.adminUrl = connectionString(info, '', { admin: true });
  // Non-enumerable so the object stays plain data for JSON / structured clone (vitest provide()).
  Object.defineProperty(info, 'connectionString', {
    value: (db, o) => connectionString(info, db, o),
    enumerable: false,
  });
  return info;
}

/**
 * Start (or reuse) instance `name` and make sure its users and databases are provisioned.
 * opts: { databases?: false | { prefix?, schemaDir?, seedDir? (null = no seed), names? },
 *         port?, reload? (force reloading the databases), log?: false | (line) => void }
 */
export async function start(name = 'dev', opts = {}) {
  const t0 = Date.now();
  const log = makeLog(opts);
  const p = paths(name);
  const spec = resolveDbSpec(opts.databases);
  const bins = await ensureInstalled({ log: opts.log });
  return withLock(p.lockDir, log, `instance ${name}`, async () => {
    fs.mkdirSync(p.dir, { recursive: true });
    const srv = await ensureRunning(bins, p, opts, log);
    const { port, reloaded } = await provision(bins, p, spec, opts, log);
    const state = readState(p);
    if (state?.port !== port) writeState(p, { ...(state ?? {}), port, socket: p.socket });
    const wanted = opts.port ?? defaultPort(name);
    if (srv.reused && port !== wanted)
      log(
        `${name}: note: reusing the running server on port ${port} (requested ${wanted}); stop it to change ports`,
      );
    return makeInfo(p, {
      port,
      pid: findServerPid(p) ?? srv.pid ?? null,
      reused: srv.reused,
      reloaded,
      spec,
      elapsedMs: Date.now() - t0,
    });
  });
}

/** Gracefully stop instance `name` (no-op when it is not running). */
export async function stop(name = 'dev', opts = {}) {
  const log = makeLog(opts);
  const p = paths(name);
  if (!fs.existsSync(p.dir) && !fs.existsSync(p.lockDir) && !findServerPid(p))
    return { name, wasRunning: false };
  const bins = findBinaries();
  return withLock(p.lockDir, log, `instance ${name}`, () => stopLocked(bins, p, log));
}

/** Stop instance `name` and delete its directory (data included). */
export async function reset(name = 'dev', opts = {}) {
  const log = makeLog(opts);
  const p = paths(name);
  const bins = findBinaries();
  return withLock(p.lockDir, log, `instance ${name}`, async () => {
    const result = await stopLocked(bins, p, log);
    fs.rmSync(p.dir, { recursive: true, force: true });
    fs.rmSync(p.socket, { force: true });
    return { ...result, removed: p.dir };
  });
}

/** Lock-free snapshot of instance `name`. */
export async function status(name = 'dev') {
  const p = paths(name);
  const bins = findBinaries();
  const pid = findServerPid(p);
  const responding = await ping(bins, p);
  const state = readState(p);
  return {
    name,
    running: responding || pid != null,
    responding,
    pid,
    host: HOST,
    port: state?.port ?? defaultPort(name),
    socket: p.socket,
    dir: p.dir,
    initialised: fs.existsSync(p.initMarker),
    installed: missingOf(bins).length === 0,
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE =
  'usage: node scripts/local-db.mjs <start|stop|status|reset|url> [instance] [db] [--json] [--admin] [--reload] [--prefix=P] [--schema-dir=D] [--seed-dir=D]';

async function main(argv) {
  const flags = new Map();
  const args = [];
  for (const a of argv) {
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      flags.set(eq < 0 ? a.slice(2) : a.slice(2, eq), eq < 0 ? true : a.slice(eq + 1));
    } else args.push(a);
  }
  const [cmd, name = 'dev', db] = args;
  const json = flags.has('json');
  const out = (obj, text) => process.stdout.write(json ? `${JSON.stringify(obj, null, 2)}\n` : `${text}\n`);

  switch (cmd) {
    case 'start': {
      const databases = {};
      if (flags.has('prefix')) databases.prefix = String(flags.get('prefix'));
      if (flags.has('schema-dir')) databases.schemaDir = String(flags.get('schema-dir'));
      if (flags.has('seed-dir')) databases.seedDir = String(flags.get('seed-dir'));
      const info = await start(name, { databases, reload: flags.has('reload') });
      const how = info.reused ? 'already running' : 'started';
      out(
        info,
        `${name}: ${how} (pid ${info.pid}) on ${info.host}:${info.port}, socket ${info.socket}, ${(info.elapsedMs / 1000).toFixed(2)} s\n` +
          `${name}: user ${info.user}, databases ${Object.values(info.databases).join(', ') || '(none)'}` +
          (info.reloaded.length ? ` (loaded ${info.reloaded.join(', ')})` : ' (unchanged)') +
          `; connection string: node scripts/local-db.mjs url ${name} <db>`,
      );
      return 0;
    }
    case 'stop': {
      const r = await stop(name);
      out(r, r.wasRunning ? `${name}: stopped (pid ${r.pid ?? '?'})` : `${name}: not running`);
      return 0;
    }
    case 'status': {
      const s = await status(name);
      out(
        s,
        s.responding
          ? `${name}: running (pid ${s.pid ?? '?'}) on ${s.host}:${s.port}, socket ${s.socket}`
          : s.running
            ? `${name}: process ${s.pid} exists but does not answer on ${s.socket}`
            : `${name}: stopped${s.initialised ? '' : ' (not initialised)'}`,
      );
      return 0;
    }
    case 'reset': {
      const r = await reset(name);
      out(
        r,
        `${name}: ${r.wasRunning ? 'stopped and ' : ''}removed ${path.relative(projectRoot, r.removed)}`,
      );
      return 0;
    }
    case 'url': {
      const url = connectionString(name, db ?? '', { admin: flags.has('admin') });
      process.stdout.write(json ? `${JSON.stringify({ name, db: db ?? '', url })}\n` : `${url}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

const isMain = (() => {
  try {
    return process.argv[1] != null && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      const [first, ...rest] = String(err?.message ?? err).split('\n');
      if (rest.length) process.stderr.write(`${rest.join('\n')}\n`);
      process.stderr.write(`local-db: error: ${first}\n`);
      if (process.env.LOCAL_DB_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exitCode = 1;
    },
  );
}
