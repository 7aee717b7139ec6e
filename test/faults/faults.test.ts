// Faults with the real components (issue 8): the Workers under `wrangler dev`, MariaDB behind a
// TCP fault proxy (test/faults/stack.ts). Each case checks the documented status and that the
// same Worker process serves 200 again once the fault ends, within a bounded number of retries.
//
// Not here: a throwing RateLimiter cannot be made from outside workerd (its SQLite storage is
// opened by workerd itself); its fail-open is tested inside workerd by
// src/middleware/request-log.test.ts ("a failing RateLimiter fails open").
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, get, type KeyName, QUERY_BUDGET_MS, type Stack, sleep, startStack } from './stack';

/** Attempts (500 ms apart) a recovered service gets to answer 200. */
const MAX_RECOVERY_ATTEMPTS = 20;

const ENDPOINTS = [
  '/advertisers',
  '/campaigns/201',
  '/analytics/201',
  '/connector?advertiser_id=11',
  '/dataconnector',
];

/** Numbers for README "Reliability", printed at the end. */
const report: string[] = [];

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
  if (report.length) console.log(`faults report:\n  ${report.join('\n  ')}`);
}, 60_000);

async function problemOf(answer: Answer): Promise<Record<string, unknown>> {
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  return JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
}

/** Retries until a complete 200; returns how many attempts it took. */
async function attemptsUntilOk(path: string, key: KeyName = 'main'): Promise<number> {
  for (let attempt = 1; attempt <= MAX_RECOVERY_ATTEMPTS; attempt++) {
    const answer = await get(stack, path, key);
    if (answer.status === 200 && answer.transferError === undefined) return attempt;
    await sleep(500);
  }
  throw new Error(`${path} did not answer 200 within ${MAX_RECOVERY_ATTEMPTS} attempts`);
}

/** Auth-helper lookups (the `api` table) seen by the console proxy so far. */
const authLookups = () => stack.console.seen.queries.filter((q) => /\bFROM api\b/.test(q.sql)).length;

