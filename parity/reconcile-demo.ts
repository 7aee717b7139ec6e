#!/usr/bin/env node
// The cutover reconciler run for real on this machine: the legacy oracle (PHP,
// ../shared/legacy/oracle) as primary and the Worker under `wrangler dev` as candidate, both on
// scratch databases of the private `test` MariaDB loaded with the S1 seed, the S1 requests
// (fixtures/manifest.json) replayed at the capture's clock.
//
//   node_modules/.bin/node parity/reconcile-demo.ts              expect 0 differences
//   node_modules/.bin/node parity/reconcile-demo.ts --secondary  a second oracle as secondary (noise)
//   node_modules/.bin/node parity/reconcile-demo.ts --alter      the Worker on a seed copy where
//                                                                advertiser 11 is renamed: must differ
//
// Exits as the reconciler does: 1 when any case differs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM script without type declarations
import { oracleDbOf, startOracle } from '../scripts/legacy-oracle.mjs';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../scripts/wrangler-dev.mjs';
import { type CaptureManifest, zonedInstant } from './manifest.ts';
import { reconcile } from './reconcile.ts';

const { values: args } = parseArgs({
  options: {
    secondary: { type: 'boolean', default: false },
    alter: { type: 'boolean', default: false },
  },
});

/** The one change `--alter` makes to the candidate's data: visible in JSON, XML and CSV alike. */
const ALTERATION = { from: "(11, 1, 'Acme & Sons',", to: "(11, 1, 'Acme + Sons'," };

const manifest = JSON.parse(
  readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8'),
) as CaptureManifest;
const scratch = mkdtempSync(join(tmpdir(), 'reconcile-demo-'));
const stops: Array<() => void> = [];

/** The candidate's seed: db/seed itself, or a copy with the alteration (its own databases). */
function candidateSeed(): string {
  if (!args.alter) return join(projectRoot, 'db/seed');
  const dir = join(scratch, 'seed');
  mkdirSync(dir);
  for (const name of ['console.sql', 'aggregate.sql']) {
    let sql = readFileSync(join(projectRoot, 'db/seed', name), 'utf8');
    if (name === 'console.sql') {
      if (!sql.includes(ALTERATION.from)) throw new Error('db/seed changed: update ALTERATION');
      sql = sql.replace(ALTERATION.from, ALTERATION.to);
    }
    writeFileSync(join(dir, name), sql);
  }
  return dir;
}

let differences = 1;
try {
  const db = await start('test', { databases: { prefix: 'reconcile_demo_' }, log: false });
  // One process each: php -S's forked workers outlive the SIGTERM that stop() sends to their
  // parent, and the reconciler asks each origin one request at a time anyway.
  const oracle = await startOracle({
    db: oracleDbOf(db),
    stateDir: join(scratch, 'oracle-state'),
    workers: 1,
  });
  stops.push(oracle.stop);
  const secondary = args.secondary
    ? await startOracle({ db: oracleDbOf(db), stateDir: join(scratch, 'oracle-state-2'), workers: 1 })
    : undefined;
  if (secondary) stops.push(secondary.stop);

  const workerDb = args.alter
    ? await start('test', {
        databases: { prefix: 'reconcile_demo_alt_', seedDir: candidateSeed() },
        log: false,
      })
    : db;
  const worker = await startWranglerDev({
    databases: workerDb.urls,
    // The capture's clock (test-only binding) and fresh Durable Object state: allowances start empty.
    vars: { ENVIRONMENT: 'test', TEST_CLOCK: zonedInstant(manifest.clock, manifest.timezone).toISOString() },
    args: ['--persist-to', join(scratch, 'worker-state'), '--log-level', 'warn'],
  });
  stops.push(worker.stop);

  differences = await reconcile(manifest, {
    primary: oracle.baseUrl,
    candidate: worker.baseUrl,
    secondary: secondary?.baseUrl,
  });
} finally {
  for (const stop of stops.reverse()) stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(differences > 0 ? 1 : 0);
