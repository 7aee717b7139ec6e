#!/usr/bin/env node
// `npm run bench:ablations [-- options]`: what each part of a small request costs, measured by
// taking it out. For every patch of bench/ablations/ (each removes one part and says which on its
// first line), bench/ab.mjs serves REF and REF with the patch side by side in interleaved rounds;
// first REF against itself, which is the noise of the method on this machine at this time. Prints
// one table (workerd CPU per request, medians, B / A) and writes it to bench/data/.
//
//   flock /tmp/bench.lock node bench/ablations.mjs [--ref REF] [--rounds 5] [--requests 300]
//     [--concurrency 1] [--only NAME,...] [--paths LIST]
// --paths: the paths measured (bench/ab.mjs's small endpoints by default); a patch that changes
// only one path says so on its first line (e.g. --only health-before-the-app --paths /__health).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot as root } from '../scripts/local-db.mjs';
import { compareTrees } from './ab.mjs';
import { fmt, table } from './figures.mjs';
import { requireProjectNode } from './worker.mjs';

const dir = join(root, 'bench/ablations');

/** The patches, each with the sentence of its first line ("Ablation: …") as what it removes. */
function ablations() {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.patch'))
    .sort()
    .map((name) => ({
      name: name.replace(/\.patch$/, ''),
      file: join(dir, name),
      removes: readFileSync(join(dir, name), 'utf8')
        .split('\n')[0]
        .replace(/^Ablation: /, ''),
    }));
}

async function main() {
  requireProjectNode();
  const { values } = parseArgs({
    options: {
      ref: { type: 'string', default: 'HEAD' },
      rounds: { type: 'string', default: '5' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '1' },
      only: { type: 'string' },
      paths: { type: 'string' },
    },
  });
  const settings = {
    a: values.ref,
    b: values.ref,
    rounds: Number(values.rounds),
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    ...(values.paths ? { paths: values.paths.split(',').filter(Boolean) } : {}),
  };
  const only = values.only?.split(',');
  const runs = [
    { label: 'nothing: the tree against itself (the noise of this method here)' },
    ...ablations().filter((a) => !only || only.includes(a.name)),
  ];
  const started = new Date();
  const loadBefore = os.loadavg()[0];
  const rows = [];
  let header;
  let source;
  for (const run of runs) {
    const name = run.name ?? 'nothing';
    console.error(`[ablations] ${name}`);
    const compared = await compareTrees({
      ...settings,
      bPatch: run.file,
      log: (line) => console.error(`[ablations] ${name}: ${line}`),
    });
    source ??= compared.a;
    header ??= compared.cells.map((cell) => cell.name);
    rows.push([
      run.label ?? `\`${run.name}\`: ${run.removes}`,
      ...compared.cells.map(
        ({ cpuA, cpuB }) => `${fmt(cpuA, 2)} → ${fmt(cpuB, 2)} (${fmt(cpuB / cpuA, 2)}×)`,
      ),
    ]);
  }
  const markdown =
    `${source}; ${started.toISOString()}; ${settings.rounds} interleaved rounds of ${settings.requests} ` +
    `requests per cell at c${settings.concurrency}; workerd CPU ms per request, A → B (B / A), medians; ` +
    `load average (1 min) ${fmt(loadBefore, 1)} before, ${fmt(os.loadavg()[0], 1)} after.\n\n` +
    table(['B = A without', ...header], rows);
  console.log(markdown);
  mkdirSync(join(root, 'bench/data'), { recursive: true });
  const out = join(root, 'bench/data', `ablations-${started.toISOString().slice(0, 10)}.md`);
  writeFileSync(out, `${markdown}\n`);
  console.error(`[ablations] written to ${out}`);
}

await main();
