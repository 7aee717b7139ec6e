// Starts `wrangler dev` with the Public API Worker and the auth helper Worker beside it, their
// Hyperdrive bindings pointed at a local MariaDB (scripts/local-db.mjs), and waits until
// /__health answers. Used by `npm run dev`, the parity harness and the benchmark.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './local-db.mjs';

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * @param {object} options
 * @param {{ console: string, aggregate: string }} options.databases connection strings
 * @param {number} [options.port]
 * @param {Record<string, string>} [options.vars] extra `--var NAME:value` bindings
 * @param {string[]} [options.args] extra wrangler arguments (e.g. --persist-to)
 * @param {'inherit' | 'ignore'} [options.stdout]
 * @param {'inherit' | 'ignore' | number} [options.stderr] a file descriptor to log into
 * @param {string} [options.cwd] the tree to serve (default: this project; the benchmark serves a snapshot)
 * @param {number} [options.inspectorPort]
 * @param {string} [options.logPath] WRANGLER_LOG_PATH
 * @param {Record<string, string>} [options.env] extra environment variables
 * @param {boolean} [options.detached] its own process group, so that wrangler and both workerd
 *   processes can be ended together (`process.kill(-child.pid)`)
 * @param {boolean} [options.localObservability] wrangler dev's local observability (its own
 *   default, off here unless asked for): every invocation of each Worker, Durable Object and
 *   service binding calls included, streamed with its spans to a collector Worker in the same
 *   workerd, which stores them for wrangler's local explorer. Nothing like it runs in a deployed
 *   Worker's request path; it costs workerd a large share of its CPU per small request, and now
 *   and then workerd logs an error when the collector's tail session is cut short (trace-stream:
 *   "destination execution context ... canceled"). `npm run dev` keeps it for people; tests,
 *   parity runs and the benchmark do without.
 * @returns {Promise<{ baseUrl: string, port: number, inspectorPort: number, child: import('node:child_process').ChildProcess, stop: () => void }>}
 */
export async function startWranglerDev({
  databases,
  port,
  vars = {},
  args = [],
  stdout = 'ignore',
  stderr = 'inherit',
  cwd = projectRoot,
  inspectorPort,
  logPath = join(projectRoot, '.local/wrangler-logs'),
  env = {},
  detached = false,
  localObservability = false,
}) {
  const listenPort = port ?? (await freePort());
  const inspector = inspectorPort ?? (await freePort());
  // The project's Node 22 runs wrangler whatever node started this script (wrangler needs ≥ 22).
  const child = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    [
      join(projectRoot, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '-c',
      'wrangler.toml',
      '-c',
      'auth-helper/wrangler.toml',
      '--env=',
      '--ip',
      '127.0.0.1',
      '--port',
      String(listenPort),
      '--inspector-port',
      String(inspector),
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ...args,
    ],
    {
      cwd,
      detached,
      stdio: ['ignore', stdout, stderr],
      env: {
        ...process.env,
        // Local Hyperdrive: wrangler connects the bindings straight to these databases.
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_CONSOLE: databases.console,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_AGGREGATE: databases.aggregate,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: logPath,
        X_LOCAL_OBSERVABILITY: String(localObservability),
        ...env,
      },
    },
  );
  const baseUrl = `http://127.0.0.1:${listenPort}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  const started = { baseUrl, port: listenPort, inspectorPort: inspector, child, stop };
  for (let attempt = 0; attempt < 240; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/__health`)).ok) return started;
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL');
  throw new Error('wrangler dev did not become ready in 120 s');
}
