#!/usr/bin/env node
// `npm run parity:cutover`: the cutover machinery (src/cutover/) proven with the runnable legacy
// standing in for the PHP origin (seed 001 Phases 6 and 8).
//
// 1. Per-handler fallback: the S1 capture replayed with every handler switched to the legacy, then
//    with seeded random mixes; every case must give the captured answer (status, Retry-After, and
//    Content-Type and body bytes for a 200).
// 2. Live shadow comparison (SHADOW_SAMPLE_RATE=1): the S1 capture replayed with every handler on
//    the Worker, each case's `shadow.compare` line awaited: all match while both origins read the
//    same data; after one advertiser is renamed in the legacy's copy of the data, exactly the
//    cases whose answer shows that advertiser are reported, with the first differing block.
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
// @ts-expect-error plain ESM script without type declarations
import { oracleDbOf, startOracle } from '../scripts/legacy-oracle.mjs';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../scripts/wrangler-dev.mjs';
import { compareCase, type Verdict } from './compare.ts';
import { differenceOf } from './differential/origins.ts';
import { send10 } from './http10.ts';
import { type CaptureManifest, ORACLE_RESET, requestOf, resetRequestOf, zonedInstant } from './manifest.ts';

const HANDLERS = [
  'credentialscheck',
  'advertisers',
  'advertiser',
  'campaigns',
  'campaign',
  'analytics',
  'clickthroughs',
  'connector',
  'dataconnector',
];

const fixturesDir = join(projectRoot, 'fixtures');
const manifest = JSON.parse(readFileSync(join(fixturesDir, 'manifest.json'), 'utf8')) as CaptureManifest;

const workerDb = await start('test', { databases: { prefix: 'cutover_w_' }, log: false });
const legacyDb = await start('test', { databases: { prefix: 'cutover_l_' }, log: false, reload: true });
const stateDir = join(projectRoot, `.local/cutover-state/${process.pid}`);
const oracle = await startOracle({
  db: oracleDbOf(legacyDb),
  stateDir: join(stateDir, 'oracle'),
  workers: 1,
});
// The Worker's log lines go to a file read as it grows (a pipe nobody reads yet would fill up and
// stall wrangler before it is ready).
mkdirSync(stateDir, { recursive: true });
const logFile = join(stateDir, 'worker.log');
const logFd = openSync(logFile, 'w');
const worker = await startWranglerDev({
  databases: workerDb.urls,
  vars: {
    ENVIRONMENT: 'test',
    TEST_CLOCK: zonedInstant(manifest.clock, manifest.timezone).toISOString(),
    LEGACY_ORIGIN: oracle.baseUrl,
    SHADOW_SAMPLE_RATE: '1',
  },
  args: ['--persist-to', join(stateDir, 'worker'), '--log-level', 'log'],
  stdout: logFd,
  stderr: logFd,
});
const shadowLines: Array<Record<string, unknown>> = [];
const requestLines = new Map<string, Record<string, unknown>>();
let logRead = 0;
let pending = '';
/** New request and `shadow.*` lines of the Worker's log (read from where the last read ended). */
function readShadowLines(): void {
  const fd = openSync(logFile, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, logRead);
      if (n === 0) break;
      logRead += n;
      pending += chunk.subarray(0, n).toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
  const end = pending.lastIndexOf('\n') + 1;
  for (const line of pending.slice(0, end).split('\n')) {
    const at = line.indexOf('{"level"');
    if (at === -1) continue;
    const parsed = jsonAt(line, at);
    if (!parsed) continue;
    if (String(parsed.event).startsWith('shadow.')) shadowLines.push(parsed);
    else if (parsed.event === 'request') requestLines.set(String(parsed.request_id), parsed);
  }
  pending = pending.slice(end);
}

