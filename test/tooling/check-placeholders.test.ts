import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { CONFIGS, environments, placeholdersOf, projectRoot } from '../../scripts/check-placeholders.mjs';

interface Found {
  config: string;
  worker: string;
  line?: number;
  path: string;
  value: string;
}

const root = mkdtempSync(join(tmpdir(), 'adv-placeholders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Three configs shaped like the project's: a local top level, dev provisioned, stg not yet.
const files: Record<string, string> = {
  'wrangler.toml': `name = "api"
main = "src/index.ts"
compatibility_date = "2026-11-01"

[[hyperdrive]]
binding = "DB"
id = "REPLACE_WITH_LOCAL_ONLY"

[env.dev]
[[env.dev.hyperdrive]]
binding = "DB"
id = "0123456789abcdef0123456789abcdef"

[env.stg]
[env.stg.vars]
LEGACY_ORIGIN = "REPLACE_WITH_STG_LEGACY_ORIGIN"

[[env.stg.hyperdrive]]
binding = "DB"
id = "REPLACE_WITH_STG_DB_ID"
`,
  'auth-helper/wrangler.toml': `name = "helper"
main = "src/index.ts"
compatibility_date = "2026-11-01"

[env.dev]
[[env.dev.kv_namespaces]]
binding = "CACHE"
id = "fedcba9876543210fedcba9876543210"

[env.stg]
[[env.stg.kv_namespaces]]
binding = "CACHE"
id = "REPLACE_WITH_STG_KV_ID"
`,
  'tail-worker/wrangler.toml': `name = "tail"
main = "src/index.ts"
compatibility_date = "2026-11-01"

[env.dev.vars]
ENVIRONMENT = "dev"

[env.stg.vars]
ENVIRONMENT = "stg"
`,
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts/check-placeholders.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '', ...env },
  });
}

describe('scripts/check-placeholders.mjs', () => {
  it('finds what an environment would deploy, as wrangler resolves it, with file and line', () => {
    const found: Found[] = placeholdersOf('stg', root);
    expect(
      found.map(({ config, worker, line, path, value }) => ({ config, worker, line, path, value })),
    ).toEqual([
      {
        config: 'auth-helper/wrangler.toml',
        worker: 'helper-stg',
        line: 13,
        path: 'kv_namespaces[CACHE].id',
        value: 'REPLACE_WITH_STG_KV_ID',
      },
      {
        config: 'wrangler.toml',
        worker: 'api-stg',
        line: 16,
        path: 'vars.LEGACY_ORIGIN',
        value: 'REPLACE_WITH_STG_LEGACY_ORIGIN',
      },
      {
        config: 'wrangler.toml',
        worker: 'api-stg',
        line: 20,
        path: 'hyperdrive[DB].id',
        value: 'REPLACE_WITH_STG_DB_ID',
      },
    ]);
    // The top level's placeholder is the local config's: no environment deploys it (bindings are
    // not inherited).
    expect(placeholdersOf('dev', root)).toEqual([]);
  });

  it('exits 1 naming each placeholder (annotations under GitHub Actions), 0 when none, 2 for an unknown env', () => {
    const stg = cli(['stg', '--root', root], { GITHUB_ACTIONS: 'true' });
    expect(stg.status).toBe(1);
    expect(stg.stderr).toContain('stg cannot be deployed yet: 3 value(s)');
    expect(stg.stderr).toContain('wrangler.toml:20  api-stg  hyperdrive[DB].id = "REPLACE_WITH_STG_DB_ID"');
    expect(stg.stderr).toContain('Provision them');
    expect(stg.stdout).toContain(
      '::error file=auth-helper/wrangler.toml,line=13,title=Placeholder in stg::kv_namespaces[CACHE].id is still REPLACE_WITH_STG_KV_ID',
    );
    const dev = cli(['dev', '--root', root]);
    expect(dev.status).toBe(0);
    expect(cli(['qa', '--root', root]).status).toBe(2);
  }, 60_000);

  it("reports, for each of the project's environments, exactly the placeholders named for it", () => {
    const text = CONFIGS.map((config: string) => readFileSync(join(projectRoot, config), 'utf8')).join('\n');
    for (const env of environments() as string[]) {
      const named = new Set(text.match(new RegExp(`REPLACE_WITH_${env.toUpperCase()}_\\w+`, 'g')) ?? []);
      const found = new Set((placeholdersOf(env) as Found[]).map((f) => f.value));
      expect(found, env).toEqual(named);
    }
  });
});
