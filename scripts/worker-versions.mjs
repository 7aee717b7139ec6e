#!/usr/bin/env node
// The version ids the deploy jobs of .github/workflows/ci.yml need: the one a Worker serves before a
// release (what a rollback restores) and the one a release uploaded (what the canary probes pin).
//
//   node scripts/worker-versions.mjs serving --env ENV [-c CONFIG]
//     `version=<id>`: the version with the largest share of the current deployment, or `version=`
//     when the Worker has never been deployed (a first release); exit 1 on any other failure.
//   node scripts/worker-versions.mjs uploaded FILE
//     `version=<id>` and `worker=<name>` of the last upload or deploy in wrangler's output file
//     (WRANGLER_OUTPUT_FILE_PATH).
// Prints `key=value` lines, to be appended to $GITHUB_OUTPUT as they are.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The version serving most of the traffic in `wrangler deployments status --json`'s answer. */
export function servingVersion(status) {
  const top = [...(status.versions ?? [])].sort((a, b) => b.percentage - a.percentage)[0];
  return top?.version_id ?? '';
}

/** Whether wrangler's error says the Worker has no deployment yet (and nothing else went wrong). */
export function neverDeployed(stderr) {
  return /has no deployments|does not exist|\[code: 10007\]/.test(stderr);
}

/** The version and Worker of the last `version-upload` or `deploy` entry of wrangler's output file. */
export function uploadedVersion(ndjson) {
  const entries = ndjson
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
    .filter((entry) => (entry.type === 'version-upload' || entry.type === 'deploy') && entry.version_id);
  const last = entries.at(-1);
  if (!last) throw new Error('no version-upload or deploy entry with a version_id in the output file');
  return { version: last.version_id, worker: last.worker_name ?? '' };
}

function serving(args) {
  const wrangler = spawnSync(
    join(projectRoot, 'node_modules/.bin/node'),
    [join(projectRoot, 'node_modules/wrangler/bin/wrangler.js'), 'deployments', 'status', '--json', ...args],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  if (wrangler.status !== 0) {
    process.stderr.write(wrangler.stderr);
    if (!neverDeployed(`${wrangler.stderr}${wrangler.stdout}`)) return 1;
    console.log('version=');
    return 0;
  }
  console.log(`version=${servingVersion(JSON.parse(wrangler.stdout))}`);
  return 0;
}

function main([command, ...args]) {
  if (command === 'serving') return serving(args);
  if (command === 'uploaded' && args[0]) {
    const { version, worker } = uploadedVersion(readFileSync(args[0], 'utf8'));
    console.log(`version=${version}\nworker=${worker}`);
    return 0;
  }
  console.error(
    'usage: node scripts/worker-versions.mjs serving --env ENV [-c CONFIG] | uploaded WRANGLER_OUTPUT_FILE',
  );
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
