// scripts/rollback.sh with `npm` replaced by a stub that records its arguments (and fails for one
// version): what the deploy jobs would ask wrangler, in which order, and that one failure does not
// stop the others.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';

const bin = mkdtempSync(join(tmpdir(), 'adv-rollback-'));
const log = join(bin, 'calls');
writeFileSync(
  join(bin, 'npm'),
  `#!/usr/bin/env bash\necho "$*" >> "${log}"\n[[ "$*" != *"$FAIL_VERSION@"* ]]\n`,
);
chmodSync(join(bin, 'npm'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function rollback(env: Record<string, string>) {
  rmSync(log, { force: true });
  const run = spawnSync('bash', [join(projectRoot, 'scripts/rollback.sh'), 'rollback of v1.2.3'], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, DEPLOY_ENV: 'prd', FAIL_VERSION: 'none', ...env },
  });
  const calls = (() => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  })();
  return { ...run, calls };
}

const wrangler = (version: string, config = '') =>
  `exec -- wrangler versions deploy ${version}@100%${config} --env prd --yes --message rollback of v1.2.3`;

describe('scripts/rollback.sh', () => {
  it('puts back the Public API, then the auth helper, then the tail Worker, each at 100 %', () => {
    const run = rollback({ API: 'api-1', HELPER: 'helper-1', TAIL: 'tail-1' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      wrangler('api-1'),
      wrangler('helper-1', ' -c auth-helper/wrangler.toml'),
      wrangler('tail-1', ' -c tail-worker/wrangler.toml'),
    ]);
  });

  it('leaves a Worker without a previous version as it is', () => {
    const run = rollback({ API: '', HELPER: 'helper-1', TAIL: '' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([wrangler('helper-1', ' -c auth-helper/wrangler.toml')]);
    expect(run.stdout).toContain('rollback: Public API: no previous version to put back');
  });

  it('tries every Worker when one rollback fails, then fails', () => {
    const run = rollback({ API: 'api-1', HELPER: 'helper-1', TAIL: 'tail-1', FAIL_VERSION: 'api-1' });
    expect(run.status).toBe(1);
    expect(run.calls).toHaveLength(3);
    expect(run.stdout).toContain('::error::the rollback of the Public API to api-1 failed');
  });

  it('needs the environment', () => {
    expect(rollback({ DEPLOY_ENV: '' }).status).not.toBe(0);
  });
});
