// The MariaDB binaries, found on PATH or installed with apt-get (as root, once) when missing.
import fs from 'node:fs';
import path from 'node:path';
import { baseDir } from './config.mjs';
import { withLock } from './locks.mjs';
import { lastLines, makeLog, run } from './processes.mjs';

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

export function findBinaries() {
  const found = {};
  for (const [key, bin] of Object.entries(BINARIES)) found[key] = which(bin);
  return found;
}

export const missingOf = (bins) =>
  Object.entries(BINARIES)
    .filter(([k]) => !bins[k])
    .map(([, b]) => b);
export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

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
