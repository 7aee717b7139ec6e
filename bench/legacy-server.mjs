// The runnable legacy PHP for the benchmark tools (bench/legacy.mjs, bench/cpu-per-request.mjs,
// bench/wan.mjs): scripts/legacy-oracle.mjs started on the bench databases with the pids of its
// php processes, and the headers the tools send to either side (the bench key pair, and the
// oracle's clock pinned to the dataset's).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { oracleDbOf, startOracle } from '../scripts/legacy-oracle.mjs';
import { KEY_HEADERS, TEST_CLOCK } from './dataset.mjs';

/** TEST_CLOCK as the oracle reads its clock: New York local time. */
export const ORACLE_NOW = new Date(TEST_CLOCK)
  .toLocaleString('sv-SE', { timeZone: 'America/New_York', hour12: false })
  .replace('T', ' ');
/** The bench key pair plus the oracle's pinned clock (the Worker ignores the header). */
export const REQUEST_HEADERS = { ...KEY_HEADERS, 'X-Oracle-Now': ORACLE_NOW };

/** The `php` processes of the `php -S` serving `port`: the server and the workers it forked. */
export function phpProcesses(port) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (basename(cmdline[0]) !== 'php' || !cmdline.includes(`127.0.0.1:${port}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), ppid });
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * The legacy oracle on the bench databases. `opcache`: OPcache on for the CLI server (php -S
 * compiles every script on every request without it; PHP-FPM caches them), through an extra
 * ini directory (the leading ':' keeps the default conf.d with mysqli). Returns the oracle with
 * `pids` (all its processes) and `servingPids` (the workers; the server itself when it forked
 * none, as with workers = 1).
 */
export async function startLegacy(
  db,
  { stateDir, workers = 1, memoryLimit = '-1', maxExecutionTime, opcache = false },
) {
  const saved = process.env.PHP_INI_SCAN_DIR;
  if (opcache) {
    const iniDir = join(stateDir, 'ini');
    mkdirSync(iniDir, { recursive: true });
    writeFileSync(join(iniDir, 'zz-bench-opcache.ini'), 'opcache.enable_cli=1\n');
    process.env.PHP_INI_SCAN_DIR = `:${iniDir}`;
  }
  let oracle;
  try {
    oracle = await startOracle({
      db: oracleDbOf(db),
      stateDir,
      workers,
      memoryLimit,
      maxExecutionTime,
    });
  } finally {
    if (saved === undefined) delete process.env.PHP_INI_SCAN_DIR;
    else process.env.PHP_INI_SCAN_DIR = saved;
  }
  const port = Number(new URL(oracle.baseUrl).port);
  const pids = () => phpProcesses(port).map((p) => p.pid);
  const servingPids = () => {
    const all = phpProcesses(port);
    const leaves = all.filter((p) => !all.some((c) => c.ppid === p.pid));
    return leaves.map((p) => p.pid);
  };
  const resetRateLimit = () => fetch(`${oracle.baseUrl}/__oracle/reset-rate-limit`).then((r) => r.text());
  return { ...oracle, port, pids, servingPids, resetRateLimit, opcache, workers, memoryLimit };
}