let failures = 0;
try {
  // 1. Fallback: every handler on the legacy, then mixes.
  const mixes: Array<[string, string]> = [
    ['every handler on the legacy', HANDLERS.map((h) => `${h}=legacy`).join(',')],
  ];
  let seed = 20261206;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 1; i <= 3; i++) {
    const mix = HANDLERS.map((h) => `${h}=${random() < 0.5 ? 'legacy' : 'worker'}`).join(',');
    mixes.push([`mix ${i} (${mix.replaceAll('=legacy', ':L').replaceAll('=worker', ':W')})`, mix]);
  }
  for (const [label, mix] of mixes) {
    const failed = await replay({ 'x-test-handlers': mix });
    console.log(
      `fallback, ${label}: ${manifest.cases.length - failed.length}/${manifest.cases.length} as captured`,
    );
    for (const [id, verdict] of failed.slice(0, 5)) console.log(`  ✗ ${id}: ${verdict.reason}`);
    failures += failed.length;
  }

  // 2. Shadow: every handler on the Worker, each case's comparison awaited.
  const allWorker = HANDLERS.map((h) => `${h}=worker`).join(',');
  const same = await shadowRun(allWorker);
  console.log(
    `shadow, same data: ${same.match} match, ${same.mismatch} mismatch, ${same.none} without a line`,
  );
  if (same.mismatch > 0 || same.none > 0) failures += same.mismatch + same.none;
  const renamed = await renameInLegacy(11, 'Acme & Sons (renamed)');
  const differ = await shadowRun(allWorker);
  console.log(
    `shadow, advertiser 11 renamed in the legacy's data: ${differ.match} match, ${differ.mismatch} mismatch`,
  );
  const unexpected = differ.mismatches.filter((m) => !m.expected);
  const missed = differ.expected - differ.mismatches.filter((m) => m.expected).length;
  console.log(
    `  ${differ.expected} answers differ from the legacy's (asked directly): ` +
      `${unexpected.length} reported that do not, ${missed} that do not reported`,
  );
  for (const m of differ.mismatches.slice(0, 3)) console.log(`  e.g. ${m.id}: ${JSON.stringify(m.line)}`);
  failures += unexpected.length + missed + (renamed ? 0 : 1) + (differ.mismatch === 0 ? 1 : 0);
} finally {
  worker.stop();
  oracle.stop();
  closeSync(logFd);
  rmSync(stateDir, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nparity:cutover: ok' : `\nparity:cutover: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);

/**
 * Empties the allowances a case starts from: at a sequence's start (as the capture did) and before
 * every case outside a sequence, since this run replays S1 six times in one hour of its clock.
 */
async function resetBefore(c: CaptureManifest['cases'][number]): Promise<void> {
  if (c.sequence && !c.reset_rate_limit) return;
  await send10(oracle.baseUrl, ORACLE_RESET);
  await send10(worker.baseUrl, resetRequestOf(manifest, c));
}

/** The S1 capture through the Worker with extra headers; the failing cases. */
async function replay(extra: Record<string, string>): Promise<Array<[string, Verdict]>> {
  const failed: Array<[string, Verdict]> = [];
  for (const c of manifest.cases) {
    await resetBefore(c);
    const request = requestOf(manifest, c);
    request.headers.push(...Object.entries(extra));
    const expected = c.body ? new Uint8Array(readFileSync(join(fixturesDir, c.body))) : undefined;
    const answer = await send10(worker.baseUrl, request);
    // A case the Worker answered is also sent to the legacy (SHADOW_SAMPLE_RATE) after its body,
    // counting against the key's allowance there: it must land before the next case, or a reset,
    // not after (under load it could count in the next sequence's hour).
    await shadowLineOf(answer.requestId ?? null);
    const verdict = compareCase(c, expected, answer);
    if (!verdict.ok) failed.push([c.id, verdict]);
  }
  return failed;
}

/**
 * Replays S1 answered by the Worker, waiting for each case's shadow line before the next. What
 * should be reported is decided independently: the legacy asked directly (outside a sequence,
 * whose counts it must not disturb) and compared by the harness's own rules.
 */
async function shadowRun(mix: string) {
  const result = {
    match: 0,
    mismatch: 0,
    none: 0,
    missing: [] as string[],
    expected: 0,
    mismatches: [] as Array<{ id: string; line: Record<string, unknown>; expected: boolean }>,
  };
  for (const c of manifest.cases) {
    const request = requestOf(manifest, c);
    request.headers.push(['x-test-handlers', mix]);
    let direct: Awaited<ReturnType<typeof send10>> | undefined;
    if (!c.sequence) {
      await resetBefore(c);
      direct = await send10(oracle.baseUrl, request);
    }
    await resetBefore(c);
    const answer = await send10(worker.baseUrl, request);
    const line = await shadowLineOf(answer.requestId ?? null);
    const expected =
      direct !== undefined && line !== undefined && differenceOf({ legacy: direct, worker: answer }) !== null;
    if (expected) result.expected++;
    if (!line) continue;
    if (line.event === 'shadow.missing') {
      result.none++;
      result.missing.push(c.id);
    } else if (line.outcome === 'match') result.match++;
    else {
      result.mismatch++;
      result.mismatches.push({ id: c.id, line, expected });
    }
  }
  return result;
}

/** The JSON object starting at `start` (wrangler prints warnings with colour codes around it). */
function jsonAt(line: string, start: number): Record<string, unknown> | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      try {
        return JSON.parse(line.slice(start, i + 1)) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The shadow line of a request, by its X-Request-Id: its request line says whether it was
 * shadowed; if so, its comparison line is awaited (undefined when it never comes).
 */
async function shadowLineOf(requestId: string | null): Promise<Record<string, unknown> | undefined> {
  if (!requestId) return undefined;
  for (let waited = 0; waited < 10_000; waited += 25) {
    readShadowLines();
    const request = requestLines.get(requestId);
    if (request && request.shadowed !== true) return undefined;
    const line = shadowLines.find((l) => l.request_id === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { event: 'shadow.missing', request_id: requestId };
}

/** Renames an advertiser in the legacy's copy of the data only (the Worker's stays as captured). */
async function renameInLegacy(id: number, name: string): Promise<boolean> {
  const connection = await mysql.createConnection({
    uri: `${legacyDb.adminUrl}${legacyDb.databases.console}`,
  });
  try {
    const [result] = await connection.query('UPDATE advertiser SET name = ? WHERE id = ?', [name, id]);
    return (result as { affectedRows: number }).affectedRows === 1;
  } finally {
    await connection.end();
  }
}
