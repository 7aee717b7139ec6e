import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, problemOf } from '../../test/workers/http';
import { KEYS, keyHeaders } from '../../test/workers/keys';
import { app } from '../app';

const main = KEYS.main;

describe('keys (CONTRACT §1.1) through the real auth helper', () => {
  it('a valid pair in the two headers → 200 {"status":true}', async () => {
    const response = await call('/credentialscheck', { headers: keyHeaders('main') });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":true}');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('header names are case-insensitive', async () => {
    const response = await call('/credentialscheck', {
      headers: { 'x-integration-key': main.int_key, 'X-API-KEY': main.api_key },
    });
    expect(response.status).toBe(200);
  });

  it('falls back to the api_key / integration_key query parameters (Google Sheets IMPORTDATA)', async () => {
    const query = `integration_key=${main.int_key}&api_key=${main.api_key}`;
    expect((await call(`/credentialscheck?${query}`)).status).toBe(200);
  });

  it('each key falls back on its own: header for one, query for the other', async () => {
    const response = await call(`/credentialscheck?api_key=${main.api_key}`, {
      headers: { 'X-Integration-Key': main.int_key },
    });
    expect(response.status).toBe(200);
  });

  it('headers win over the query parameters', async () => {
    const response = await call('/credentialscheck?integration_key=nope&api_key=nope', {
      headers: keyHeaders('main'),
    });
    expect(response.status).toBe(200);
    const bad = await call(`/credentialscheck?integration_key=${main.int_key}&api_key=${main.api_key}`, {
      headers: { 'X-Integration-Key': 'nope', 'X-Api-Key': 'nope' },
    });
    expect(bad.status).toBe(401);
  });

  it('compares like utf8mb4_unicode_ci: case, accents, trailing spaces', async () => {
    for (const [intKey, apiKey] of [
      ['INT-ACCT1-MAIN', 'API-acct1-main-0001'],
      ['ínt-àcct1-máin', main.api_key],
      [`${main.int_key} `, `${main.api_key}  `],
    ] as const) {
      const query = `integration_key=${encodeURIComponent(intKey)}&api_key=${encodeURIComponent(apiKey)}`;
      expect((await call(`/credentialscheck?${query}`)).status, intKey).toBe(200);
    }
    // Leading spaces are not ignored.
    expect(
      (await call(`/credentialscheck?integration_key=%20${main.int_key}&api_key=${main.api_key}`)).status,
    ).toBe(401);
  });

  it.each([
    ['no keys', {}],
    ['only the api key', { 'X-Api-Key': main.api_key }],
    ['only the integration key', { 'X-Integration-Key': main.int_key }],
    ['empty keys', { 'X-Api-Key': '', 'X-Integration-Key': '' }],
  ])('%s → 401 naming what is missing', async (_name, headers) => {
    const response = await call('/credentialscheck', { headers });
    expect(response.status).toBe(401);
    expect(String((await problemOf(response)).detail)).toMatch(/Missing X-/);
  });

  it.each(['revoked', 'deadacct'] as const)('the %s key → 401', async (alias) => {
    const response = await call('/credentialscheck', { headers: keyHeaders(alias) });
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toBe('The key pair is not valid.');
  });

  it('an unknown pair → 401', async () => {
    expect(
      (await call('/credentialscheck', { headers: { 'X-Api-Key': 'a', 'X-Integration-Key': 'b' } })).status,
    ).toBe(401);
  });

  it('auth helper failing (its database unreachable) → 503, never 401', async () => {
    const response = await app.request(
      '/credentialscheck',
      { headers: keyHeaders('main') },
      { ...env, AUTH: env.AUTH_BROKEN },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect((await problemOf(response)).title).toBe('Service Unavailable');
  });

  it('auth helper slower than its budget → 503', async () => {
    // A helper that never answers: the request gives up after AUTH_TIMEOUT_MS.
    const silent = {
      fetch: (_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    } as unknown as Fetcher;
    const response = await app.request(
      '/credentialscheck',
      { headers: keyHeaders('main') },
      { ...env, AUTH: silent, AUTH_TIMEOUT_MS: '200' },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
  });

  it('auth helper unreachable → 503', async () => {
    const unreachable = {
      fetch: () => Promise.reject(new TypeError('Network connection lost.')),
    } as unknown as Fetcher;
    const response = await app.request(
      '/credentialscheck',
      { headers: keyHeaders('main') },
      { ...env, AUTH: unreachable },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
  });
});

/** The real auth helper behind a wrapper that counts its calls (a binding of its own: its own cache). */
function countingHelper(helper: Fetcher = env.AUTH) {
  const counted = { calls: 0 };
  const fetcher = {
    fetch: (input: RequestInfo, init?: RequestInit) => {
      counted.calls += 1;
      return helper.fetch(input, init);
    },
  } as unknown as Fetcher;
  return { fetcher, counted };
}

const credentialscheck = (alias: keyof typeof KEYS, bindings: Partial<typeof env>) =>
  app.request(
    '/credentialscheck',
    { headers: keyHeaders(alias) },
    { ...env, ...bindings },
    createExecutionContext(),
  );

describe('the isolate cache of confirmed pairs (src/auth/cache.ts)', () => {
  it('a pair the helper confirmed is not asked again within the TTL; every request still counts', async () => {
    const { fetcher, counted } = countingHelper();
    for (let i = 0; i < 3; i++) {
      const response = await credentialscheck('main', { AUTH: fetcher });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"status":true}');
    }
    expect(counted.calls).toBe(1);
  });

  it('a cached pair is still rate limited per request', async () => {
    const { fetcher, counted } = countingHelper();
    const clock = new Date(Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 40_000) * 3_600_000);
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const response = await app.request(
        '/credentialscheck',
        { headers: { ...keyHeaders('tight'), 'x-test-clock': clock.toISOString() } },
        { ...env, AUTH: fetcher },
        createExecutionContext(),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(counted.calls).toBe(1);
  });

  it.each(['revoked', 'deadacct'] as const)(
    'the invalid %s pair asks the helper every time',
    async (alias) => {
      const { fetcher, counted } = countingHelper();
      for (let i = 0; i < 2; i++) expect((await credentialscheck(alias, { AUTH: fetcher })).status).toBe(401);
      expect(counted.calls).toBe(2);
    },
  );

  it('after AUTH_CACHE_TTL_MS the helper is asked again', async () => {
    const { fetcher, counted } = countingHelper();
    const bindings = { AUTH: fetcher, AUTH_CACHE_TTL_MS: '50' };
    expect((await credentialscheck('main', bindings)).status).toBe(200);
    expect((await credentialscheck('main', bindings)).status).toBe(200);
    expect(counted.calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await credentialscheck('main', bindings)).status).toBe(200);
    expect(counted.calls).toBe(2);
  });

  it('AUTH_CACHE_TTL_MS=0 turns the cache off', async () => {
    const { fetcher, counted } = countingHelper();
    for (let i = 0; i < 2; i++) {
      expect((await credentialscheck('main', { AUTH: fetcher, AUTH_CACHE_TTL_MS: '0' })).status).toBe(200);
    }
    expect(counted.calls).toBe(2);
  });

  it('the helper failing after a confirmation: the cached pair is served, an unseen pair gets 503', async () => {
    let broken = false;
    const fetcher = {
      fetch: (input: RequestInfo, init?: RequestInit) =>
        broken ? env.AUTH_BROKEN.fetch(input, init) : env.AUTH.fetch(input, init),
    } as unknown as Fetcher;
    expect((await credentialscheck('main', { AUTH: fetcher })).status).toBe(200);
    broken = true;
    expect((await credentialscheck('main', { AUTH: fetcher })).status).toBe(200);
    expect((await credentialscheck('other', { AUTH: fetcher })).status).toBe(503);
  });
});
