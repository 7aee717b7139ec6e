import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KEYS } from '../../test/workers/keys';
import helper from './index';

// The auth helper Worker itself, reached over the real AUTH service binding.
const auth = (headers: Record<string, string>) =>
  env.AUTH.fetch('https://auth-helper/auth', { method: 'POST', headers });

describe('auth helper Worker', () => {
  it('GET /__health', async () => {
    const response = await env.AUTH.fetch('https://auth-helper/__health');
    expect(await response.json()).toEqual({ status: 'ok', commit_sha: 'test-sha', environment: 'test' });
  });

  it('a valid pair → account, allowance, name and a hash of the stored pair (never the keys)', async () => {
    const response = await auth({ 'X-Api-Key': KEYS.main.api_key, 'X-Integration-Key': KEYS.main.int_key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      valid: true,
      accountId: 1,
      rph: 500,
      name: 'Main reporting key',
      keyHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(body)).not.toContain(KEYS.main.api_key);
  });

  it('collation-equal spellings resolve to the same stored pair', async () => {
    const a = await (
      await auth({ 'X-Api-Key': KEYS.tight.api_key, 'X-Integration-Key': KEYS.tight.int_key })
    ).json();
    const b = await (
      await auth({
        'X-Api-Key': KEYS.tight.api_key.toUpperCase(),
        'X-Integration-Key': KEYS.tight.int_key.toUpperCase(),
      })
    ).json();
    expect((b as { keyHash: string }).keyHash).toBe((a as { keyHash: string }).keyHash);
  });

  it.each([
    ['revoked key', KEYS.revoked],
    ['live key of a deleted account', KEYS.deadacct],
    ['unknown pair', { api_key: 'x', int_key: 'y' }],
  ])('%s → 200 {valid:false}', async (_name, key) => {
    const response = await auth({ 'X-Api-Key': key.api_key, 'X-Integration-Key': key.int_key });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: false, accountId: 0, rph: 0 });
  });

  it('database unreachable → 503', async () => {
    const response = await env.AUTH_BROKEN.fetch('https://auth-helper/auth', {
      method: 'POST',
      headers: { 'X-Api-Key': 'never-cached-1', 'X-Integration-Key': 'never-cached-2' },
    });
    expect(response.status).toBe(503);
  });

  it('KV failing (reads and writes throw) → still answers from the database', async () => {
    const failingKv = {
      get: () => Promise.reject(new Error('KV unavailable')),
      put: () => Promise.reject(new Error('KV unavailable')),
    } as unknown as KVNamespace;
    const helperEnv = {
      ENVIRONMENT: 'test',
      COMMIT_SHA: 'test-sha',
      DB_CONSOLE: env.DB_CONSOLE,
      CACHE: failingKv,
      REVOCATIONS: env.AUTH_HELPER_REVOCATIONS,
    };
    // As a service binding delivers it (auth-helper/src/binding-only.ts).
    const ctx = Object.assign(createExecutionContext(), { props: { caller: 'test' } });
    const response = await helper.request(
      '/auth',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiKey: KEYS.main.api_key, integrationKey: KEYS.main.int_key }),
      },
      helperEnv,
      ctx,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ valid: true, accountId: 1 });
  });
});
