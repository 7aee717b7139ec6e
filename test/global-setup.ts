// Runs in Node before the Workers project: brings up the real dependencies of the suite.
// 1. the private `test` MariaDB instance (started if needed; schema + seed loaded if changed),
// 2. the auth helper Worker, built by wrangler exactly as it would be deployed,
// 3. a reading of Com_stmt_prepare, compared after the suite: the Worker must never use the
//    binary protocol (production Hyperdrive rejects COM_STMT_PREPARE),
// 4. a capture of everything the run prints (both Workers' logs included, also the log lines kept
//    out of the output: test/support/log-output.ts), scanned at the end: no key, password or
//    connection string may ever appear in a log line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without type declarations
import { LOCAL_PASSWORD, projectRoot, start } from '../scripts/local-db.mjs';
import { hiddenLogLines, hideLogLine } from './support/log-output';

declare module 'vitest' {
  export interface ProvidedContext {
    dbConsoleUrl: string;
    dbAggregateUrl: string;
    dbAdminUrl: string;
    authHelperScript: string;
  }
}

/** Every key of the seed, the local database password, and any connection string. */
function secrets(): string[] {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
    keys: Record<string, { int_key: string; api_key: string }>;
  };
  const keys = Object.values(manifest.keys).flatMap((k) => [k.int_key, k.api_key]);
  return [...keys, LOCAL_PASSWORD, 'mysql://'];
}

/**
 * Tees stdout/stderr (where vitest and workerd print logs) into memory until stopped. The log lines
 * workerd prints itself (the auxiliary Workers', such as the auth helper's, which vitest does not
 * relay) are kept out of the output as vitest's onConsoleLog keeps the others (hideLogLine).
 */
function captureOutput(): () => string {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (hideLogLine(text)) {
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      chunks.push(text);
      return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  return () => {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
    return [...chunks, ...hiddenLogLines()].join('');
  };
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
    join(projectRoot, 'node_modules/.bin/node'),
    [
      join(projectRoot, 'node_modules/wrangler/bin/wrangler.js'),
      'deploy',
      '--dry-run',
      '-c',
      'auth-helper/wrangler.toml',
      '--env=',
      '--outdir',
      authHelperDir,
    ],
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
  const stopCapture = captureOutput();
  return async () => {
    const printed = stopCapture();
    const leaks = secrets().filter((secret) => printed.includes(secret));
    if (leaks.length > 0) {
      throw new Error(
        `${leaks.length} secret value(s) appeared in the suite's output (keys, password or connection string)`,
      );
    }
    const preparedAfter = await stmtPrepareCount(db.socket);
    if (preparedAfter !== preparedBefore) {
      throw new Error(
        `Com_stmt_prepare grew from ${preparedBefore} to ${preparedAfter} during the suite: something used ` +
          'the binary protocol (execute), which production Hyperdrive rejects.',
      );
    }
  };
}
