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
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// Bump when provisioning semantics change: every database is reloaded once.
const SCRIPT_VERSION = '1';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseDir = path.join(projectRoot, '.local', 'mariadb');

// Throwaway credentials of a LOCAL-ONLY instance (bound to 127.0.0.1, seed data only).
// They are not secrets and must never be used for anything but these local instances.
export const PUBLIC_USER = 'public_api';
export const ADMIN_USER = 'public_api_admin';
export const LOCAL_PASSWORD = 'local-dev-only';
export const HOST = '127.0.0.1';

const DEFAULT_PORTS = { dev: 33306, test: 33307, bench: 33308, faults: 33309, load: 33310 };
const OTHER_PORT = 33311;
const DEFAULT_DB_NAMES = ['console', 'aggregate'];
const META_DB = 'adv_local_meta';
const LOCK_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const MAX_SOCKET_PATH = 107; // sun_path is 108 bytes including the trailing NUL

// ---------------------------------------------------------------------------------------------
// Paths

function checkName(name) {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new Error(`invalid instance name ${JSON.stringify(name)} (letters, digits, "_", "-")`);
  }
  return name;
}

export function instanceDir(name) {
  return path.join(baseDir, checkName(name));
}

export function defaultPort(name) {
  const env = process.env.LOCAL_DB_PORT_OFFSET;
  const offset = env != null && env !== '' ? Number(env) : 0;
  const port = (DEFAULT_PORTS[checkName(name)] ?? OTHER_PORT) + offset;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`LOCAL_DB_PORT_OFFSET=${env} gives an invalid port (${port})`);
  }
  return port;
}

function paths(name) {
  const dir = instanceDir(name);
  let socket = path.join(dir, 'mariadb.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
    socket = path.join(os.tmpdir(), `adv-mariadb-${hash}.sock`);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) socket = `/tmp/adv-mariadb-${hash}.sock`;
  }
  return {
    name,
    dir,
    dataDir: path.join(dir, 'data'),
    socket,
    pidFile: path.join(dir, 'mariadb.pid'),
    errLog: path.join(dir, 'mariadb.err'),
    stateFile: path.join(dir, 'instance.json'),
    initMarker: path.join(dir, '.initialised'),
    lockDir: `${dir}.lock`,
  };
}

// ---------------------------------------------------------------------------------------------
// Logging and child processes

function makeLog(opts = {}) {
  if (opts.log === false || process.env.LOCAL_DB_QUIET === '1') return () => {};
  if (typeof opts.log === 'function') return opts.log;
  return (line) => process.stderr.write(`[local-db] ${line}\n`);
}

function run(cmd, args, { input, stdinFile, timeoutMs = 120_000, env, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    let stdinFd;
    const stdio = ['ignore', 'pipe', 'pipe'];
    if (stdinFile) {
      stdinFd = fs.openSync(stdinFile, 'r');
      stdio[0] = stdinFd;
    } else if (input != null) {
      stdio[0] = 'pipe';
    }
    let child;
    try {
      child = spawn(cmd, args, { stdio, env: env ?? process.env });
    } finally {
      if (stdinFd !== undefined) fs.closeSync(stdinFd);
    }
    onSpawn?.(child);
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new Error(`${cmd} not found`) : e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? null : code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (stdio[0] === 'pipe') {
      child.stdin.on('error', () => {}); // EPIPE when the client dies early; reported through its exit code
      child.stdin.end(input);
    }
  });
}

// The mariadb client prints the failing statement between dashes, then "ERROR nnnn ... at line N: ...".
// Put that ERROR line first (one-line summary), the full stderr after it.
function clientError(prefix, r) {
  const text = (r.stderr || '').trim();
  if (!text) return new Error(`${prefix}: exit ${r.code ?? 'timeout'}`);
  const errorLine =
    text.split('\n').find((l) => /^ERROR\b/.test(l)) ??
    text.split('\n').find((l) => l.trim() && !/^-+$/.test(l));
  return new Error(errorLine === text ? `${prefix}: ${text}` : `${prefix}: ${errorLine}\n${text}`);
}

function lastLines(text, n = 30) {
  return text.replace(/\s+$/, '').split('\n').slice(-n).join('\n');
}

function readTail(file, fromOffset = 0, n = 30) {
  try {
    const buf = fs.readFileSync(file);
    const text = buf.subarray(fromOffset <= buf.length ? fromOffset : 0).toString('utf8');
    return lastLines(text, n);
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    // A zombie (killed, not yet reaped: e.g. when PID 1 does not reap) counts as dead.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    // no procfs: trust kill(0)
  }
  return true;
}

