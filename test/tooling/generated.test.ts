import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { generate, projectRoot } from '../../scripts/generate.mjs';

describe('generated/', () => {
  it('is what `npm run generate` makes from openapi.yaml today', async () => {
    const files: Record<string, string> = await generate();
    expect(Object.keys(files).sort()).toEqual([
      'generated/client.ts',
      'generated/openapi.ts',
      'generated/routes.ts',
      'generated/schemas.ts',
      'generated/types.ts',
    ]);
    for (const [path, contents] of Object.entries(files)) {
      const onDisk = readFileSync(join(projectRoot, path), 'utf8');
      expect(onDisk === contents, `${path} is stale: run npm run generate`).toBe(true);
    }
  });
});
