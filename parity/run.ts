#!/usr/bin/env node
// `npm run parity`: replays a capture (fixtures/manifest.json format) against the Worker and
// compares status, Content-Type and body bytes, case by case, in manifest order.
//
//   npm run parity                                   S1 capture, Worker started locally
//   npm run parity -- --fixtures DIR --seed DIR      another capture with its own seed dataset
//   npm run parity -- --base-url URL                 against a running deployment
//   npm run parity -- --primary URL --candidate URL [--secondary URL] [--requests FILE]
//                                                    cutover reconciler (seed 001 Phase 8)
//
// Locally the Worker runs under `wrangler dev` (workerd) with its Hyperdrive bindings on scratch
// databases of the `test` MariaDB instance loaded with the capture's seed (never the dev ones),
// the capture's clock pinned through the test-only clock binding, and fresh rate-limit state.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../scripts/local-db.mjs';
import { compareCase, summaryTable, type Verdict } from './compare.ts';
import { send10 } from './http10.ts';
import {
  type CaptureCase,
  type CaptureManifest,
  requestOf,
  resetRequestOf,
  zonedInstant,
} from './manifest.ts';
import { reconcile } from './reconcile.ts';

const { values: args } = parseArgs({
  options: {
    fixtures: { type: 'string', default: join(projectRoot, 'fixtures') },
    seed: { type: 'string', default: join(projectRoot, 'db/seed') },
    schema: { type: 'string', default: join(projectRoot, 'db/schema') },
    'base-url': { type: 'string' },
    primary: { type: 'string' },
    candidate: { type: 'string' },
    secondary: { type: 'string' },
    requests: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 12)
      .join('\n'),
  );
  process.exit(0);
}

const fixturesDir = resolve(args.fixtures!);
const manifest = JSON.parse(readFileSync(join(fixturesDir, 'manifest.json'), 'utf8')) as CaptureManifest;

if (args.primary || args.candidate) {
  if (!args.primary || !args.candidate) throw new Error('--primary and --candidate go together');
  const requests = args.requests
    ? (JSON.parse(readFileSync(resolve(args.requests), 'utf8')) as CaptureManifest)
    : manifest;
  const differences = await reconcile(requests, {
    primary: args.primary,
    candidate: args.candidate,
    secondary: args.secondary,
  });
  process.exit(differences > 0 ? 1 : 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

/** The Worker and the auth helper under `wrangler dev`, on scratch databases; stopped by the returned function. */
async function startLocalWorker(): Promise<{ baseUrl: string; stop: () => void }> {
  const fingerprint = createHash('sha256')
    .update(resolve(args.seed!))
    .update(resolve(args.schema!))
    .digest('hex');
  const db = await start('test', {
    databases: {
      prefix: `parity_${fingerprint.slice(0, 10)}_`,
      schemaDir: resolve(args.schema!),
      seedDir: resolve(args.seed!),
    },
    log: false,
  });
  const port = await freePort();
  const stateDir = join(projectRoot, `.local/parity-state/${process.pid}`);
  const clock = zonedInstant(manifest.clock, manifest.timezone).toISOString();
  const child = spawn(
    join(projectRoot, 'node_modules/.bin/wrangler'),
    [
      'dev',
      '-c',
      'wrangler.toml',
      '-c',
      'auth-helper/wrangler.toml',
      '--env=',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      // Fresh Durable Object and KV state: every allowance starts empty.
      '--persist-to',
      stateDir,
      '--var',
      'ENVIRONMENT:test',
      '--var',
      `TEST_CLOCK:${clock}`,
      '--log-level',
      'warn',
    ],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_CONSOLE: db.urls.console,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_AGGREGATE: db.urls.aggregate,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(projectRoot, '.local/wrangler-logs'),
      },
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/__health`)).ok) {
        const stop = () => {
          child.kill('SIGTERM');
          rmSync(stateDir, { recursive: true, force: true });
        };
        return { baseUrl, stop };
      }
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL');
  throw new Error('wrangler dev did not become ready in 120 s');
}

const local = args['base-url'] ? undefined : await startLocalWorker();
const baseUrl = args['base-url'] ?? local!.baseUrl;
const results: Array<{ case: CaptureCase; verdict: Verdict }> = [];
try {
  for (const c of manifest.cases) {
    const expected = c.body ? new Uint8Array(readFileSync(join(fixturesDir, c.body))) : undefined;
    let verdict: Verdict;
    try {
      if (c.reset_rate_limit) await send10(baseUrl, resetRequestOf(manifest, c));
      verdict = compareCase(c, expected, await send10(baseUrl, requestOf(manifest, c)));
    } catch (error) {
      verdict = { ok: false, reason: `request failed: ${(error as Error).message}` };
    }
    results.push({ case: c, verdict });
  }
} finally {
  local?.stop();
}

console.log(
  `\nparity: ${manifest.dataset} capture (${fixturesDir}) against ${args['base-url'] ?? 'the local Worker'}\n`,
);
console.log(summaryTable(results));
const failed = results.filter((r) => !r.verdict.ok);
for (const { case: c, verdict } of failed) {
  // The request as sent, with key values masked: keys never reach a log.
  const target = requestOf(manifest, c).target.replace(
    /((?:^|[?&])(?:api_key|integration_key)=)[^&]*/g,
    '$1***',
  );
  console.log(`\n✗ ${c.id}: ${c.method} ${target}\n    ${verdict.reason}`);
}
console.log(`\nparity: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
