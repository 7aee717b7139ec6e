import { describe, expect, it } from 'vitest';
import { call } from '../../test/workers/http';
import { freshHour, keyHeaders } from '../../test/workers/keys';

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
