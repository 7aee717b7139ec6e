import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { neverDeployed, servingVersion, uploadedVersion } from '../../scripts/worker-versions.mjs';

const dir = mkdtempSync(join(tmpdir(), 'adv-worker-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLD = '1b2c3d4e-0000-4000-8000-000000000001';
const NEW = '1b2c3d4e-0000-4000-8000-000000000002';

describe('scripts/worker-versions.mjs', () => {
  it('takes the version with the largest share of a deployment, none for a Worker never deployed', () => {
    // The shape of `wrangler deployments status --json`.
    const status = {
      id: 'd1',
      source: 'wrangler',
      strategy: 'percentage',
      versions: [
        { version_id: NEW, percentage: 10 },
        { version_id: OLD, percentage: 90 },
      ],
    };
    expect(servingVersion(status)).toBe(OLD);
    expect(servingVersion({ versions: [{ version_id: NEW, percentage: 100 }] })).toBe(NEW);
    expect(servingVersion({ versions: [] })).toBe('');
  });

  it('treats only "no deployment yet" as a first release', () => {
    expect(neverDeployed('✘ [ERROR] The Worker adv-public-api-prd has no deployments.')).toBe(true);
    expect(neverDeployed('This Worker does not exist on your account. [code: 10007]')).toBe(true);
    expect(neverDeployed('✘ [ERROR] Authentication error [code: 10000]')).toBe(false);
    expect(neverDeployed('fetch failed')).toBe(false);
  });

  it("reads the uploaded version and the Worker's name from wrangler's output file", () => {
    const file = join(dir, 'upload.ndjson');
    writeFileSync(
      file,
      [
        { type: 'wrangler-session', version: 1, wrangler_version: '4.156.2' },
        {
          type: 'version-upload',
          version: 1,
          worker_name: 'adv-public-api-prd',
          version_id: NEW,
          wrangler_environment: 'prd',
        },
      ]
        .map((entry) => JSON.stringify(entry))
        .join('\n'),
    );
    const cli = spawnSync(process.execPath, ['scripts/worker-versions.mjs', 'uploaded', file], {
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe(`version=${NEW}\nworker=adv-public-api-prd\n`);
    expect(() => uploadedVersion('{"type":"wrangler-session"}\n')).toThrow(/no version-upload/);
    expect(uploadedVersion(`{"type":"deploy","worker_name":"w","version_id":"${OLD}"}`)).toEqual({
      version: OLD,
      worker: 'w',
    });
  });
});
