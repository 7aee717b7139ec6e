// wrangler dev for the benchmark tools (bench/run.mjs, bench/profile.mjs and the others): a
// snapshot of the tree under test, wrangler dev started on it (scripts/wrangler-dev.mjs) with the
// workerd process that runs the Workers found, its inspector connected, and its RSS sampled; and
// what the tools read of any process from /proc (its children, CPU, RSS, when it has settled).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot as root } from '../scripts/local-db.mjs';
import { startWranglerDev } from '../scripts/wrangler-dev.mjs';
import { TEST_CLOCK } from './dataset.mjs';
import { Inspector } from './inspector.mjs';
import { RssSampler, readRss } from './rss-sampler.mjs';

export const benchDir = join(root, '.local/bench');

/**
 * The bench reads the isolate's heap over the inspector's WebSocket, global from Node 22: started
 * by an older node (e.g. `node bench/run.mjs` rather than `npm run bench`), the script runs itself
 * again under the project's Node 22 and exits with its status.
 */
export function requireProjectNode() {
  const projectNode = join(root, 'node_modules/.bin/node');
  if (typeof WebSocket !== 'undefined' || !existsSync(projectNode)) return;
  const result = spawnSync(projectNode, process.argv.slice(1), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

// ---------------------------------------------------------------------------------------------
// The tree under test: a snapshot, so that nothing edited during the run reaches wrangler dev.

export function snapshotTree(ref) {
  const dir = join(benchDir, 'tree');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let tree;
  if (ref) {
    const sha = git('rev-parse', '--verify', `${ref}^{commit}`);
    const archive = execFileSync('git', ['archive', sha], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    tree = { dir, commit: sha.slice(0, 7), dirty: false, source: `git archive ${ref} (${sha.slice(0, 7)})` };
  } else {
    const files = git('ls-files', '-z', '-co', '--exclude-standard').split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(root, file))) continue; // deleted, not yet committed
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(root, file), join(dir, file));
    }
    const changes = git('status', '--porcelain', '--untracked-files=all');
    tree = {
      dir,
      commit: git('rev-parse', '--short=7', 'HEAD'),
      dirty: changes !== '',
      changes: changes.split('\n').filter(Boolean),
      source: 'working tree',
    };
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const redoc = 'public/docs/redoc.standalone.js'; // a build output, not in git
  if (existsSync(join(root, redoc))) copyFileSync(join(root, redoc), join(dir, redoc));
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Processes, as /proc shows them

function processTable() {
  const table = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      table.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // gone
    }
  }
  return table;
}

