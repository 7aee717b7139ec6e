// Writes generated files, or with `--check` only reports the stale ones and exits 1: the one
// CLI behaviour of every generator (generate.mjs, generate-postman.mjs, worker-types.mjs).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * @param {string} root project root
 * @param {Record<string, string>} files relative path → contents
 * @param {{ command: string, what: string, from?: string }} labels e.g. `npm run generate`, `generated/`,
 *   and what the files are made from (default openapi.yaml)
 */
export function writeGenerated(root, files, { command, what, from = 'openapi.yaml' }) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, contents] of Object.entries(files)) {
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === contents) continue;
    if (check) {
      console.error(`stale: ${path} (run ${command})`);
      stale++;
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contents);
      console.log(`wrote ${path}`);
    }
  }
  if (stale) process.exit(1);
  if (!check) console.log(`${what} is up to date with ${from}`);
}
