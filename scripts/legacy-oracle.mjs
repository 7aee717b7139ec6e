// The runnable legacy (../shared/legacy/oracle, PHP 8.2) as a local origin: installs PHP with apt
// when it is missing (php-cli php-mysql php-mbstring php-xml) and serves the oracle with `php -S`
// on a private MariaDB instance's databases. Used by `npm run parity:legacy`, `parity:scale` and
// `parity:cutover`, the reconciler demonstration and the benchmark's legacy side.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { aptInstall, LOCAL_PASSWORD, PUBLIC_USER, projectRoot } from './local-db.mjs';
import { freePort } from './wrangler-dev.mjs';

/** Where the oracle lives: `../shared/legacy/oracle` beside the checkout unless LEGACY_ORACLE_DIR says. */
export const oracleDir = resolve(
  process.env.LEGACY_ORACLE_DIR ?? join(projectRoot, '../shared/legacy/oracle'),
);

const PHP_PACKAGES = ['php-cli', 'php-mysql', 'php-mbstring', 'php-xml'];
const PHP_MODULES = ['mysqli', 'mbstring', 'SimpleXML', 'json'];

function phpModules() {
  try {
    return execFileSync('php', ['-m'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim());
  } catch {
    return null;
  }
}

/** PHP with the oracle's extensions, installed with apt the first time (as MariaDB is). */
export async function ensurePhp(opts = {}) {
  const missing = () => {
    const modules = phpModules();
    return modules === null ? PHP_MODULES : PHP_MODULES.filter((m) => !modules.includes(m));
  };
  if (missing().length === 0) return;
  await aptInstall(PHP_PACKAGES, opts);
  const still = missing();
  if (still.length) throw new Error(`PHP still lacks ${still.join(', ')} after apt-get install`);
}

/**
 * The `db` of startOracle for a running local-db instance (what `start` of scripts/local-db.mjs
 * returns): its two databases, read as the Worker's own user reads them.
 * @param {{ port: number, databases: { console: string, aggregate: string } }} instance
 */
export function oracleDbOf(instance) {
  return {
    port: instance.port,
    user: PUBLIC_USER,
    password: LOCAL_PASSWORD,
    console: instance.databases.console,
    aggregate: instance.databases.aggregate,
  };
}

/**
 * Serves the oracle on a free port.
 * @param {object} o
 * @param {{ port: number, user: string, password: string, console: string, aggregate: string }} o.db
 * @param {string} o.stateDir where its rate-limit counters live
 * @param {number} [o.workers] PHP_CLI_SERVER_WORKERS (requests served at once)
 * @param {string} [o.memoryLimit] php.ini memory_limit (`-1` unlimited, `128M` as production had)
 * @param {number} [o.maxExecutionTime] php.ini max_execution_time in seconds (0: no limit). Unset,
 *   php.ini's applies: `php -S` honours it (Debian's is 30) where the plain CLI does not, and on
 *   Linux it counts the process's CPU time, which a year of v2 /dataconnector nearly uses up.
 * @returns {Promise<{ baseUrl: string, stop: () => void }>}
 */
export async function startOracle({
  db,
  stateDir,
  workers = 2,
  memoryLimit = '-1',
  maxExecutionTime,
  log = false,
}) {
  if (!existsSync(join(oracleDir, 'router.php'))) {
    throw new Error(`the legacy oracle is not at ${oracleDir} (set LEGACY_ORACLE_DIR)`);
  }
  await ensurePhp({ log });
  mkdirSync(stateDir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'php',
    [
      '-d',
      `memory_limit=${memoryLimit}`,
      '-d',
      'display_errors=0',
      ...(maxExecutionTime === undefined ? [] : ['-d', `max_execution_time=${maxExecutionTime}`]),
      '-S',
      `127.0.0.1:${port}`,
      join(oracleDir, 'router.php'),
    ],
    {
      cwd: oracleDir,
      // Its own process group: php -S forks PHP_CLI_SERVER_WORKERS workers that must end with it.
      detached: true,
      stdio: ['ignore', 'ignore', log ? 'inherit' : 'ignore'],
      env: {
        ...process.env,
        PHP_CLI_SERVER_WORKERS: String(workers),
        ORACLE_DB_TCP_PORT: String(db.port),
        ORACLE_DB_HOST: '127.0.0.1',
        ORACLE_DB_USER: db.user,
        ORACLE_DB_PASS: db.password,
        ORACLE_DB_CONSOLE: db.console,
        ORACLE_DB_AGGREGATE: db.aggregate,
        ORACLE_STATE_DIR: stateDir,
        ORACLE_NOW: '',
      },
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode !== null) throw new Error(`php -S exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/__oracle/reset-rate-limit`)).ok) return { baseUrl, stop };
    } catch {
      // not listening yet
    }
  }
  stop();
  throw new Error('the legacy oracle did not answer within 10 s');
}
