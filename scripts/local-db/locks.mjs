// Locks between processes (and within one) on an instance or on installation.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCK_TIMEOUT_MS } from './config.mjs';
import { pidAlive } from './processes.mjs';

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

export async function withLock(lockDir, log, what, fn) {
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
