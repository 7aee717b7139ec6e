import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, manifest } from '../support/fixtures';
import { requestOf, resetAllowance, send } from '../support/replay';

// Endpoints whose handlers exist; the rest answer 501 until issue 5 lands them. This list only
// grows, and goes away when it covers every endpoint.
const IMPLEMENTED = [/^(\/v[^/]*)?\/credentialscheck/, /^(\/v[^/]*)?\/advertisers/];

// Rate-limit sequences are replayed whole: their statuses do not depend on the endpoints' bodies.
const inScope = manifest.cases.filter((c) => c.sequence || IMPLEMENTED.some((re) => re.test(c.path)));

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('parity with the S1 capture (implemented endpoints)', () => {
  beforeAll(async () => {
    for (const alias of Object.keys(manifest.keys)) await resetAllowance(manifest, alias);
  });

  it('covers a real part of the capture', () => {
    expect(inScope.length).toBeGreaterThan(40);
  });

  // Sequential, in manifest order: rate-limit sequences depend on it.
  for (const c of inScope) {
    // Named by case id only: a query can carry keys, which must never reach the output.
    it(`${c.id}: ${c.method} ${c.path}`, async () => {
      if (c.reset_rate_limit && typeof c.key === 'string') await resetAllowance(manifest, c.key);
      const response = await send(requestOf(manifest, c));
      expect(response.status).toBe(c.status);
      if (c.retry_after !== undefined)
        expect(Number(response.headers.get('retry-after'))).toBe(c.retry_after);
      if (c.body === null) return;
      expect(response.headers.get('content-type')).toBe(c.content_type);
      const actual = new Uint8Array(await response.arrayBuffer());
      const expected = fixtureBytes(c.body);
      const at = firstDifference(actual, expected);
      if (at !== -1) {
        const show = (bytes: Uint8Array) =>
          new TextDecoder().decode(bytes.slice(Math.max(0, at - 30), at + 30));
        expect.fail(`first difference at byte ${at}\n  worker: ${show(actual)}\n  legacy: ${show(expected)}`);
      }
    });
  }
});
