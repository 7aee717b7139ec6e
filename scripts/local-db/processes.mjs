// Child processes and the mariadbd process: running a command with a timeout, finding the live
// server of an instance (by pid file, then /proc), waiting for it, stopping it, and whether a port is free.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST } from './config.mjs';

export function makeLog(opts = {}) {
  if (opts.log === false || process.env.LOCAL_DB_QUIET === '1') return () => {};
  if (typeof opts.log === 'function') return opts.log;
  return (line) => process.stderr.write(`[local-db] ${line}\n`);
}

export function run(cmd, args, { input, stdinFile, timeoutMs = 120_000, env, onSpawn } = {}) {
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
export function clientError(prefix, r) {
  const text = (r.stderr || '').trim();
  if (!text) return new Error(`${prefix}: exit ${r.code ?? 'timeout'}`);
  const errorLine =
    text.split('\n').find((l) => /^ERROR\b/.test(l)) ??
    text.split('\n').find((l) => l.trim() && !/^-+$/.test(l));
  return new Error(errorLine === text ? `${prefix}: ${text}` : `${prefix}: ${errorLine}\n${text}`);
}

export function lastLines(text, n = 30) {
  return text.replace(/\s+$/, '').split('\n').slice(-n).join('\n');
}

export function readTail(file, fromOffset = 0, n = 30) {
  try {
    const buf = fs.readFileSync(file);
    const text = buf.subarray(fromOffset <= buf.length ? fromOffset : 0).toString('utf8');
    return lastLines(text, n);
  } catch {
    return '';
  }
}

export function pidAlive(pid) {
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
export function findServerPid(p) {
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

export async function waitUntil(predicate, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

const waitDead = (pid, timeoutMs) => waitUntil(() => !pidAlive(pid), timeoutMs);

export async function terminate(pid, log, graceMs = 10_000) {
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

export function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e) => resolve(e.code !== 'EADDRINUSE'));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Whether a socket listens on `port` (any address), read from the kernel's tables. A port can be
 * taken without a listener: the local-db ports lie in Linux's ephemeral range (32768–60999), so a
 * client connection of this machine may have been given one as its source port, and keeps it in
 * TIME_WAIT for 60 s after it closed; no server can bind it meanwhile.
 */
export function portHasListener(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) return true;
    }
  }
  return false;
}

/** How long a closed connection can hold its source port (TIME_WAIT is 60 s on Linux). */
const TIME_WAIT_MS = 65_000;

/**
 * Whether `port` can be bound, waiting while only closed connections hold it (portHasListener):
 * false at once when something listens there.
 */
export async function portFreeSoon(port, log = () => {}) {
  if (await portFree(port)) return true;
  if (portHasListener(port)) return false;
  log(`port ${port} is held by a closed connection (TIME_WAIT), not a server; waiting for it to clear`);
  // Ends early if a server takes the port meanwhile; the last check says whether it is ours to bind.
  await waitUntil(async () => (await portFree(port)) || portHasListener(port), TIME_WAIT_MS, 500);
  return portFree(port);
}
