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
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../scripts/wrangler-dev.mjs';
import { compareCase, summaryTable, type Verdict } from './compare.ts';
import { send10 } from './http10.ts';
import {
  type CaptureCase,
  type CaptureManifest,
  requestOf,
  resetRequestsOf,
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

/** The Worker under `wrangler dev` on scratch databases loaded with the capture's seed. */
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
  const stateDir = join(projectRoot, `.local/parity-state/${process.pid}`);
  const worker = await startWranglerDev({
    databases: db.urls,
    // The capture's clock (test-only binding) and fresh Durable Object state: allowances start empty.
    vars: { ENVIRONMENT: 'test', TEST_CLOCK: zonedInstant(manifest.clock, manifest.timezone).toISOString() },
    args: ['--persist-to', stateDir, '--log-level', 'warn'],
  });
  return {
    baseUrl: worker.baseUrl,
    stop: () => {
      worker.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

const local = args['base-url'] ? undefined : await startLocalWorker();
const baseUrl = args['base-url'] ?? local!.baseUrl;
const results: Array<{ case: CaptureCase; verdict: Verdict }> = [];
try {
  for (const c of manifest.cases) {
    const expected = c.body ? new Uint8Array(readFileSync(join(fixturesDir, c.body))) : undefined;
    let verdict: Verdict;
    try {
      if (c.reset_rate_limit) for (const reset of resetRequestsOf(manifest, c)) await send10(baseUrl, reset);
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
