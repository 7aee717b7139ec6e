import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { keyHeaders } from '../../test/workers/keys';
import { app } from '../app';

// AUTH_FAILURES_TIGHT: the Workers Rate Limiting binding with 3 failures per minute per key.
const from = (ip: string, headers: Record<string, string>) =>
  app.request(
    '/credentialscheck',
    { headers: { ...headers, 'CF-Connecting-IP': ip } },
    { ...env, AUTH_FAILURES: env.AUTH_FAILURES_TIGHT },
    createExecutionContext(),
  );
const wrongPair = (n: number) => ({ 'X-Integration-Key': `nope-${n}`, 'X-Api-Key': `random-${n}` });
/** An address of one of the documentation ranges, one range per test (no test sees another's). */
const addressIn = (range: string) => `${range}.${Math.floor(Math.random() * 250) + 1}`;

describe('failed authentications per client IP (issue 15.5)', () => {
  it('past the limit an address gets 429 problem+json with Retry-After, and stays refused', async () => {
    const ip = addressIn('198.51.100');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await from(ip, wrongPair(i))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const refused = await from(ip, wrongPair(99));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/failed authentications/);
  });

  it('valid keys are not counted, and another address is not affected', async () => {
    const ip = addressIn('203.0.113');
    for (let i = 0; i < 6; i++) expect((await from(ip, keyHeaders('other'))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await from(ip, wrongPair(i))).status).toBe(401);
    expect((await from(`2001:db8::${Math.floor(Math.random() * 1000)}`, wrongPair(7))).status).toBe(401);
  });

  it('a pair this isolate has confirmed keeps working from a refused address', async () => {
    const ip = addressIn('192.0.2');
    expect((await from(ip, keyHeaders('main'))).status).toBe(200);
    for (let i = 0; i < 4; i++) await from(ip, wrongPair(i));
    expect((await from(ip, wrongPair(50))).status).toBe(429);
    expect((await from(ip, keyHeaders('main'))).status).toBe(200);
  });
});
