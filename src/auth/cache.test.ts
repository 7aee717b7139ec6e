import { describe, expect, it } from 'vitest';
import { keyPairHash, type ValidAuth } from '../shared/auth/contract';
import { AuthCache, authCacheFor } from './cache';

const auth = (accountId: number): ValidAuth => ({
  valid: true,
  accountId,
  rph: 500,
  name: `account ${accountId}`,
  keyHash: 'a'.repeat(64),
});

describe('AuthCache', () => {
  it('answers until the entry expires, then forgets it', () => {
    const cache = new AuthCache();
    cache.set('h', auth(1), 1_000, 10_000);
    expect(cache.get('h', 10_999)).toEqual(auth(1));
    expect(cache.get('h', 11_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, the oldest insertion going first', () => {
    const cache = new AuthCache(3);
    for (let i = 1; i <= 5; i++) cache.set(`h${i}`, auth(i), 60_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.keys()).toEqual(['h3', 'h4', 'h5']);
    cache.set('h3', auth(3), 60_000, 1); // refreshed: now the newest
    cache.set('h6', auth(6), 60_000, 1);
    expect(cache.keys()).toEqual(['h5', 'h3', 'h6']);
  });

  it('a TTL of 0 stores nothing', () => {
    const cache = new AuthCache();
    cache.set('h', auth(1), 0, 0);
    expect(cache.get('h', 0)).toBeUndefined();
  });

  it('is keyed by the SHA-256 of the pair, never the keys', async () => {
    const cache = new AuthCache();
    const hash = await keyPairHash('int-secret', 'api-secret');
    cache.set(hash, auth(1), 60_000, 0);
    expect(cache.keys()).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(JSON.stringify(cache.keys())).not.toContain('secret');
  });

  it('one cache per helper binding', () => {
    const a = {};
    const b = {};
    expect(authCacheFor(a)).toBe(authCacheFor(a));
    expect(authCacheFor(a)).not.toBe(authCacheFor(b));
  });
});
