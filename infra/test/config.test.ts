import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG, ENVIRONMENTS, type EnvConfig, IMAGE } from '../src/config';
import { placeholders, validateConfig, validateImage } from '../src/config-rules';

const clone = (c: EnvConfig): EnvConfig => structuredClone(c);

describe('configuration', () => {
  it.each(ENVIRONMENTS)('%s passes the seed rules', (env) => {
    expect(validateConfig(CONFIG[env])).toEqual([]);
  });

  it('rejects a Hyperdrive query cache kept longer than Hyperdrive allows (an hour)', () => {
    const c = clone(CONFIG.dev);
    c.databases[0]!.queryCache = { disabled: false, maxAgeSeconds: 7200, staleWhileRevalidateSeconds: 15 };
    expect(validateConfig(c).join()).toMatch(/console query cache/);
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

describe('edge rules the zone plan allows (the API refuses the rest at apply time)', () => {
  const withEdge = (edge: Partial<EnvConfig['edge']>) => {
    const c = clone(CONFIG.dev);
    c.edge = { ...c.edge, ...edge };
    return validateConfig(c).join('\n');
  };
  const limit = CONFIG.dev.edge.rateLimits[0]!;

  it('Free rate limiting rules cannot test the hostname; Free has no managed ruleset', () => {
    expect(withEdge({ plan: 'free', managedRuleset: 'off' })).toMatch(/cannot match a hostname below Pro/);
    expect(withEdge({ plan: 'free', rateLimits: [], managedRuleset: 'on' })).toMatch(
      /Managed Ruleset needs Pro/,
    );
  });

  it('Pro: periods up to a minute, two rules, no counting by response status', () => {
    expect(withEdge({ rateLimits: [{ ...limit, periodSeconds: 600 }] })).toMatch(
      /period 600s is not offered/,
    );
    expect(withEdge({ rateLimits: [{ ...limit, periodSeconds: 50 }] })).toMatch(/period 50s is not offered/);
    const three = ['a', 'b', 'c'].map((id) => ({ ...limit, id }));
    expect(withEdge({ rateLimits: three })).toMatch(/at most 2 rate limiting rule/);
    expect(withEdge({ rateLimits: [{ ...limit, countStatuses: [401] }] })).toMatch(/needs Business/);
  });

  it('Business: a rule counting 401s per IP over 10 minutes passes', () => {
    const authFailures = { ...limit, id: 'auth_failures', periodSeconds: 600, countStatuses: [401] };
    expect(withEdge({ plan: 'business', rateLimits: [limit, authFailures] })).toBe('');
  });
});

describe('image stack configuration', () => {
  it('passes its rules', () => {
    expect(validateImage(IMAGE, CONFIG)).toEqual([]);
  });

  it('rolls out dev, then stg, then prd, from the parameter every environment launches from', () => {
    expect(IMAGE.rollout.order).toEqual(['dev', 'stg', 'prd']);
    expect(IMAGE.aws.accountId).toBe(CONFIG.dev.aws.accountId);
  });

  it('refuses an environment in another account (the state machine reaches its own account only)', () => {
    const envs = structuredClone(CONFIG);
    envs.stg.aws.accountId = '999999999999';
    expect(validateImage(IMAGE, envs).join()).toMatch(/stg is in account 999999999999/);
  });

  it('refuses a fast wait longer than the normal one, and keeping fewer than 2 images', () => {
    const image = structuredClone(IMAGE);
    image.rollout.fastSoakSeconds = image.rollout.soakSeconds + 1;
    image.keepImages = 1;
    const errors = validateImage(image, CONFIG).join('\n');
    expect(errors).toMatch(/fastSoakSeconds/);
    expect(errors).toMatch(/keepImages/);
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

  // Placement only where the databases are known to be: stg and prd run next to them, dev at the edge.
  it.each(ENVIRONMENTS)(
    "%s: the Worker is placed in the databases' AWS region (stg, prd) or not at all (dev)",
    (env) => {
      const placement = section(env).match(/^\[env\.\w+\.placement\]\n((?:[^[\n].*\n)*)/m)?.[1];
      if (env === 'dev') expect(placement).toBeUndefined();
      else expect(placement?.trim()).toBe(`region = "aws:${CONFIG[env].aws.region}"`);
      expect(
        CONFIG[env].databases.every(
          (d) =>
            d.originService.includes(`.${CONFIG[env].aws.region}.`) ||
            d.originService.includes('REPLACE_WITH_'),
        ),
      ).toBe(true);
    },
  );

  it('dev Hyperdrive ids in wrangler.toml are the as-built ids recorded in the config', () => {
    const ids = [...section('dev').matchAll(/id = "([0-9a-f]{32})"/g)].map((m) => m[1]);
    expect(ids).toEqual([CONFIG.dev.asBuilt?.consoleHyperdriveId, CONFIG.dev.asBuilt?.aggregateHyperdriveId]);
  });
});

describe('no ids or hostnames outside the configuration', () => {
  const dir = new URL('../src/', import.meta.url);
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && f !== 'config.ts')
    .sort();

  it('covers the subdirectories', () => {
    expect(sources).toEqual(
      expect.arrayContaining(['constructs/fleet.ts', 'image/components.ts', 'rollout/definition.ts']),
    );
  });

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
