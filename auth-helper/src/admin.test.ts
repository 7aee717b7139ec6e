import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../src/shared/db';
import { call } from '../../test/workers/http';
import { cacheKeyOf } from './kv-cache';
import type { Answer } from './lookup';

// The operator's interface against the real helper: its KV, its Revocations object, the AUTH
// binding and the Public API Worker's isolate cache. Each case revokes a pair of its own, inserted
// here into the test database's console.api (the seed's pairs are never revoked).

const admin = createKysely<Record<string, never>>(env.DB_ADMIN, { connectMs: 5_000, queryMs: 5_000 });
const inserted: number[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The bound the README states: the Public API's isolate cache (AUTH_CACHE_TTL_MS by default). */
const STATED_WORKER_TTL_MS = 5_000;

/** A new key pair of account 1 with a large allowance; `deleted` as the console marks it. */
async function newPair(deleted = false) {
  const tag = crypto.randomUUID().slice(0, 8);
  const pair = { int: `int-revoke-${tag}`, api: `api-revoke-${tag}` };
  const result = await sql`
    INSERT INTO console.api (account_id, name, int_key, api_key, rph, is_deleted, created_at)
    VALUES (1, 'revocation test', ${pair.int}, ${pair.api}, 1000000, ${deleted ? 1 : 0}, NOW())`.execute(
    admin,
  );
  const apiId = Number(result.insertId);
  inserted.push(apiId);
  return { ...pair, apiId };
}

afterAll(async () => {
  if (inserted.length > 0) {
    await sql`DELETE FROM console.api WHERE id IN (${sql.join(inserted)})`.execute(admin);
    await env.AUTH_ADMIN.lift(inserted);
  }
  await admin.destroy();
});

const helperSays = async (helper: Fetcher, integrationKey: string, apiKey: string) => {
  const response = await helper.fetch('https://auth-helper/auth', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ integrationKey, apiKey }),
  });
  return ((await response.json()) as { valid: boolean }).valid;
};

const workerSays = async (integrationKey: string, apiKey: string) =>
  (await call('/credentialscheck', { headers: { 'X-Integration-Key': integrationKey, 'X-Api-Key': apiKey } }))
    .status;

/** Spellings utf8mb4_unicode_ci holds equal to `key` (case, accents, trailing spaces). */
const spellings = (key: string) => [
  key,
  key.toUpperCase(),
  `${key}  `,
  key.replace('i', 'Í').replace('e', 'è'),
];

describe('AuthAdmin.revoke (npm run auth:revoke)', () => {
  it('refuses every spelling at once in the helper, while KV still holds them valid', async () => {
    const pair = await newPair();
    const [exact, upper, padded, accented] = spellings(pair.int);
    expect(await helperSays(env.AUTH, exact!, pair.api)).toBe(true);
    expect(await helperSays(env.AUTH, upper!, pair.api)).toBe(true);

    // Revoked by a spelling no caller used: the database says which row it is.
    const change = await env.AUTH_ADMIN.revoke(accented!, 'test');
    expect(change.rows).toEqual([{ apiId: pair.apiId, accountId: 1, deleted: false }]);
    expect(change.helperMaxAgeMs).toBe(5_000);

    for (const spelling of [exact, upper, padded, accented]) {
      expect(await helperSays(env.AUTH, spelling!, pair.api), JSON.stringify(spelling)).toBe(false);
    }
    // Nothing was purged: the cached answers are the database's, the revocation is checked after.
    const cached = await env.AUTH_HELPER_CACHE.get<Answer>(await cacheKeyOf(exact!, pair.api), 'json');
    expect(cached).toMatchObject({ result: { valid: true, accountId: 1 }, apiId: pair.apiId });
    expect(JSON.stringify(cached)).not.toContain(pair.api);

    // Lifted: valid again at once, from the same KV entries.
    await env.AUTH_ADMIN.lift([pair.apiId], 'test');
    expect(await helperSays(env.AUTH, upper!, pair.api)).toBe(true);
  });

  it("the Public API Worker's isolate cache answers at most AUTH_CACHE_TTL_MS longer; an unseen spelling at once", async () => {
    const pair = await newPair();
    const [exact, upper] = spellings(pair.int);
    expect(await workerSays(exact!, pair.api)).toBe(200); // now in this isolate's cache
    const confirmedAt = Date.now();
    const revokedAt = Date.now();
    await env.AUTH_ADMIN.revoke(exact!, 'test');
    expect(await workerSays(upper!, pair.api)).toBe(401); // never confirmed here: asks the helper

    let status = 200;
    while (status === 200 && Date.now() - revokedAt < STATED_WORKER_TTL_MS + 5_000) {
      status = await workerSays(exact!, pair.api);
      if (status === 200) await sleep(100);
    }
    expect(status).toBe(401);
    // The cached entry lived at most its TTL from its confirmation (plus one request's time).
    expect(Date.now() - confirmedAt).toBeLessThanOrEqual(STATED_WORKER_TTL_MS + 1_000);
  });

  it('another helper isolate refuses the pair once its copy of the list is REVOCATIONS_MAX_AGE_MS old', async () => {
    const pair = await newPair();
    expect(await helperSays(env.AUTH_PEER, pair.int, pair.api)).toBe(true); // the peer read the list
    const readAt = Date.now();
    await env.AUTH_ADMIN.revoke(pair.int, 'test');
    let valid = true;
    while (valid && Date.now() - readAt < 10_000) {
      valid = await helperSays(env.AUTH_PEER, pair.int, pair.api);
      if (valid) await sleep(100);
    }
    expect(valid).toBe(false);
    // The peer's REVOCATIONS_MAX_AGE_MS is 1500 (vitest.config.ts), plus one request's time.
    expect(Date.now() - readAt).toBeLessThanOrEqual(1_500 + 1_000);
  });

  it('names every row of the integration key, deleted in the console or not; the list keeps their ids', async () => {
    const pair = await newPair(true);
    const change = await env.AUTH_ADMIN.revoke(pair.int.toUpperCase(), 'test');
    expect(change.rows).toEqual([{ apiId: pair.apiId, accountId: 1, deleted: true }]);
    expect((await env.AUTH_ADMIN.list()).apiIds).toContain(pair.apiId);
  });

  it('an integration key no row has changes nothing', async () => {
    const before = await env.AUTH_ADMIN.list();
    const change = await env.AUTH_ADMIN.revoke(`int-nobody-${crypto.randomUUID()}`, 'test');
    expect(change.rows).toEqual([]);
    expect(change.version).toBe(before.version);
  });

  it('an empty integration key is refused', async () => {
    const error = await env.AUTH_ADMIN.revoke('', 'test').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/integration key is required/);
  });
});
