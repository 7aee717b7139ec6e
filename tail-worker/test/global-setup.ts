// Runs in Node before the `tail` test project: builds the tail Worker exactly as it is deployed
// (wrangler's bundle) and the test producers, and starts the stand-in for New Relic (sink.ts).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { startSink } from './sink';

const projectRoot = join(import.meta.dirname, '../..');

export default async function setup(project: TestProject) {
  const tailDir = join(projectRoot, '.local/build/tail-worker');
  execFileSync(
    join(projectRoot, 'node_modules/.bin/node'),
    [
      join(projectRoot, 'node_modules/wrangler/bin/wrangler.js'),
      'deploy',
      '--dry-run',
      '-c',
      'tail-worker/wrangler.toml',
      '--env=',
      '--outdir',
      tailDir,
    ],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WRANGLER_LOG: 'error', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  const producer = join(projectRoot, '.local/build/tail-producer/producer.js');
  await build({
    entryPoints: [join(import.meta.dirname, 'producer.ts')],
    outfile: producer,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'error',
  });
  const sink = await startSink();
  project.provide('tailWorkerScript', join(tailDir, 'index.js'));
  project.provide('tailProducerScript', producer);
  project.provide('newRelicSinkUrl', sink.url);
  return () => sink.close();
}
