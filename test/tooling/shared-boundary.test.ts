import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// src/shared is the one place for code that ships in more than one Worker (src/shared/README.md).
const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) found.push(...sources(path));
    else if (/\.(ts|mts|mjs)$/.test(entry)) found.push(path);
  }
  return found;
}

/** The repository paths a file imports by relative specifier. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    relative(root, resolve(root, dirname(file), m[1] ?? '')),
  );
}

describe('src/shared: code that ships in more than one Worker', () => {
  it('imports nothing from outside src/shared (packages aside)', () => {
    const outside = sources('src/shared').flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith('src/shared/') && !target.startsWith('test/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('the auth helper, the tail Worker and the Durable Objects reach src/ only through it', () => {
    const crossings = ['auth-helper', 'tail-worker', 'durable-objects'].flatMap((dir) =>
      sources(dir).flatMap((file) =>
        relativeImports(file)
          .filter((target) => target.startsWith('src/') && !target.startsWith('src/shared/'))
          .map((target) => `${file} → ${target}`),
      ),
    );
    expect(crossings).toEqual([]);
  });
});
