#!/usr/bin/env node
// Before/after of a change: two trees (git refs, or the working tree) served side by side by two
// wrangler dev on the bench data, measured in interleaved rounds (A then B, B then A, …) so that
// what the shared machine does meanwhile falls on both. Per cell and round: workerd CPU (the
// process running the Workers, /proc/<pid>/stat) and wall time per request; the report gives the
// medians over the rounds and B / A.
//   small:     the small endpoints, N requests each at concurrency C after 50 of warm-up
//   connector: one 365-day /dataconnector per format and version (v1/v2 × json/csv)
//
//   flock /tmp/bench.lock node bench/ab.mjs --a REF [--b REF] [--b-patch FILE] [--part small|connector]
//     [--rounds 5] [--requests 300] [--concurrency 1] [--paths LIST]
// --paths: the small part's paths, comma-separated, instead of the small endpoints (e.g. answers
// that are refusals or errors: /nope, /advertisers/999999).
// Without --b, B is the working tree. --b-patch applies a patch to B's snapshot: with A = B = one
// commit and a patch of bench/ablations/ that removes a part, the difference is what that part costs.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connectorPath } from './dataset.mjs';
import { fmt, table } from './figures.mjs';
import { REQUEST_HEADERS } from './legacy-server.mjs';
import { ensureBenchData } from './load-data.mjs';
import {
  cpuSeconds,
  readBody,
  requireProjectNode,
  settle,
  snapshotTree,
  startBenchWorker,
  stopWorker,
} from './worker.mjs';

const SMALL = ['/advertisers', '/advertisers/1', '/campaigns', '/campaigns/1', '/v2.0/analytics/1'];
const CONNECTOR = [
  ['v1 json', 1, ''],
  ['v1 csv', 1, '&format=csv'],
  ['v2 json', 2, ''],
  ['v2 csv', 2, '&format=csv'],
];
const WARMUP = 50;

/** `amount` GETs of `url` over `connections` keep-alive connections, each one at a time. */
async function load(url, amount, connections) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  const one = () =>
    new Promise((resolve) => {
      const req = httpGet(url, { agent, headers: REQUEST_HEADERS }, (res) => {
        res.on('data', () => {});
        res.on('end', resolve);
      });
      req.on('error', resolve);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < amount) {
        sent++;
        await one();
      }
    }),
  );
  agent.destroy();
}

/** A snapshot of `ref` (the working tree when undefined) in a directory of its own. */
function tree(ref, side) {
  const t = snapshotTree(ref);
  const dir = `${t.dir}-${side}`;
  rmSync(dir, { recursive: true, force: true });
  renameSync(t.dir, dir);
  return { ...t, dir };
}

/**
 * Applies `patch` to a snapshot. git apply, kept from finding the project's repository above the
 * snapshot (it would take the paths as relative to that repository's root).
 */
function applyPatch(t, patch) {
  execFileSync('git', ['apply', '--whitespace=nowarn', resolve(patch)], {
    cwd: t.dir,
    env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(t.dir) },
  });
  return { ...t, source: `${t.source} + ${patch}` };
}

const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/**
 * Serves trees A and B (git refs, the working tree when undefined; `bPatch` applied to B) side by
 * side and measures them in interleaved rounds: per cell, the medians of workerd CPU and wall time.
 */
export async function compareTrees({
  a,
  b,
  bPatch,
  part = 'small',
  paths = SMALL,
  rounds = 5,
  requests = 300,
  concurrency = 1,
  log = (line) => console.error(line),
}) {
  const { db } = await ensureBenchData({ quiet: true });
  const trees = { A: tree(a, 'A'), B: tree(b, 'B') };
  if (bPatch) trees.B = applyPatch(trees.B, bPatch);
  const workers = {};
  const results = {};
  try {
    for (const side of ['A', 'B']) workers[side] = await startBenchWorker(trees[side], db, `ab${side}`);
    const cells =
      part === 'small'
        ? paths.map((path) => ({ name: path, path }))
        : CONNECTOR.map(([name, version, format]) => ({ name, path: connectorPath(version, 365) + format }));
    for (let round = 0; round < rounds; round++) {
      for (const cell of cells) {
        for (const side of round % 2 ? ['B', 'A'] : ['A', 'B']) {
          const worker = workers[side];
          const url = worker.baseUrl + cell.path;
          let count = 1;
          if (part === 'small') {
            await load(url, WARMUP, concurrency);
            count = requests;
          }
          await settle([worker.workerdPid]);
          const cpuBefore = cpuSeconds(worker.workerdPid);
          const start = performance.now();
          if (part === 'small') await load(url, requests, concurrency);
          else await readBody(url, REQUEST_HEADERS);
          const wallMs = (performance.now() - start) / count;
          const cpuMs = ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / count;
          results[cell.name] ??= { A: [], B: [] };
          results[cell.name][side].push({ cpuMs, wallMs });
          log(`round ${round} ${side} ${cell.name}: CPU ${fmt(cpuMs, 2)} ms, wall ${fmt(wallMs, 2)} ms`);
        }
      }
    }
  } finally {
    for (const worker of Object.values(workers)) await stopWorker(worker);
    for (const t of Object.values(trees)) rmSync(t.dir, { recursive: true, force: true });
  }
  const cells = Object.entries(results).map(([name, { A, B }]) => ({
    name,
    cpuA: median(A.map((x) => x.cpuMs)),
    cpuB: median(B.map((x) => x.cpuMs)),
    wallA: median(A.map((x) => x.wallMs)),
    wallB: median(B.map((x) => x.wallMs)),
  }));
  const describe = (t) => `${t.source}${t.dirty ? ' + uncommitted changes' : ''}`;
  return { a: describe(trees.A), b: describe(trees.B), cells };
}

async function main() {
  requireProjectNode();
  const { values } = parseArgs({
    options: {
      a: { type: 'string' },
      b: { type: 'string' },
      'b-patch': { type: 'string' },
      part: { type: 'string', default: 'small' },
      rounds: { type: 'string', default: '5' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '1' },
      paths: { type: 'string' },
    },
  });
  if (!values.a || !['small', 'connector'].includes(values.part)) {
    throw new Error(
      'usage: bench/ab.mjs --a REF [--b REF] [--b-patch FILE] [--part small|connector] [--rounds N] [--paths LIST]',
    );
  }
  const rounds = Number(values.rounds);
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const compared = await compareTrees({
    a: values.a,
    b: values.b,
    bPatch: values['b-patch'],
    part: values.part,
    paths: values.paths?.split(',').filter(Boolean) ?? SMALL,
    rounds,
    requests,
    concurrency,
  });
  const rows = compared.cells.map(({ name, cpuA, cpuB, wallA, wallB }) => [
    name,
    fmt(cpuA, 2),
    fmt(cpuB, 2),
    `${fmt(cpuB / cpuA, 2)}×`,
    fmt(wallA, 2),
    fmt(wallB, 2),
    `${fmt(wallB / wallA, 2)}×`,
  ]);
  const unit = values.part === 'small' ? 'ms per request' : 'ms';
  console.log(
    `A: ${compared.a}; B: ${compared.b}; ` +
      `${rounds} rounds${values.part === 'small' ? `, ${requests} requests per cell at c${concurrency}` : ''}; medians\n`,
  );
  console.log(
    table(
      [
        'cell',
        `CPU A ${unit}`,
        `CPU B ${unit}`,
        'CPU B / A',
        `wall A ${unit}`,
        `wall B ${unit}`,
        'wall B / A',
      ],
      rows,
    ),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
