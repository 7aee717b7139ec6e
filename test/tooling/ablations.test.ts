import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The patches of bench/ablations/ remove one part of the request path so that `npm run bench:ab
// -- --a REF --b REF --b-patch FILE` measures what that part costs. A patch that no longer
// applies would only be found by whoever reruns the figures, so each one is checked here against
// this tree, as the bench applies it.
const root = join(import.meta.dirname, '../..');
const dir = join(root, 'bench/ablations');
const patches = readdirSync(dir).filter((name) => name.endsWith('.patch'));

describe('bench/ablations', () => {
  it('holds patches', () => {
    expect(patches.length).toBeGreaterThan(0);
  });

  it.each(patches)('%s says what it removes and applies to this tree', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^Ablation: \S/);
    execFileSync('git', ['apply', '--check', join(dir, name)], { cwd: root, stdio: 'pipe' });
  });
});
