#!/usr/bin/env node
// The Postman collection as CI runs it (`npm run postman:ci`, a step of .ci/run): both Workers under
// `wrangler dev` on the `test` MariaDB (the suite's seed data), then newman with the `local`
// environment pointed at them. Exits with newman's status; its JUnit report goes to
// .local/newman-results.xml, wrangler's log to .local/postman-ci-wrangler.log.
//
// The Worker's clock is pinned to the fixtures' (TEST_CLOCK, as the suite's stacks pin it), so the
// collection's default date windows hold the seed's rows and every request falls in one hour; its
// Durable Object state is fresh, so the `main` pair's allowance starts empty for each run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, start } from './local-db.mjs';
import { startWranglerDev } from './wrangler-dev.mjs';

const COLLECTION = 'postman/adventive-public-api.json';
const ENVIRONMENT = 'postman/env/local.postman_environment.json';
// The fixtures' clock: 2026-11-22 10:30 in New York (fixtures/manifest.json).
const TEST_CLOCK = '2026-11-22T15:30:00Z';
// The seed's `main` pair may make 500 requests an hour (README, "Postman"); beyond, 429s.
const MAIN_ALLOWANCE = 500;

/** Requests in a collection (folders flattened). */
export function requestCount(items) {
  return items.reduce((n, item) => n + (item.item ? requestCount(item.item) : 1), 0);
}

async function main() {
  const collection = JSON.parse(readFileSync(join(projectRoot, COLLECTION), 'utf8'));
  const requests = requestCount(collection.item);
  if (requests > MAIN_ALLOWANCE) {
    console.error(
      `postman:ci: the collection has ${requests} requests, over the main pair's ${MAIN_ALLOWANCE} per hour:` +
        ' split the run or give it a pair with a larger allowance',
    );
    return 1;
  }
  mkdirSync(join(projectRoot, '.local'), { recursive: true });
  const logPath = join(projectRoot, '.local/postman-ci-wrangler.log');
  const state = mkdtempSync(join(tmpdir(), 'adv-postman-ci-'));
  const db = await start('test', { log: false });
  const worker = await startWranglerDev({
    databases: db.urls,
    vars: { ENVIRONMENT: 'test', TEST_CLOCK },
    args: ['--persist-to', state, '--log-level', 'warn'],
    stderr: openSync(logPath, 'w'),
    // Its own process group: wrangler and both workerd processes end together.
    detached: true,
  });
  try {
    console.log(`postman:ci: ${requests} requests against ${worker.baseUrl} (wrangler log: ${logPath})`);
    const newman = spawn(
      process.execPath,
      [
        join(projectRoot, 'node_modules/newman/bin/newman.js'),
        'run',
        COLLECTION,
        '-e',
        ENVIRONMENT,
        '--env-var',
        `baseUrl=${worker.baseUrl}`,
        '--reporters',
        'cli,junit',
        '--reporter-junit-export',
        '.local/newman-results.xml',
      ],
      { cwd: projectRoot, stdio: 'inherit' },
    );
    return await new Promise((resolve) => newman.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    try {
      process.kill(-worker.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  }
}

process.exitCode = await main();