describe('faults with the real components (wrangler dev + MariaDB behind a fault proxy)', () => {
  it('baseline: every endpoint answers 200 through the proxies', async () => {
    for (const path of ENDPOINTS) {
      const answer = await get(stack, path);
      expect(answer.status, path).toBe(200);
      expect(answer.transferError, path).toBeUndefined();
    }
  });

  it('MariaDB stopped → 503 with Retry-After on data endpoints and on the auth path (never 401); 200 after restart', async () => {
    // `main` is in the auth helper's KV cache: its requests reach the data queries.
    await attemptsUntilCached('main');
    await stack.stopDatabase();
    try {
      for (const path of ENDPOINTS) {
        const answer = await get(stack, path);
        expect(answer.status, path).toBe(503);
        expect(answer.headers.get('retry-after'), path).toBe('30');
        expect((await problemOf(answer)).detail).toBe('The database is unreachable; retry later.');
      }
      // A pair the helper has never seen needs the key store: the helper's 503 becomes the Worker's.
      const auth = await get(stack, '/advertisers', 'authDown');
      expect(auth.status).toBe(503);
      expect(auth.headers.get('retry-after')).toBe('30');
      expect((await problemOf(auth)).detail).toBe('Authentication is temporarily unavailable; retry later.');
    } finally {
      await stack.startDatabase();
    }
    const data = await attemptsUntilOk('/connector?advertiser_id=11');
    const auth = await attemptsUntilOk('/advertisers', 'authDown');
    report.push(
      `MariaDB stopped: ${ENDPOINTS.length}/${ENDPOINTS.length} data endpoints 503 + Retry-After 30, auth path 503 (0 × 401); ` +
        `after restart 200 on attempt ${data} (data) and ${auth} (auth)`,
    );
  });

  it('aggregate refusing connections → 503 where it is needed, console-only endpoints unaffected; 200 when it is back', async () => {
    await stack.aggregate.down();
    try {
      for (const path of ['/analytics/201', '/connector?advertiser_id=11', '/dataconnector']) {
        const answer = await get(stack, path);
        expect(answer.status, path).toBe(503);
        expect(answer.headers.get('retry-after'), path).toBe('30');
      }
      for (const path of ['/advertisers', '/campaigns/201'])
        expect((await get(stack, path)).status, path).toBe(200);
    } finally {
      await stack.aggregate.up();
    }
    const attempts = await attemptsUntilOk('/dataconnector');
    report.push(
      `aggregate refused: 3/3 aggregate endpoints 503, 2/2 console endpoints 200; 200 on attempt ${attempts}`,
    );
  });

  it(`a query slower than the ${QUERY_BUDGET_MS} ms budget → 504; 200 when it is fast again`, async () => {
    // One slow query (console: the advertiser list), then the whole aggregate database slow.
    stack.console.faults = [{ match: /from `advertiser`/, delayMs: QUERY_BUDGET_MS * 4 }];
    stack.aggregate.delayMs = QUERY_BUDGET_MS * 3;
    try {
      const slowQuery = await get(stack, '/advertisers');
      expect(slowQuery.status).toBe(504);
      expect((await problemOf(slowQuery)).status).toBe(504);
      const slowDatabase = await get(stack, '/connector?advertiser_id=11');
      expect(slowDatabase.status).toBe(504);
    } finally {
      stack.console.heal();
      stack.aggregate.heal();
    }
    const fastQuery = await attemptsUntilOk('/advertisers');
    const fastDatabase = await attemptsUntilOk('/connector?advertiser_id=11');
    report.push(
      `slow query (+${QUERY_BUDGET_MS * 4} ms) and slow database (+${QUERY_BUDGET_MS * 3} ms a packet): 504, 504; ` +
        `200 on attempt ${fastQuery} and ${fastDatabase}`,
    );
  });

  it(`the queries of one request share one ${QUERY_BUDGET_MS} ms deadline: each within it, together over it → 504`, async () => {
    // Every query but the auth helper's held 90 % of the budget: /analytics/201 runs two in turn
    // (the campaign's ownership in console, then its sums in aggregate), /advertisers one. The
    // second is sent with a tenth of the budget left, and its answer comes long after that.
    const held = Math.round(QUERY_BUDGET_MS * 0.9);
    stack.console.faults = [{ match: /^(?![\s\S]*\bFROM api\b)/, delayMs: held }];
    stack.aggregate.faults = [{ match: /[\s\S]*/, delayMs: held }];
    try {
      const several = await get(stack, '/v2.0/analytics/201');
      expect(several.status).toBe(504);
      expect((await problemOf(several)).status).toBe(504);
      expect((await get(stack, '/advertisers')).status).toBe(200);
    } finally {
      stack.console.heal();
      stack.aggregate.heal();
    }
    const attempts = await attemptsUntilOk('/v2.0/analytics/201');
    report.push(
      `every query held ${held} ms (budget ${QUERY_BUDGET_MS} ms for the request): /v2.0/analytics/201 504, /advertisers 200; 200 on attempt ${attempts}`,
    );
  });

  it('the auth helper slower than the Worker’s 5 s auth timeout → 503 (never 401); 200 when it is fast again', async () => {
    // Only the helper's lookup of this pair is held (8 s): the Worker gives up at 5 s.
    stack.console.faults = [{ match: /int-faults-auth-slow/, delayMs: 8_000 }];
    try {
      const answer = await get(stack, '/advertisers', 'authSlow');
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('30');
      expect((await problemOf(answer)).detail).toBe(
        'Authentication is temporarily unavailable; retry later.',
      );
    } finally {
      stack.console.heal();
    }
    const attempts = await attemptsUntilOk('/advertisers', 'authSlow');
    report.push(`auth helper slow (lookup held 8 s > 5 s timeout): 503, 0 × 401; 200 on attempt ${attempts}`);
  });

  it('KV failing (the auth cache can neither be read nor written) → every request still served, through the database', async () => {
    // miniflare keeps KV values as files under <persist>/v3/kv/<namespace id>/blobs; a file in
    // the directory's place makes every write fail and every read miss.
    const blobs = join(stack.persistDir, 'v3/kv/local-auth-cache/blobs');
    await attemptsUntilOk('/advertisers', 'kv');
    const cached = await attemptsUntilCached('kv');
    expect(existsSync(blobs), `KV blob store at ${blobs}`).toBe(true);

    renameSync(blobs, `${blobs}.aside`);
    writeFileSync(blobs, 'not a directory');
    const REQUESTS = 5;
    const before = authLookups();
    try {
      for (let i = 0; i < REQUESTS; i++) expect((await get(stack, '/advertisers', 'kv')).status).toBe(200);
    } finally {
      rmSync(blobs, { force: true });
      renameSync(`${blobs}.aside`, blobs);
    }
    // Each request had to ask the database: the cache was unusable, the API was not.
    const lookups = authLookups() - before;
    expect(lookups).toBe(REQUESTS);
    const recovered = await attemptsUntilCached('kv');
    report.push(
      `KV failing: ${REQUESTS}/${REQUESTS} requests 200, ${lookups} database lookups (0 when cached); ` +
        `cache hits again after ${recovered} request(s) (${cached} before the fault)`,
    );
  });

  it('a connection cut mid-result on /connector and /dataconnector never gives a complete-looking body', async () => {
    const cases = [
      { path: '/connector?advertiser_id=11', end: ']}' },
      { path: '/connector?advertiser_id=11&format=xml', end: '</xml>\n' },
      { path: '/connector?advertiser_id=11&format=csv', end: undefined },
      { path: '/dataconnector', end: ']}' },
      { path: '/dataconnector?format=xml', end: '</xml>\n' },
      { path: '/dataconnector?format=csv', end: undefined },
    ];
    const outcomes: Record<string, number> = {};
    let cuts = 0;
    for (const { path, end } of cases) {
      // The whole answer first: how many bytes the metrics query returns, and the complete body.
      const complete = await get(stack, path);
      expect(complete.status, path).toBe(200);
      expect(complete.transferError, path).toBeUndefined();
      if (end) expect(complete.body.toString('utf8').endsWith(end), path).toBe(true);
      const answerBytes = stack.aggregate.seen.queries
        .filter((q) => /kpi_daily/.test(q.sql))
        .at(-1)!.answerBytes;

      for (const fraction of [0.05, 0.5, 0.95]) {
        const cutsBefore = stack.aggregate.seen.cuts;
        stack.aggregate.faults = [{ match: /kpi_daily/, cutAfterBytes: Math.floor(answerBytes * fraction) }];
        let answer: Answer;
        try {
          answer = await get(stack, path);
        } finally {
          stack.aggregate.heal();
        }
        const what = `${path} cut at ${fraction} of ${answerBytes} bytes`;
        expect(stack.aggregate.seen.cuts, what).toBeGreaterThan(cutsBefore);
        const text = answer.body.toString('utf8');
        if (end) expect(text.endsWith(end), what).toBe(false);
        let outcome: string;
        if (answer.status === 200) {
          // Headers were sent: only a broken transfer (no final chunk) may follow.
          expect(answer.transferError, what).toBeDefined();
          outcome = '200 + broken transfer';
        } else if (answer.status === 503) {
          // Cut before the first row: an ordinary error response.
          expect((await problemOf(answer)).status, what).toBe(503);
          outcome = '503 problem+json';
        } else {
          // wrangler dev's own ProxyWorker (not deployed): it retries a GET whose connection to the
          // Worker dropped before the headers, 3 times, then answers 500 "Network connection lost".
          expect(answer.status, what).toBe(500);
          expect(text, what).toContain('Network connection lost');
          outcome = '500 from wrangler dev ProxyWorker';
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        cuts += 1;
      }
      // Recovery: the next request is whole again, byte for byte the same length.
      const again = await get(stack, path);
      expect(again.status, path).toBe(200);
      expect(again.body.length, path).toBe(complete.body.length);
    }
    report.push(
      `cut mid-result: ${cuts} cuts over ${cases.length} endpoint×format, 0 complete-looking bodies; ${JSON.stringify(outcomes)}`,
    );
  });

  it('the same wrangler dev process served every case (no restart)', () => {
    expect(stack.running()).toBe(true);
  });
});

/** Repeats a request until it is answered from the auth cache (no lookup); returns the attempts. */
async function attemptsUntilCached(key: KeyName): Promise<number> {
  for (let attempt = 1; attempt <= MAX_RECOVERY_ATTEMPTS; attempt++) {
    const before = authLookups();
    const answer = await get(stack, '/advertisers', key);
    expect(answer.status).toBe(200);
    if (authLookups() === before) return attempt;
    await sleep(200);
  }
  throw new Error(`the auth cache did not serve ${key} within ${MAX_RECOVERY_ATTEMPTS} attempts`);
}
