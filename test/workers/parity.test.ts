import { describe, expect, it } from 'vitest';
import { compareCase } from '../../parity/compare.ts';
import { fixtureBytes, manifest } from '../support/fixtures';
import { replay } from '../support/replay';

// The S1 capture, replayed in manifest order inside workerd (rate-limit sequences depend on the
// order). `npm run parity` does the same over real HTTP/1.0 with a table; this gates `npm test`.
describe('parity with the S1 capture', () => {
  it('replays the whole capture', () => {
    expect(manifest.cases).toHaveLength(309);
  });

  for (const c of manifest.cases) {
    // Named by case id only: a query can carry keys, which must never reach the output.
    it(`${c.id}: ${c.method} ${c.path}`, async () => {
      const verdict = compareCase(c, c.body ? fixtureBytes(c.body) : undefined, await replay(manifest, c));
      expect(verdict.reason ?? 'match').toBe('match');
    });
  }
});
