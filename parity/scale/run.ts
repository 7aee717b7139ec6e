#!/usr/bin/env node
// `npm run parity:scale`: the Worker against the runnable legacy, byte for byte, on the bench
// dataset (1.6 M metric rows; `npm run bench:data` loads it, this loads it when missing). The
// generated datasets of `npm run parity:legacy` hold thousands of rows: here answers run to
// hundreds of megabytes, across many socket reads, row batches and body chunks, in every format.
//
//   npm run parity:scale                      every request of requests.ts (~3 minutes; the
//                                             legacy needs up to ~3 GB of memory for a year of
//                                             /dataconnector)
//   npm run parity:scale -- --match connector only the targets this regular expression matches
//   npm run parity:scale -- --no-large        leave out the year-long /dataconnector bodies
//
// Each request goes to the legacy first (`php -S`, no memory or time limit, its clock pinned by
// X-Oracle-Now), whose body is written to a scratch file, then to the Worker (`wrangler dev` with
// the production budgets and its test clock at the same instant), whose body is compared with that
// file as it streams (streamed-compare.ts): status, Content-Type and every body byte. A request
// either origin does not answer 200 is a failure too: it would compare nothing. Last, the requests
// of scaleRequestsAtOnce go to the Worker together, each compared with the legacy's answer.
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM module without type declarations
import { KEY_HEADERS, TEST_CLOCK } from '../../bench/dataset.mjs';
// @ts-expect-error plain ESM module without type declarations
import { ORACLE_NOW } from '../../bench/legacy-server.mjs';
// @ts-expect-error plain ESM module without type declarations
import { ensureBenchData, ensureClickthroughs } from '../../bench/load-data.mjs';
// @ts-expect-error plain ESM script without type declarations
import { oracleDbOf, startOracle } from '../../scripts/legacy-oracle.mjs';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../../scripts/wrangler-dev.mjs';
import { type ScaleRequest, scaleRequests, scaleRequestsAtOnce } from './requests.ts';
import { StreamedComparison, type StreamedVerdict } from './streamed-compare.ts';

const { values: args } = parseArgs({
  options: {
    match: { type: 'string' },
    'no-large': { type: 'boolean', default: false },
  },
});

/** The legacy needs about 45 s for the largest body here; a stuck origin fails the request. */
const REQUEST_TIMEOUT_MS = 300_000;

/** Both clocks at the dataset's last day, 10:30 New York (the Worker's TEST_CLOCK). */
const CLOCK = new Date(TEST_CLOCK as string).toISOString();
const HEADERS: Record<string, string> = {
  ...(KEY_HEADERS as Record<string, string>),
  'X-Oracle-Now': ORACLE_NOW as string,
  'x-test-clock': CLOCK,
};

const pattern = args.match ? new RegExp(args.match) : undefined;
const chosen = (r: ScaleRequest) => (!pattern || pattern.test(r.target)) && !(args['no-large'] && r.large);
const requests = scaleRequests().filter(chosen);
const together = scaleRequestsAtOnce().filter(chosen);

interface Answer {
  status: number;
  contentType: string | undefined;
  bytes: number;
  ms: number;
}

