import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { captureErrorLines } from '../../test/support/log-lines';
import { call } from '../../test/workers/http';
import { freshHour, KEYS, keyHeaders } from '../../test/workers/keys';
import { app } from '../app';

// The `tight` key has rph 5 (db/seed/console.sql).
const tight = (clock: string, path = '/credentialscheck') =>
  call(path, { headers: { ...keyHeaders('tight'), 'x-test-clock': clock } });

describe('RateLimiter: rph per key pair per UTC clock hour (CONTRACT §5)', () => {
  it('admits rph requests, then 429 with Retry-After to the top of the hour', async () => {
    const clock = freshHour(30); // hh:30:00 → 1800 s to the top of the hour
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await tight(clock)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await tight(clock);
    expect(refused.headers.get('retry-after')).toBe('1800');
  });

  it('counts parameter 400s and id 404s, not format errors, unknown paths, OPTIONS or 401s', async () => {
    const clock = freshHour(59);
    const headers = { ...keyHeaders('tight'), 'x-test-clock': clock };
    expect((await call('/credentialscheck?format=yaml', { headers })).status).toBe(400); // not counted
    expect((await call('/nope', { headers })).status).toBe(404); // not counted
    expect((await call('/credentialscheck', { headers, method: 'OPTIONS' })).status).toBe(204); // not counted
    expect((await call('/credentialscheck', { headers: { 'x-test-clock': clock } })).status).toBe(401);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await tight(clock)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await tight(clock);
    expect(Number(refused.headers.get('retry-after'))).toBe(60);
  });

  it('the window resets at the top of the next UTC hour', async () => {
    const clock = freshHour(59);
    for (let i = 0; i < 5; i++) expect((await tight(clock)).status).toBe(200);
    expect((await tight(clock)).status).toBe(429);
    const nextHour = new Date(Date.parse(clock) + 60_000).toISOString();
    expect((await tight(nextHour)).status).toBe(200);
  });

  it('50 simultaneous requests on a key with rph 5 admit exactly 5', async () => {
    const clock = freshHour(10);
    const responses = await Promise.all(Array.from({ length: 50 }, () => tight(clock)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
  });

  it('spellings of the same key pair share one allowance', async () => {
    const clock = freshHour(20);
    const shouting = { 'X-Integration-Key': 'INT-ACCT1-TIGHT', 'X-Api-Key': 'API-ACCT1-TIGHT-0002' };
    for (let i = 0; i < 5; i++) expect((await tight(clock)).status).toBe(200);
    const other = await call('/credentialscheck', { headers: { ...shouting, 'x-test-clock': clock } });
    expect(other.status).toBe(429);
  });
});

/** The RateLimiter binding with its objects failing one way: their `hit` hangs or throws. */
function failingLimiter(how: 'hang' | 'throw'): typeof env.RATE_LIMITER {
  const real = env.RATE_LIMITER;
  return {
    idFromName: (name: string) => real.idFromName(name),
    get: () => ({
      hit: () => (how === 'hang' ? new Promise(() => {}) : Promise.reject(new Error('object overloaded'))),
      reset: () => Promise.resolve(),
    }),
  } as unknown as typeof env.RATE_LIMITER;
}

describe('RateLimiter failing: a bounded wait, the same allowance from the isolate, then fail closed', () => {
  const lines = captureErrorLines();
  const tightAt = (clock: string, bindings: Record<string, unknown>) =>
    app.request(
      '/credentialscheck',
      { headers: { ...keyHeaders('tight'), 'x-test-clock': clock } },
      { ...env, ...bindings },
      createExecutionContext(),
    );

  it.each(['hang', 'throw'] as const)(
    'an object that %ss: answered within the timeout, rph admitted and not one more',
    async (how) => {
      const clock = freshHour(30);
      const bindings = { RATE_LIMITER: failingLimiter(how), RATE_LIMIT_TIMEOUT_MS: '50' };
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await tightAt(clock, bindings)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const refused = await tightAt(clock, bindings);
      expect(refused.headers.get('retry-after')).toBe('1800');
      expect(lines.lines.filter((l) => l.event === 'ratelimit.fallback')).toHaveLength(9);
    },
  );

  it('past the threshold of failing, 503 with Retry-After; the object answering again ends it', async () => {
    const clock = freshHour(10);
    const down = { RATE_LIMITER: failingLimiter('throw'), RATE_LIMIT_FAIL_CLOSED_AFTER_MS: '0' };
    const refused = await tightAt(clock, down);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(lines.lines.find((l) => l.event === 'ratelimit.failed_closed')).toMatchObject({ account_id: 1 });
    expect((await tightAt(clock, {})).status).toBe(200);
    // A success reset the outage: the next failure starts the fallback again (threshold 60 s).
    expect((await tightAt(clock, { RATE_LIMITER: failingLimiter('throw') })).status).toBe(200);
  });
});

describe('the RateLimiter logs each decision itself (seed 001 Phase 5)', () => {
  const original = console.log;
  afterEach(() => {
    console.log = original;
  });

  it('key_hash, count_after and outcome; never a key', async () => {
    const lines: Array<Record<string, unknown>> = [];
    console.log = (line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) lines.push(JSON.parse(line));
    };
    const clock = freshHour(40);
    for (let i = 0; i < 6; i++) await tight(clock);
    console.log = original;
    const decisions = lines.filter((l) => l.event === 'ratelimit.decision');
    expect(decisions.map((d) => [d.count_after, d.outcome])).toEqual([
      [1, 'allowed'],
      [2, 'allowed'],
      [3, 'allowed'],
      [4, 'allowed'],
      [5, 'allowed'],
      [5, 'throttled'],
    ]);
    expect(new Set(decisions.map((d) => d.key_hash)).size).toBe(1);
    expect(decisions[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(lines)).not.toContain(KEYS.tight.api_key);
  });
});

describe('RateLimit header fields on every authenticated answer (issue 16 item 5)', () => {
  it('policy, what is left and when it resets; 0 left on the 429; exposed to browsers', async () => {
    const clock = freshHour(45); // 900 s to the top of the hour
    const first = await tight(clock);
    expect(first.headers.get('ratelimit-policy')).toBe('"hourly";q=5;w=3600');
    expect(first.headers.get('ratelimit')).toBe('"hourly";r=4;t=900');
    // A parameter error is counted, and says so too.
    const badParameter = await call('/campaigns?status=nope', {
      headers: { ...keyHeaders('tight'), 'x-test-clock': clock },
    });
    expect(badParameter.status).toBe(400);
    expect(badParameter.headers.get('ratelimit')).toBe('"hourly";r=3;t=900');
    for (let i = 0; i < 3; i++) await tight(clock);
    const refused = await tight(clock);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit')).toBe('"hourly";r=0;t=900');
    const preflight = await call('/advertisers', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8787', 'Access-Control-Request-Method': 'GET' },
    });
    await tight(clock);
    const cors = await call('/credentialscheck', {
      headers: { ...keyHeaders('main'), Origin: 'http://localhost:8787' },
    });
    expect(preflight.status).toBe(204);
    expect(cors.headers.get('access-control-expose-headers')).toContain('RateLimit');
  });

  it('not on what is answered before the keys (no allowance is known there)', async () => {
    const unauthorised = await call('/credentialscheck');
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('ratelimit')).toBeNull();
  });
});