function readCmdline(pid) {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}

function readPidFile(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// The live mariadbd serving this instance's datadir, or null. Checks the pid file first (and that
// the pid really is our mariadbd, not a recycled pid), then scans /proc for a server whose pid file
// went missing.
function findServerPid(p) {
  const datadirArg = `--datadir=${p.dataDir}`;
  const fromFile = readPidFile(p.pidFile);
  if (fromFile && pidAlive(fromFile)) {
    try {
      if (readCmdline(fromFile).includes(datadirArg)) return fromFile;
    } catch {
      if (!fs.existsSync('/proc/self')) return fromFile; // no procfs: trust the pid file
    }
  }
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const args = readCmdline(pid);
      if (path.basename(args[0]) === 'mariadbd' && args.includes(datadirArg) && pidAlive(pid)) return pid;
    } catch {
      // process vanished or unreadable
    }
  }
  return null;
}

async function waitUntil(predicate, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

const waitDead = (pid, timeoutMs) => waitUntil(() => !pidAlive(pid), timeoutMs);

async function terminate(pid, log, graceMs = 10_000) {
  if (!pidAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {}
  if (await waitDead(pid, graceMs)) return;
  log(`mariadbd pid ${pid} ignored SIGTERM for ${graceMs / 1000} s; sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  await waitDead(pid, 5_000);
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e) => resolve(e.code !== 'EADDRINUSE'));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------
// Locks: atomic mkdir of <dir>.lock with the owner pid inside. A lock whose owner is dead is stolen
// (under a short "steal guard" so two stealers can't remove a lock freshly taken by a third).
// Within one process, calls for the same lock are serialised by a promise chain first.

const heldLocks = new Set();
const chains = new Map();
let exitHookInstalled = false;

function readOwner(lockDir) {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

async function lockAgeMs(lockDir) {
  try {
    return Date.now() - (await fsp.stat(lockDir)).mtimeMs;
  } catch {
    return 0;
  }
}

async function lockIsStale(lockDir, owner) {
  if (owner == null) return (await lockAgeMs(lockDir)) > 10_000; // owner died between mkdir and write
  // Our own pid: the in-process chain guarantees we don't hold it now, so it leaked.
  return owner === process.pid || !pidAlive(owner);
}

async function stealLock(lockDir, seenOwner) {
  const guard = `${lockDir}.steal`;
  try {
    await fsp.mkdir(guard);
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    if ((await lockAgeMs(guard)) > 10_000) await fsp.rm(guard, { recursive: true, force: true });
    return;
  }
  try {
    const owner = readOwner(lockDir);
    if (owner === seenOwner && (await lockIsStale(lockDir, owner))) {
      await fsp.rm(lockDir, { recursive: true, force: true });
    }
  } finally {
    await fsp.rm(guard, { recursive: true, force: true });
  }
}

async function acquireLock(lockDir, log, what) {
  await fsp.mkdir(path.dirname(lockDir), { recursive: true });
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      const tmp = path.join(lockDir, `owner.${process.pid}.tmp`);
      await fsp.writeFile(tmp, `${process.pid}\n`);
      await fsp.rename(tmp, path.join(lockDir, 'owner'));
      heldLocks.add(lockDir);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
          for (const l of heldLocks) {
            if (readOwner(l) === process.pid) fs.rmSync(l, { recursive: true, force: true });
          }
        });
      }
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = readOwner(lockDir);
    if (await lockIsStale(lockDir, owner)) {
      await stealLock(lockDir, owner);
      continue;
    }
    const waited = Date.now() - started;
    if (waited > LOCK_TIMEOUT_MS) {
      throw new Error(
        `timed out after ${LOCK_TIMEOUT_MS / 1000} s waiting for the ${what} lock ${lockDir} (held by pid ${owner ?? '?'})`,
      );
    }
    if (!announced && waited > 1_000) {
      announced = true;
      log(`waiting for the ${what} lock (held by pid ${owner ?? '?'})...`);
    }
    await sleep(40 + Math.floor(Math.random() * 40));
  }
}

async function releaseLock(lockDir) {
  heldLocks.delete(lockDir);
  if (readOwner(lockDir) === process.pid) await fsp.rm(lockDir, { recursive: true, force: true });
}

async function withLock(lockDir, log, what, fn) {
  const prev = chains.get(lockDir) ?? Promise.resolve();
  let done;
  const mine = new Promise((r) => {
    done = r;
  });
  const chain = prev.then(() => mine);
  chains.set(lockDir, chain);
  await prev;
  try {
    await acquireLock(lockDir, log, what);
    try {
      return await fn();
    } finally {
      await releaseLock(lockDir);
    }
  } finally {
    done();
    if (chains.get(lockDir) === chain) chains.delete(lockDir);
  }
}

// ---------------------------------------------------------------------------------------------
// Installation

const BINARIES = {
  mariadbd: 'mariadbd',
  installDb: 'mariadb-install-db',
  client: 'mariadb',
  admin: 'mariadb-admin',
};
let binCache = null;

function which(bin) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d));
  for (const dir of [...dirs, '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const file = path.join(dir, bin);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {}
  }
  return null;
}

function findBinaries() {
  const found = {};
  for (const [key, bin] of Object.entries(BINARIES)) found[key] = which(bin);
  return found;
}

const missingOf = (bins) =>
  Object.entries(BINARIES)
    .filter(([k]) => !bins[k])
    .map(([, b]) => b);
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Installs Debian packages with apt-get (as root, once, under a lock shared by every caller):
 * MariaDB here, PHP for the legacy oracle (scripts/legacy-oracle.mjs). A policy-rc.d keeps the
 * packages' postinst from starting system services: the project runs private instances only.
 */
export async function aptInstall(packages, opts = {}) {
  const log = makeLog(opts);
  if (!isRoot()) {
    throw new Error(
      `missing Debian packages; install them with: sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`,
    );
  }
  fs.mkdirSync(baseDir, { recursive: true });
  await withLock(path.join(baseDir, '.install.lock'), log, 'install', async () => {
    log(`installing ${packages.join(' ')} with apt-get (one-time, may take a minute)...`);
    const policy = '/usr/sbin/policy-rc.d';
    let created = false;
    try {
      try {
        fs.lstatSync(policy);
      } catch {
        fs.writeFileSync(policy, '#!/bin/sh\n# temporary, written by scripts/local-db.mjs\nexit 101\n', {
          mode: 0o755,
          flag: 'wx',
        });
        created = true;
      }
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      for (const args of [
        ['-q', 'update'],
        ['-q', 'install', '-y', '--no-install-recommends', ...packages],
      ]) {
        const r = await run('apt-get', args, { env, timeoutMs: 15 * 60_000 });
        if (r.code !== 0) {
          process.stderr.write(`${lastLines(r.stdout + r.stderr, 30)}\n`);
          throw new Error(`apt-get ${args.slice(1).join(' ')} failed (exit ${r.code ?? 'timeout'})`);
        }
      }
    } finally {
      if (created) fs.rmSync(policy, { force: true });
    }
    log(`${packages.join(' ')} installed`);
  });
}

export async function ensureInstalled(opts = {}) {
  if (binCache) return binCache;
  let bins = findBinaries();
  if (missingOf(bins).length === 0) {
    binCache = bins;
    return bins;
  }
  if (!isRoot()) {
    throw new Error(
      `MariaDB is not installed (missing ${missingOf(bins).join(', ')}); install it with: ` +
        'sudo apt-get install -y --no-install-recommends mariadb-server mariadb-client',
    );
  }
  await aptInstall(['mariadb-server', 'mariadb-client'], { log: opts.log });
  bins = findBinaries();
  if (missingOf(bins).length)
    throw new Error(`still missing after apt-get install: ${missingOf(bins).join(', ')}`);
  binCache = findBinaries();
  return binCache;
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle (all callers hold the instance lock)

function rootArgs(p) {
  return ['--no-defaults', '-S', p.socket, '-u', 'root'];
}

async function ping(bins, p) {
  if (!bins.admin || !fs.existsSync(p.socket)) return false;
  const r = await run(bins.admin, [...rootArgs(p), '--connect-timeout=2', 'ping'], { timeoutMs: 5_000 });
  return r.code === 0;
}

async function rootSql(bins, p, sql, db) {
  const args = [...rootArgs(p), '--default-character-set=utf8mb4', '--batch', '--skip-column-names'];
  if (db) args.push(db);
  const r = await run(bins.client, args, { input: sql, timeoutMs: 120_000 });
  if (r.code !== 0) throw clientError('mariadb client failed', r);
  return r.stdout;
}

function cleanupStale(p) {
  for (const f of [p.pidFile, p.socket, `${p.socket}.lock`]) fs.rmSync(f, { force: true });
}

function readState(p) {
  try {
    return JSON.parse(fs.readFileSync(p.stateFile, 'utf8'));
  } catch {
    return null;
  }
}

function writeState(p, state) {
  const tmp = `${p.stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, p.stateFile);
}

async function initDataDir(bins, p, log) {
  if (fs.existsSync(p.initMarker) && fs.existsSync(path.join(p.dataDir, 'mysql'))) return false;
  log(`${p.name}: initialising ${path.relative(projectRoot, p.dataDir)} (mariadb-install-db)`);
  fs.rmSync(p.dataDir, { recursive: true, force: true });
  fs.rmSync(p.initMarker, { force: true });
  const args = ['--no-defaults'];
  if (isRoot()) args.push('--user=root');
  args.push(
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    `--datadir=${p.dataDir}`,
  );
  const r = await run(bins.installDb, args, { timeoutMs: 180_000 });
  if (r.code !== 0) {
    process.stderr.write(`${lastLines(r.stdout + r.stderr, 30)}\n`);
    throw new Error(`mariadb-install-db failed for instance ${p.name} (exit ${r.code ?? 'timeout'})`);
  }
  fs.writeFileSync(p.initMarker, `${new Date().toISOString()}\n`);
  return true;
}

function serverArgs(p, port) {
  return [
    '--no-defaults',
    ...(isRoot() ? ['--user=root'] : []),
    `--datadir=${p.dataDir}`,
    `--socket=${p.socket}`,
    `--port=${port}`,
    `--bind-address=${HOST}`,
    `--pid-file=${p.pidFile}`,
    `--log-error=${p.errLog}`,
    '--skip-name-resolve',
    '--skip-log-bin',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--default-time-zone=+00:00', // production (Aurora) runs UTC; don't depend on the host's TZ
    '--innodb-buffer-pool-size=256M',
    '--max-connections=500',
    '--max-allowed-packet=64M',
    // Throughput settings that are still safe for a process crash (kill -9): commits reach the OS
    // page cache; only an OS crash could lose the last second or tear a page.
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-innodb-doublewrite',
  ];
}

// Returns { pid, port, reused }.
async function ensureRunning(bins, p, opts, log) {
  if (await ping(bins, p)) return { reused: true };

  const existing = findServerPid(p);
  if (existing) {
    if (!fs.existsSync(p.dataDir)) {
      log(`${p.name}: stopping orphaned mariadbd pid ${existing} (its data dir is gone)`);
      await terminate(existing, log);
    } else {
      log(`${p.name}: mariadbd pid ${existing} is up but not answering yet; waiting...`);
      await waitUntil(async () => !pidAlive(existing) || (await ping(bins, p)), READY_TIMEOUT_MS, 100);
      if (await ping(bins, p)) return { reused: true };
      if (pidAlive(existing)) {
        const tail = readTail(p.errLog);
        if (tail) process.stderr.write(`--- last lines of ${p.errLog} ---\n${tail}\n`);
        throw new Error(
          `mariadbd pid ${existing} of instance ${p.name} runs but does not answer on ${p.socket}; try: node scripts/local-db.mjs stop ${p.name}`,
        );
      }
    }
  }

  cleanupStale(p);
  const port = opts.port ?? defaultPort(p.name);
  if (!(await portFree(port))) {
    throw new Error(
      `port ${port} on ${HOST} is already in use (instance ${p.name}); stop whatever listens there or set LOCAL_DB_PORT_OFFSET`,
    );
  }
  const fresh = await initDataDir(bins, p, log);

  let logOffset = 0;
  try {
    logOffset = fs.statSync(p.errLog).size;
  } catch {}
  const errFd = fs.openSync(p.errLog, 'a');
  let child;
  try {
    child = spawn(bins.mariadbd, serverArgs(p, port), {
      detached: true,
      stdio: ['ignore', errFd, errFd],
      cwd: p.dir,
    });
  } finally {
    fs.closeSync(errFd);
  }
  let exited = null;
  child.on('error', (e) => {
    exited = e.message;
  });
  child.on('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.unref();
  writeState(p, {
    port,
    pid: child.pid,
    socket: p.socket,
    startedAt: new Date().toISOString(),
    version: SCRIPT_VERSION,
  });

  const ready = await waitUntil(async () => exited != null || (await ping(bins, p)), READY_TIMEOUT_MS, 50);
  if (!ready || exited != null) {
    const tail = readTail(p.errLog, logOffset);
    if (tail) process.stderr.write(`--- last lines of ${p.errLog} ---\n${tail}\n`);
    if (exited == null) await terminate(child.pid, log);
    throw new Error(
      exited != null
        ? `mariadbd for instance ${p.name} exited during startup (${exited}); see ${p.errLog}`
        : `mariadbd for instance ${p.name} did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${p.errLog}`,
    );
  }

  if (fresh) {
    // mariadb-install-db creates password-less root@127.0.0.1 / ::1 / <hostname>: keep root on the
    // socket only (TCP users have passwords).
    const out = await rootSql(
      bins,
      p,
      "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.global_priv WHERE (User = 'root' AND Host <> 'localhost') OR User = '';",
    );
    const users = out.split('\n').filter(Boolean);
    if (users.length) await rootSql(bins, p, `DROP USER IF EXISTS ${users.join(', ')};`);
  }
  return { reused: false, pid: child.pid, port };
}

// ---------------------------------------------------------------------------------------------
// Provisioning

const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s) => `\`${s}\``;
// In GRANT ... ON `db`.*, "_" and "%" are wildcards: escape them.
const grantDb = (s) => ident(s.replace(/[_%\\]/g, (m) => `\\${m}`));

function resolveDbSpec(databases) {
  if (databases === false) return null;
  const d = databases ?? {};
  const prefix = d.prefix ?? '';
  const names = d.names ?? DEFAULT_DB_NAMES;
  const schemaDir = path.resolve(projectRoot, d.schemaDir ?? 'db/schema');
  const seedDir = d.seedDir === null ? null : path.resolve(projectRoot, d.seedDir ?? 'db/seed');
  const dbs = names.map((logical) => {
    const db = `${prefix}${logical}`;
    if (!/^[A-Za-z0-9_]{1,64}$/.test(db)) throw new Error(`invalid database name ${JSON.stringify(db)}`);
    if ([META_DB, 'mysql', 'sys', 'performance_schema', 'information_schema'].includes(db.toLowerCase())) {
      throw new Error(`refusing to provision reserved database ${db}`);
    }
    return {
      logical,
      db,
      schema: path.join(schemaDir, `${logical}.sql`),
      seed: seedDir === null ? null : path.join(seedDir, `${logical}.sql`),
    };
  });
  return { prefix, dbs };
}

function checksum(entry) {
  const h = createHash('sha256');
  h.update(`adv-local-db v${SCRIPT_VERSION}\0`);
  for (const [label, file] of [
    ['schema', entry.schema],
    ['seed', entry.seed],
  ]) {
    if (file === null) {
      h.update(`${label}:none\0`);
      continue;
    }
    let content;
    try {
      content = fs.readFileSync(file);
    } catch (e) {
      throw new Error(`cannot read ${label} file for ${entry.db}: ${file} (${e.code ?? e.message})`);
    }
    h.update(`${label}:${content.length}\0`);
    h.update(content);
    h.update('\0');
  }
  return h.digest('hex');
}

function shortPath(file) {
  const rel = path.relative(projectRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

async function loadFile(bins, p, db, file) {
  const args = [...rootArgs(p), '--default-character-set=utf8mb4', db];
  const r = await run(bins.client, args, { stdinFile: file, timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw clientError(`loading ${shortPath(file)} into ${db} failed`, r);
}

async function provision(bins, p, spec, opts, log) {
  const dbs = spec ? spec.dbs : [];
  for (const e of dbs) e.checksum = checksum(e);
  const pub = ['127.0.0.1', 'localhost'].map((h) => `${q(PUBLIC_USER)}@${q(h)}`);
  const adm = ['127.0.0.1', 'localhost'].map((h) => `${q(ADMIN_USER)}@${q(h)}`);
  const stmts = [
    `CREATE DATABASE IF NOT EXISTS ${META_DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    `CREATE TABLE IF NOT EXISTS ${META_DB}.provisioned (db_name VARCHAR(64) NOT NULL PRIMARY KEY, checksum CHAR(64) NOT NULL, loaded_at DATETIME NOT NULL) ENGINE=InnoDB;`,
    ...[...pub, ...adm].flatMap((u) => [
      `CREATE USER IF NOT EXISTS ${u} IDENTIFIED BY ${q(LOCAL_PASSWORD)};`,
      `ALTER USER ${u} IDENTIFIED BY ${q(LOCAL_PASSWORD)};`,
    ]),
    ...adm.map((u) => `GRANT ALL PRIVILEGES ON *.* TO ${u} WITH GRANT OPTION;`),
    // Root stays socket-only (also done right after mariadb-install-db; repeated in case that was interrupted).
    `DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ${q('root')}@${q(os.hostname())}, ''@'localhost', ''@${q(os.hostname())};`,
    ...dbs.map((e) => `GRANT SELECT ON ${grantDb(e.db)}.* TO ${pub.join(', ')};`),
    "SELECT 'port', @@port;",
  ];
  if (dbs.length) {
    stmts.push(
      `SELECT 'db', m.db_name, m.checksum FROM ${META_DB}.provisioned m JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = m.db_name WHERE m.db_name IN (${dbs.map((e) => q(e.db)).join(', ')});`,
    );
  }
  const out = await rootSql(bins, p, `${stmts.join('\n')}\n`);
  let port = null;
  const loaded = new Map();
  for (const line of out.split('\n')) {
    const cols = line.split('\t');
    if (cols[0] === 'port') port = Number(cols[1]);
    else if (cols[0] === 'db') loaded.set(cols[1], cols[2]);
  }

  const reloaded = [];
  for (const e of dbs) {
    if (!opts.reload && loaded.get(e.db) === e.checksum) continue;
    log(`${p.name}: loading ${e.db} (${[e.schema, e.seed].filter(Boolean).map(shortPath).join(' + ')})`);
    await rootSql(
      bins,
      p,
      `DELETE FROM ${META_DB}.provisioned WHERE db_name = ${q(e.db)};\n` +
        `DROP DATABASE IF EXISTS ${ident(e.db)};\n` +
        `CREATE DATABASE ${ident(e.db)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n`,
    );
    await loadFile(bins, p, e.db, e.schema);
    if (e.seed) await loadFile(bins, p, e.db, e.seed);
    await rootSql(
      bins,
      p,
      `INSERT INTO ${META_DB}.provisioned (db_name, checksum, loaded_at) VALUES (${q(e.db)}, ${q(e.checksum)}, NOW()) ` +
        'ON DUPLICATE KEY UPDATE checksum = VALUES(checksum), loaded_at = VALUES(loaded_at);\n',
    );
    reloaded.push(e.db);
  }
  return { port, reloaded };
}

// ---------------------------------------------------------------------------------------------
// Public API

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

async function stopLocked(bins, p, log) {
  const pid = findServerPid(p);
  const answering = await ping(bins, p);
  if (!pid && !answering) {
    cleanupStale(p);
    return { name: p.name, wasRunning: false };
  }
  // mariadb-admin shutdown polls the pid file only once a second: watch the pid ourselves and
  // drop the client as soon as the server is gone.
  let admin = null;
  let adminResult = null;
  let adminKilled = false;
  const adminDone = answering
    ? run(bins.admin, [...rootArgs(p), `--shutdown-timeout=${STOP_TIMEOUT_MS / 1000}`, 'shutdown'], {
        timeoutMs: STOP_TIMEOUT_MS + 5_000,
        onSpawn: (c) => {
          admin = c;
        },
      }).then((r) => {
        adminResult = r;
        if (r.code !== 0 && !adminKilled) log(`${p.name}: mariadb-admin shutdown failed: ${r.stderr.trim()}`);
      })
    : Promise.resolve();
  if (pid) {
    await waitUntil(() => !pidAlive(pid) || (adminResult != null && adminResult.code !== 0), STOP_TIMEOUT_MS);
    if (pidAlive(pid)) {
      log(`${p.name}: mariadbd pid ${pid} still running; sending SIGTERM`);
      await terminate(pid, log);
    }
    if (adminResult == null && admin) {
      adminKilled = true;
      admin.kill();
    }
    await adminDone;
    if (pidAlive(pid)) throw new Error(`could not stop mariadbd pid ${pid} of instance ${p.name}`);
  } else {
    await adminDone;
    if (!(await waitUntil(async () => !(await ping(bins, p)), STOP_TIMEOUT_MS, 100))) {
      throw new Error(`instance ${p.name} still answers on ${p.socket} after shutdown`);
    }
  }
  cleanupStale(p);
  return { name: p.name, wasRunning: true, pid };
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
