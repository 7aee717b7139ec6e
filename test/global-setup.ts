// Runs in Node before the Workers project: brings up the real dependencies of the suite.
// 1. the private `test` MariaDB instance (started if needed; schema + seed loaded if changed),
// 2. the auth helper Worker, built by wrangler exactly as it would be deployed,
// 3. a reading of Com_stmt_prepare, compared after the suite: the Worker must never use the
//    binary protocol (production Hyperdrive rejects COM_STMT_PREPARE).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../scripts/local-db.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dbConsoleUrl: string;
    dbAggregateUrl: string;
    dbAdminUrl: string;
    authHelperScript: string;
  }
}

async function stmtPrepareCount(socket: string): Promise<number> {
  const out = execFileSync(
    'mariadb',
    [
      '--no-defaults',
      '-S',
      socket,
      '-u',
      'root',
      '-N',
      '-B',
      '-e',
      "SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'",
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim().split('\t')[1]);
}

export default async function setup(project: TestProject) {
  const db = await start('test', { log: false });
  const authHelperDir = join(projectRoot, '.local/build/auth-helper');
  execFileSync(
    join(projectRoot, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '-c', 'auth-helper/wrangler.toml', '--env=', '--outdir', authHelperDir],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WRANGLER_LOG: 'error', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  project.provide('dbConsoleUrl', db.urls.console);
  project.provide('dbAggregateUrl', db.urls.aggregate);
  project.provide('dbAdminUrl', db.adminUrl);
  project.provide('authHelperScript', join(authHelperDir, 'index.js'));

  const preparedBefore = await stmtPrepareCount(db.socket);
  return async () => {
    const preparedAfter = await stmtPrepareCount(db.socket);
    if (preparedAfter !== preparedBefore) {
      throw new Error(
        `Com_stmt_prepare grew from ${preparedBefore} to ${preparedAfter} during the suite: something used ` +
          'the binary protocol (execute), which production Hyperdrive rejects.',
      );
    }
  };
}
