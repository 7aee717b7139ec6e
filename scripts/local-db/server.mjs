// One instance's mariadbd: initialising its data dir, starting it (or reusing the one running),
// answering pings and root SQL on its socket, and stopping it. Callers hold the instance lock.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HOST, projectRoot, READY_TIMEOUT_MS, SCRIPT_VERSION, STOP_TIMEOUT_MS } from './config.mjs';
import { isRoot } from './install.mjs';
import { defaultPort, writeState } from './paths.mjs';
import {
  clientError,
  findServerPid,
  lastLines,
  pidAlive,
  portFreeSoon,
  readTail,
  run,
  terminate,
  waitUntil,
} from './processes.mjs';

export function rootArgs(p) {
  return ['--no-defaults', '-S', p.socket, '-u', 'root'];
}

export async function ping(bins, p) {
  if (!bins.admin || !fs.existsSync(p.socket)) return false;
  const r = await run(bins.admin, [...rootArgs(p), '--connect-timeout=2', 'ping'], { timeoutMs: 5_000 });
  return r.code === 0;
}

export async function rootSql(bins, p, sql, db) {
  const args = [...rootArgs(p), '--default-character-set=utf8mb4', '--batch', '--skip-column-names'];
  if (db) args.push(db);
  const r = await run(bins.client, args, { input: sql, timeoutMs: 120_000 });
  if (r.code !== 0) throw clientError('mariadb client failed', r);
  return r.stdout;
}

export function cleanupStale(p) {
  for (const f of [p.pidFile, p.socket, `${p.socket}.lock`]) fs.rmSync(f, { force: true });
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
export async function ensureRunning(bins, p, opts, log) {
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
  if (!(await portFreeSoon(port, (line) => log(`${p.name}: ${line}`)))) {
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

export async function stopLocked(bins, p, log) {
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
