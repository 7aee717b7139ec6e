#!/usr/bin/env node
// `npm run parity:legacy`: the Worker against the runnable legacy (../shared/legacy/oracle) on
// generated datasets and requests, the way a migration team shadows the old origin.
//
//   npm run parity:legacy                         5 seeds (CI's bounded run)
//   npm run parity:legacy -- --seeds 200 --minutes 60 [--first-seed N] [--cases 500]
//   npm run parity:legacy -- --seed 17            one dataset
//   npm run parity:legacy -- --scale 20           datasets 20 times as large (dataset.ts)
//   npm run parity:legacy -- --keep               shrink each new difference and keep it as a
//                                                 regression case in parity/regressions/
//
// For each seed: a dataset (dataset.ts) is written into scratch databases of the `test` MariaDB
// instance that both origins read (the oracle under `php -S`, the Worker under `wrangler dev` with
// its test clock), then every case of its request list (requests.ts) is sent to both and the
// answers compared: status, Content-Type, Retry-After and body bytes (errors: status and
// Retry-After only). A difference is shrunk (shrink.ts) to the smallest dataset and request that
// still differ. The regression cases of parity/regressions/ are replayed first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM script without type declarations
import { oracleDbOf, startOracle } from '../../scripts/legacy-oracle.mjs';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../../scripts/wrangler-dev.mjs';
import { endpointOf } from '../manifest.ts';
import { generateDataset } from './dataset.ts';
import { DatasetLoader, datasetSql } from './load.ts';
import { type Difference, differenceOf, maskedTarget, type Origins, type Pair, sendBoth } from './origins.ts';
import { Random } from './random.ts';
import { keepRegression, replayRegressions } from './regressions.ts';
import { type DiffCase, generateCases } from './requests.ts';
import { shrink } from './shrink.ts';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    seed: { type: 'string' },
    'first-seed': { type: 'string', default: '1' },
    cases: { type: 'string', default: '500' },
    // Larger generated datasets (dataset.ts): every live account with `scale` times the advertisers.
    scale: { type: 'string', default: '1' },
    minutes: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
    'shrink-seconds': { type: 'string', default: '90' },
    regressions: { type: 'string', default: join(projectRoot, 'parity/regressions') },
    verbose: { type: 'boolean', default: false },
    // Runs side by side on one machine each need their own scratch databases.
    slot: { type: 'string', default: '0' },
    // Serve the Worker of another checkout (an older commit, to capture the regressions it had).
    'worker-tree': { type: 'string' },
  },
});

const firstSeed = Number(args.seed ?? args['first-seed']);
const seedCount = args.seed ? 1 : Number(args.seeds);
const casesPerSeed = Number(args.cases);
const scale = Number(args.scale);
if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale: a whole number from 1');
const concurrency = Number(args.concurrency);
const deadline = args.minutes ? Date.now() + Number(args.minutes) * 60_000 : Number.POSITIVE_INFINITY;

