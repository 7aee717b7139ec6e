// The Worker as an integration reaches it: both Workers under `wrangler dev` over real HTTP,
// reading the suite's `test` MariaDB (seed data, read only), with a TCP proxy in front of
// `aggregate` so a case can take that database away (a real 503). The clock is the fixtures'
// (2026-11-22 10:30 New York) and the rate-limit state is fresh for each stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { start } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../../scripts/wrangler-dev.mjs';
import { FaultProxy } from '../faults/proxy';

export const TEST_CLOCK = '2026-11-22T15:30:00Z';

export interface IntegrationStack {
  baseUrl: string;
  /** The proxy in front of the `aggregate` database (down() → the metric endpoints answer 503). */
  aggregate: FaultProxy;
  close(): Promise<void>;
}

export async function startIntegrationStack(): Promise<IntegrationStack> {
  const db = await start('test', { log: false });
  const aggregate = new FaultProxy('127.0.0.1', db.port);
  await aggregate.up();
  const persistDir = mkdtempSync(join(tmpdir(), 'adv-integrations-'));
  let wrangler: { baseUrl: string; child: import('node:child_process').ChildProcess; stop: () => void };
  try {
    wrangler = await startWranglerDev({
      databases: {
        console: db.urls.console,
        aggregate: db.urls.aggregate.replace(`:${db.port}/`, `:${aggregate.port}/`),
      },
      vars: { ENVIRONMENT: 'test', TEST_CLOCK },
      args: ['--persist-to', persistDir],
      stderr: process.env.INTEGRATIONS_VERBOSE ? 'inherit' : 'ignore',
      env: process.env.INTEGRATIONS_VERBOSE ? {} : { WRANGLER_LOG: 'none' },
    });
  } catch (error) {
    await aggregate.close();
    throw error;
  }
  const child = wrangler.child;
  return {
    baseUrl: wrangler.baseUrl,
    aggregate,
    close: async () => {
      const exited = new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
        else child.once('exit', resolve);
      });
      wrangler.stop();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await aggregate.close();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