/** GETs `target` and hands every body chunk to `onChunk` as it arrives. */
function get(baseUrl: string, target: string, onChunk: (chunk: Buffer) => void): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      baseUrl + target,
      { headers: HEADERS, timeout: REQUEST_TIMEOUT_MS },
      (res: IncomingMessage) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          onChunk(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            bytes,
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

interface Outcome {
  request: ScaleRequest;
  /** Where the legacy's body is kept until the Worker's has been compared with it. */
  file: string;
  legacy?: Answer;
  worker?: Answer;
  verdict?: StreamedVerdict;
  problem?: string;
}

/** The legacy's answer to `request`, its body written to `file`. */
async function legacyAnswer(origin: string, request: ScaleRequest, file: string): Promise<Outcome> {
  const outcome: Outcome = { request, file };
  const fd = openSync(file, 'w');
  try {
    outcome.legacy = await get(origin, request.target, (chunk) => writeSync(fd, chunk));
  } catch (error) {
    outcome.problem = `legacy: ${(error as Error).message}`;
  } finally {
    closeSync(fd);
  }
  return outcome;
}

/** The Worker's answer to the same request, compared with the legacy's as it streams. */
async function compareWorker(origin: string, outcome: Outcome): Promise<Outcome> {
  if (outcome.problem || !outcome.legacy) return outcome;
  const comparison = new StreamedComparison(outcome.file, outcome.legacy.bytes);
  try {
    outcome.worker = await get(origin, outcome.request.target, (chunk) => comparison.update(chunk));
  } catch (error) {
    outcome.problem = `worker: ${(error as Error).message}`;
  }
  outcome.verdict = comparison.finish();
  rmSync(outcome.file, { force: true });
  if (outcome.problem) return outcome;
  const { legacy, worker } = outcome as Required<Outcome>;
  if (legacy.status !== 200 || worker.status !== 200) {
    outcome.problem = `status: legacy ${legacy.status}, worker ${worker.status} (200 expected from both)`;
  } else if (legacy.contentType !== worker.contentType) {
    outcome.problem = `Content-Type: legacy ${legacy.contentType}, worker ${worker.contentType}`;
  } else if (!outcome.verdict.same) {
    const v = outcome.verdict;
    outcome.problem =
      `body: ${v.referenceSize} bytes (legacy), ${v.size} (worker), first difference at byte ${v.offset}` +
      `\n    legacy ${JSON.stringify(v.reference?.toString('latin1'))}` +
      `\n    worker ${JSON.stringify(v.streamed?.toString('latin1'))}`;
  }
  return outcome;
}

const MiB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const started = Date.now();
const { db } = await ensureBenchData({ quiet: true });
await ensureClickthroughs(db);
const scratch = join(projectRoot, `.local/parity-scale/${process.pid}`);
mkdirSync(scratch, { recursive: true });
const oracle = await startOracle({
  db: oracleDbOf(db),
  stateDir: join(scratch, 'oracle'),
  workers: 1,
  // Let it finish, whatever it takes: the year of v2 /dataconnector needs about 30 s of CPU, php -S's
  // default limit (CPU time on Linux), and about 3 GB.
  memoryLimit: '-1',
  maxExecutionTime: 0,
});
let worker: { baseUrl: string; stop: () => void } | undefined;
let failures = 0;
let compared = 0;
try {
  worker = await startWranglerDev({
    databases: db.urls,
    vars: { ENVIRONMENT: 'test', TEST_CLOCK: CLOCK },
    args: ['--persist-to', join(scratch, 'worker'), '--log-level', 'warn'],
  });
  const origins = { legacy: oracle.baseUrl as string, worker: worker!.baseUrl };
  console.log(
    `parity:scale: ${requests.length} requests one at a time, then ${together.length} at once; the bench dataset, clock ${CLOCK}`,
  );
  const report = (outcome: Outcome, note = '') => {
    const { legacy, worker: w } = outcome;
    const figures =
      legacy && w
        ? `${MiB(legacy.bytes)} MiB; legacy ${(legacy.ms / 1000).toFixed(2)} s, worker ${(w.ms / 1000).toFixed(2)} s${note}`
        : '';
    if (outcome.problem) {
      failures++;
      console.log(`✗ ${outcome.request.target}  ${figures}\n    ${outcome.problem}`);
    } else {
      compared += legacy!.bytes;
      console.log(`✓ ${outcome.request.target}  ${figures}`);
    }
  };
  for (const request of requests) {
    const outcome = await legacyAnswer(origins.legacy, request, join(scratch, 'legacy.body'));
    report(await compareWorker(origins.worker, outcome));
  }
  // The same isolate serving several bodies at once: the legacy's first, one after the other.
  const pending: Outcome[] = [];
  for (const [i, request] of together.entries()) {
    pending.push(await legacyAnswer(origins.legacy, request, join(scratch, `legacy-${i}.body`)));
  }
  for (const outcome of await Promise.all(pending.map((o) => compareWorker(origins.worker, o)))) {
    report(outcome, ' (at once)');
  }
} finally {
  worker?.stop();
  oracle.stop();
  rmSync(scratch, { recursive: true, force: true });
}
const total = requests.length + together.length;
console.log(
  `\nparity:scale: ${total - failures}/${total} identical (${MiB(compared)} MiB compared), ` +
    `${failures} failure(s), ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failures ? 1 : 0);