export function descendants(pid) {
  const table = processTable();
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const p of table) {
      if (p.ppid === parent) {
        found.push(p);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

export const alive = (pid) => {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
};

/** utime + stime of a process, in seconds (NaN once it is gone). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** Waits until `pids` together use ≤ 10 % of a core over 200 ms (at most 30 s). */
export async function settle(pids) {
  const list = [pids].flat();
  const cpu = () => list.reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
  const start = performance.now();
  for (;;) {
    const before = cpu();
    await sleep(200);
    if (!(cpu() - before > 0.02) || performance.now() - start > 30_000) return;
  }
}

export const rssOf = (pid) => {
  try {
    return readRss(pid);
  } catch {
    return { rssKb: Number.NaN, hwmKb: Number.NaN };
  }
};

// ---------------------------------------------------------------------------------------------
// wrangler dev and its workerd

/**
 * Starts wrangler dev (both Workers) on `tree` with its Hyperdrive bindings on the bench database,
 * the test-only clock pinned to the dataset's last day and `queryTimeoutMs` as the query budget;
 * `vars` adds or overrides --var bindings (bench/wan.mjs raises STREAM_MAX_PER_KEY).
 */
export async function startWorker(tree, db, { queryTimeoutMs, stateDir, vars = {} }) {
  mkdirSync(benchDir, { recursive: true });
  const logFile = join(benchDir, 'wrangler.log');
  const started = await startWranglerDev({
    databases: db.urls,
    cwd: tree.dir,
    // Its own process group: stopWorker (and the exit hook below) end wrangler and its workerd
    // children together, even when the script dies of an uncaught error.
    detached: true,
    stderr: openSync(logFile, 'a'),
    logPath: join(benchDir, 'wrangler-logs'),
    args: ['--persist-to', stateDir, '--log-level', 'warn'],
    vars: {
      // The test-only clock: the default windows of /analytics end on the dataset's last day.
      ENVIRONMENT: 'test',
      TEST_CLOCK,
      // Measure the work, not the production 10 s query budget (the report flags requests over it).
      DB_QUERY_TIMEOUT_MS: String(queryTimeoutMs),
      ...vars,
    },
    env: {
      // wrangler's own inspector proxy would hold the Worker's only inspector session, and it was
      // seen attached to an isolate whose heap never moved (after its start-up reload). This is
      // the switch wrangler reads to leave the runtime inspector to a debugger (VS Code's); the
      // bench then connects to workerd's inspector itself.
      VSCODE_INSPECTOR_OPTIONS: '{}',
    },
  });
  const { child, port } = started;
  const worker = {
    child,
    baseUrl: started.baseUrl,
    inspectorPort: started.inspectorPort,
    logFile,
    stateDir,
    pids: [],
  };
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', killGroup);
  worker.killGroup = killGroup;
  // wrangler dev runs two workerd processes: the proxy on our port, and the one running the
  // Workers, which is the one started with an inspector address.
  const family = descendants(child.pid);
  worker.pids = [child.pid, ...family.map((p) => p.pid)];
  const workerd = family.filter((p) => /workerd$/.test(p.cmdline[0] ?? ''));
  const runtime =
    workerd.find((p) => p.cmdline.some((a) => a.startsWith('--inspector-addr'))) ??
    workerd.find((p) => !p.cmdline.some((a) => a.includes(`:${port}`)));
  if (!runtime) throw new Error('could not find the workerd process running the Worker');
  worker.workerdPid = runtime.pid;
  try {
    const name = /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(tree.dir, 'wrangler.toml'), 'utf8'))?.[1];
    worker.inspector = await Inspector.connectToWorkerd(runtime.pid, `core:user:${name}`);
    await worker.inspector.heapUsage();
  } catch (error) {
    worker.inspectorError = error.message;
    worker.inspector = undefined;
  }
  worker.sampler = new RssSampler(runtime.pid);
  return worker;
}

/** Starts wrangler dev on `tree` (both Workers, the bench databases, a 120 s query budget). */
export async function startBenchWorker(tree, db, tag) {
  return startWorker(tree, db, {
    queryTimeoutMs: 120_000,
    stateDir: join(benchDir, `state-${process.pid}-${tag}`),
  });
}

export async function stopWorker(worker) {
  if (!worker) return;
  worker.inspector?.close();
  await worker.sampler?.close();
  const pids = [...new Set([...worker.pids, ...descendants(worker.child.pid).map((p) => p.pid)])];
  try {
    process.kill(-worker.child.pid, 'SIGTERM'); // the group: wrangler, its node, both workerd
  } catch {}
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  worker.killGroup();
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  process.removeListener('exit', worker.killGroup);
  rmSync(worker.stateDir, { recursive: true, force: true });
}

/**
 * GET `url` and read its whole body with node:http, calling `onChunk(buffer)` for each piece as it
 * arrives. Resolves { status } at the end of the body; rejects when it breaks or `signal` aborts.
 * Not fetch: undici took far longer (and a core) than node:http or curl to read the same large
 * body from the same Worker, and the client shares the cores.
 */
export function readBody(url, headers, { signal, onChunk = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, signal, agent: false }, (res) => {
      res.on('data', onChunk);
      res.on('end', () =>
        res.complete ? resolve({ status: res.statusCode }) : reject(new Error('body cut short')),
      );
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('body cut short')));
    });
    req.on('error', reject);
    req.end();
  });
}
