import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG, ENVIRONMENTS, type EnvConfig, placeholders, validateConfig } from '../src/config';

const clone = (c: EnvConfig): EnvConfig => structuredClone(c);

describe('configuration', () => {
  it.each(ENVIRONMENTS)('%s passes the seed rules', (env) => {
    expect(validateConfig(CONFIG[env])).toEqual([]);
  });

  it('rejects min_healthy 50 on a single-replica fleet (50 % of 1 rounds to 0, 000 §9.4)', () => {
    const c = clone(CONFIG.dev);
    c.fleet.minHealthyPercentage = 50;
    expect(validateConfig(c).join()).toMatch(/minHealthyPercentage 100/);
  });

  it('rejects a single-replica fleet whose refresh cannot launch before terminating', () => {
    const c = clone(CONFIG.dev);
    c.fleet.maxHealthyPercentage = 100;
    expect(validateConfig(c).join()).toMatch(/maxHealthyPercentage > 100/);
  });

  it('rejects a prd fleet in one subnet', () => {
    const c = clone(CONFIG.prd);
    c.fleet.subnetIds = [c.fleet.subnetIds[0]!];
    expect(validateConfig(c).join()).toMatch(/prd: needs >= 2 replicas across >= 2 subnets/);
  });

  it('rejects a hostname outside the environment zone', () => {
    const c = clone(CONFIG.stg);
    c.workerRouteHostnames = ['api.adventive.dev'];
    expect(validateConfig(c).join()).toMatch(/outside the zone adventivestg.com/);
  });

  it('dev carries the seed 000 §2 reference data; its only placeholders are DB users and the state bucket/table', () => {
    const dev = CONFIG.dev;
    expect(dev.aws.accountId).toBe('201161205241');
    expect(dev.cloudflare).toEqual({
      accountId: '46a873457665355ba02a85e61d7200a7',
      zoneId: 'c737bae5b535c0ec3daa72c809721e7d',
      zone: 'adventive.dev',
    });
    expect(dev.aws.amiSsmParameter).toBe('/adventive/cloudflared/ami-id-latest');
    expect(dev.databases.map((d) => d.hostname)).toEqual([
      'db-console-dev.adventive.dev',
      'db-aggregate-dev.adventive.dev',
    ]);
    expect(placeholders(dev).map((p) => p.split(':')[0])).toEqual([
      'databases[0].user',
      'databases[1].user',
      'state.bucket',
      'state.dynamodbTable',
    ]);
  });

  it('unknown stg/prd values are named placeholders, never invented ids', () => {
    for (const env of ['stg', 'prd'] as const) {
      const c = CONFIG[env];
      for (const value of [c.aws.accountId, c.aws.vpcId, c.cloudflare.zoneId, ...c.fleet.subnetIds]) {
        expect(value).toMatch(new RegExp(`^REPLACE_WITH_${env.toUpperCase()}_[A-Z_]+$`));
      }
    }
  });
});

describe('consistency with wrangler.toml (the Worker side)', () => {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  const section = (env: string) => toml.split(/^# -+ /m).find((s) => s.startsWith(env)) ?? '';

  it('same Cloudflare account', () => {
    expect(toml).toMatch(new RegExp(`^account_id = "${CONFIG.dev.cloudflare.accountId}"`, 'm'));
  });

  it.each(ENVIRONMENTS)('%s: every Worker route hostname gets its AAAA record', (env) => {
    const routes = [...section(env).matchAll(/pattern = "([^/"]+)\//g)].map((m) => m[1]);
    expect(routes.length).toBeGreaterThan(0);
    expect([...CONFIG[env].workerRouteHostnames].sort()).toEqual(routes.sort());
  });

  it('dev Hyperdrive ids in wrangler.toml are the as-built ids recorded in the config', () => {
    const ids = [...section('dev').matchAll(/id = "([0-9a-f]{32})"/g)].map((m) => m[1]);
    expect(ids).toEqual([CONFIG.dev.asBuilt?.consoleHyperdriveId, CONFIG.dev.asBuilt?.aggregateHyperdriveId]);
  });
});

describe('no ids or hostnames outside the configuration', () => {
  const dir = new URL('../src/', import.meta.url);
  const sources = [
    ...readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'config.ts'),
    ...readdirSync(new URL('constructs/', dir)).map((f) => `constructs/${f}`),
  ];

  it.each(sources)('%s', (file) => {
    const code = readFileSync(new URL(file, dir), 'utf8');
    const patterns = [
      /\b[0-9a-f]{32}\b/, // Cloudflare account / zone / Hyperdrive ids
      /\b\d{12}\b/, // AWS account ids
      /\b(vpc|subnet|sg|ami)-[0-9a-f]{8,17}\b/, // AWS resource ids
      /\badventive(stg)?\.(dev|com)\b/, // hostnames
      /rds\.amazonaws\.com/,
    ];
    for (const p of patterns) expect(code, `${file} matches ${p}`).not.toMatch(p);
  });
});
