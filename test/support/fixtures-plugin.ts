import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const ID = 'virtual:legacy-fixtures';

/**
 * Exposes a captured fixture directory to tests running inside workerd (which has no access to the
 * host file system) as `virtual:legacy-fixtures`: every file's exact bytes, base64-encoded, so the
 * UTF-16LE CSV bodies survive untouched.
 */
export function legacyFixtures(dir: string): Plugin {
  return {
    name: 'legacy-fixtures',
    resolveId: (id) => (id === ID ? `\0${ID}` : undefined),
    load(id) {
      if (id !== `\0${ID}`) return undefined;
      const files: Record<string, string> = {};
      for (const name of readdirSync(dir).sort()) {
        files[name] = readFileSync(join(dir, name)).toString('base64');
        this.addWatchFile(join(dir, name));
      }
      return `export const files = ${JSON.stringify(files)};`;
    },
  };
}
