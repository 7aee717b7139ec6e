import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The project must work from a plain clone, so it carries copies of the legacy schema, seed and
// captured responses. When ../shared is beside the clone, the copies must be byte-identical:
// the capture is evidence and is never edited here.
const root = join(import.meta.dirname, '../..');
const shared = join(root, '../shared/legacy');

const COPIES: Array<[string, string]> = [
  ['schema', 'db/schema'],
  ['seed', 'db/seed'],
  ['fixtures', 'fixtures'],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.runIf(existsSync(shared))('copies of ../shared/legacy', () => {
  it.each(COPIES)('%s is copied byte for byte to %s', (from, to) => {
    const source = filesUnder(join(shared, from))
      .map((f) => relative(join(shared, from), f))
      .sort();
    const copy = filesUnder(join(root, to))
      .map((f) => relative(join(root, to), f))
      .sort();
    expect(copy).toEqual(source);
    for (const file of source) {
      const same = readFileSync(join(shared, from, file)).equals(readFileSync(join(root, to, file)));
      expect(same, `${to}/${file} differs from ../shared/legacy/${from}/${file}`).toBe(true);
    }
  });
});

describe('the copies exist in the clone', () => {
  it('has the schema, seed and S1 manifest', () => {
    for (const file of ['db/schema/console.sql', 'db/seed/aggregate.sql', 'fixtures/manifest.json']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });
});
