#!/usr/bin/env node
// Stops a deploy while an environment still has `REPLACE_WITH_*` placeholders (ids of resources not
// provisioned yet) in one of the three wrangler.toml files: one clear line per placeholder, before
// anything is deployed, rather than wrangler failing on the third Worker after the first two went out.
// Reads each config as wrangler resolves it for that environment (unstable_readConfig), so a
// placeholder only another environment, or the local top level, would deploy does not count.
//
// Usage: node scripts/check-placeholders.mjs ENV [--root DIR]
//   exit 0: none; 1: placeholders (listed; GitHub annotations under Actions); 2: unknown ENV
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { unstable_readConfig } from 'wrangler';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** In deploy order: the tail Worker, the auth helper, the Public API. */
export const CONFIGS = ['tail-worker/wrangler.toml', 'auth-helper/wrangler.toml', 'wrangler.toml'];

const PLACEHOLDER = /^REPLACE_WITH_/;

/** Every placeholder string under `value`, with its path (a binding array entry by its binding's name). */
export function findPlaceholders(value, path = '') {
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => findPlaceholders(item, `${path}[${item?.binding ?? item?.name ?? i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      findPlaceholders(item, path ? `${path}.${key}` : key),
    );
  }
  return [];
}

/** The environments the Public API's config defines. */
export function environments(root = projectRoot) {
  return Object.keys(parse(readFileSync(join(root, 'wrangler.toml'), 'utf8')).env ?? {});
}

/** The placeholders `env` would deploy, each with its file and line. */
export function placeholdersOf(env, root = projectRoot) {
  return CONFIGS.flatMap((config) => {
    const path = join(root, config);
    const lines = readFileSync(path, 'utf8').split('\n');
    const resolved = unstable_readConfig({ config: path, env }, { hideWarnings: true });
    return findPlaceholders(resolved).map((found) => ({
      config,
      worker: resolved.name,
      line: lines.findIndex((line) => line.includes(found.value)) + 1 || undefined,
      ...found,
    }));
  });
}

function main(argv) {
  let root = projectRoot;
  let env;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = argv[++i];
    else env = argv[i];
  }
  const known = environments(root);
  if (!env || !known.includes(env)) {
    console.error(`usage: node scripts/check-placeholders.mjs ENV (one of ${known.join(', ')})`);
    return 2;
  }
  const found = placeholdersOf(env, root);
  if (found.length === 0) {
    console.log(`${env}: no REPLACE_WITH_* placeholders in ${CONFIGS.join(', ')}`);
    return 0;
  }
  console.error(
    `${env} cannot be deployed yet: ${found.length} value(s) in its wrangler.toml files are still placeholders` +
      ' for resources not provisioned:',
  );
  for (const { config, line, worker, path, value } of found) {
    const where = line ? `${config}:${line}` : config;
    console.error(`  ${where}  ${worker}  ${path} = "${value}"`);
    if (process.env.GITHUB_ACTIONS === 'true') {
      const at = line ? `file=${config},line=${line}` : `file=${config}`;
      console.log(`::error ${at},title=Placeholder in ${env}::${path} is still ${value}`);
    }
  }
  console.error(
    'Provision them (Hyperdrive: the hyperdrive_id_* outputs of the infra stack, infra/README.md; KV:' +
      ' `npx wrangler kv namespace create <title>`), put their ids in place of the placeholders, then deploy again.',
  );
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