const started = Date.now();
if (!/^[0-9a-z]{1,8}$/.test(args.slot!)) throw new Error('--slot: up to 8 digits or lowercase letters');
const db = await start('test', {
  databases: { prefix: `difflegacy${args.slot}_`, seedDir: null },
  log: false,
});
const stateDir = mkdtempSync(join(tmpdir(), 'parity-legacy-'));
const oracle = await startOracle({
  db: oracleDbOf(db),
  stateDir: join(stateDir, 'oracle'),
  workers: concurrency,
});
let worker: { baseUrl: string; stop: () => void } | undefined;
let loader: DatasetLoader | undefined;
let exitCode = 0;
try {
  worker = await startWranglerDev({
    databases: db.urls,
    vars: { ENVIRONMENT: 'test', TEST_CLOCK: '2026-11-22T15:30:00Z' },
    args: ['--persist-to', join(stateDir, 'worker'), '--log-level', 'warn'],
    ...(args['worker-tree'] ? { cwd: args['worker-tree'] } : {}),
  });
  loader = await DatasetLoader.open(db.adminUrl, db.databases);
  const origins: Origins = { legacy: oracle.baseUrl, worker: worker!.baseUrl };
  console.log(
    `parity:legacy: oracle ${origins.legacy}, worker ${origins.worker} (ready in ${secondsSince(started)} s)`,
  );

  const regressions = await replayRegressions(args.regressions!, loader, origins);
  const failedRegressions = regressions.filter((r) => r.worker || r.legacy);
  for (const r of failedRegressions) {
    if (r.legacy)
      console.log(`✗ regression ${r.name}: the oracle no longer gives the capture: ${r.legacy.detail}`);
    if (r.worker) console.log(`✗ regression ${r.name}: ${r.worker.detail}`);
  }
  console.log(
    `parity:legacy: ${regressions.length - failedRegressions.length}/${regressions.length} regression cases pass`,
  );

  const report = await runSeeds(loader, origins);
  if (report.differences > 0 || failedRegressions.length > 0) exitCode = 1;
} finally {
  await loader?.close();
  worker?.stop();
  oracle.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exit(exitCode);

function secondsSince(t: number): string {
  return ((Date.now() - t) / 1000).toFixed(1);
}

interface Found {
  seed: number;
  c: DiffCase;
  difference: Difference;
  pair: Pair;
}

/** A difference's group: the endpoint, the legacy's answer and how the Worker's differs. */
function signature(f: Found): string {
  const path = f.c.target.split('?')[0]!;
  return `${endpointOf(path)} ${f.pair.legacy.status} ${f.difference.kind}`;
}

async function runSeeds(dl: DatasetLoader, origins: Origins) {
  let datasets = 0;
  let cases = 0;
  const found: Found[] = [];
  const groups = new Map<string, Found[]>();
  const shrunkGroups = new Set<string>();
  for (let seed = firstSeed; seed < firstSeed + seedCount && Date.now() < deadline; seed++) {
    const t0 = Date.now();
    const root = new Random(seed);
    const dataset = generateDataset(seed, root, scale);
    const list = generateCases(dataset, root, casesPerSeed);
    await dl.load(datasetSql(dataset));
    const differences = await runCases(origins, list);
    datasets++;
    cases += list.length;
    for (const d of differences) {
      const f = { seed, ...d };
      found.push(f);
      const group = groups.get(signature(f)) ?? [];
      group.push(f);
      groups.set(signature(f), group);
    }
    console.log(
      `seed ${seed}: ${list.length} cases, ${differences.length} difference(s), ${secondsSince(t0)} s` +
        ` (${Object.values(dataset.console).reduce((n, t) => n + t.length, 0)} console rows,` +
        ` ${Object.values(dataset.aggregate).reduce((n, t) => n + t.length, 0)} aggregate rows)`,
    );
    if (args.verbose) for (const d of differences) printFound({ seed, ...d });
    // The first difference of each new group is shrunk while its dataset is loaded.
    for (const d of differences) {
      const f = { seed, ...d };
      if (shrunkGroups.has(signature(f))) continue;
      shrunkGroups.add(signature(f));
      await shrinkAndReport(dl, origins, dataset, f);
    }
  }
  console.log(
    `\nparity:legacy: ${datasets} dataset(s), ${cases} cases, ${found.length} difference(s) in ${groups.size} group(s), ${secondsSince(started)} s`,
  );
  for (const [sig, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${list.length} × ${sig}  (first: seed ${list[0]!.seed} ${list[0]!.c.id})`);
  }
  return { datasets, cases, differences: found.length };
}

function printFound(f: Found): void {
  console.log(`✗ seed ${f.seed} ${f.c.id}: ${f.c.method} ${maskedTarget(f.c.target)} @ ${f.c.clock}`);
  const headers = f.c.headers.filter(([n]) => !/key/i.test(n));
  if (headers.length) console.log(`    headers: ${JSON.stringify(headers)}`);
  console.log(`    ${f.difference.detail}`);
}

async function shrinkAndReport(
  dl: DatasetLoader,
  origins: Origins,
  dataset: Parameters<typeof datasetSql>[0],
  f: Found,
) {
  printFound(f);
  if (args['no-shrink'] || (f.c.sequence && !f.c.resetKey)) return;
  const shrunk = await shrink(
    dl,
    origins,
    dataset,
    f.c,
    f,
    Date.now() + Number(args['shrink-seconds']) * 1000,
  );
  console.log(
    `    shrunk in ${shrunk.attempts} attempts to ${shrunk.rowsAfter} of ${shrunk.rowsBefore} rows: ` +
      `${shrunk.request.method} ${maskedTarget(shrunk.request.target)}`,
  );
  const rest = Object.entries({ ...shrunk.dataset.console, ...shrunk.dataset.aggregate })
    .filter(([t, rows]) => rows.length && t !== 'account' && t !== 'api')
    .map(([t, rows]) => `${t}: ${JSON.stringify(rows).slice(0, 600)}`);
  for (const line of rest) console.log(`      ${line}`);
  console.log(`    ${shrunk.difference.detail}`);
  if (args.keep) {
    const name = `s${f.seed}-${f.c.id}-${signature(f)
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    console.log(`    kept as ${keepRegression(args.regressions!, name, f.seed, shrunk)}`);
  }
  // Put the seed's dataset back for the seeds' remaining work.
  await dl.load(datasetSql(dataset));
}

/**
 * Cases without an allowance reset run `concurrency` at a time (their keys' allowances are far
 * above the run); cases that start from an emptied allowance, and the rate-limit sequences they
 * open, run one at a time afterwards, in order.
 */
async function runCases(origins: Origins, list: DiffCase[]) {
  const differences: Array<{ c: DiffCase; difference: Difference; pair: Pair }> = [];
  const free = list.filter((c) => !c.sequence && !c.resetKey);
  const ordered = list.filter((c) => c.sequence || c.resetKey);
  const check = async (c: DiffCase) => {
    let pair: Pair;
    try {
      pair = await sendBoth(origins, c);
    } catch (error) {
      throw new Error(`${c.id}: ${(error as Error).message}`);
    }
    const difference = differenceOf(pair);
    if (difference) differences.push({ c, difference, pair });
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < free.length) await check(free[next++]!);
    }),
  );
  for (const c of ordered) await check(c);
  return differences.sort((a, b) => Number(a.c.id.slice(1)) - Number(b.c.id.slice(1)));
}
