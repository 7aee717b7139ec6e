import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const configs = {
  'wrangler.toml': parse(readFileSync(join(root, 'wrangler.toml'), 'utf8')),
  'auth-helper/wrangler.toml': parse(readFileSync(join(root, 'auth-helper/wrangler.toml'), 'utf8')),
  'tail-worker/wrangler.toml': parse(readFileSync(join(root, 'tail-worker/wrangler.toml'), 'utf8')),
} as Record<string, Record<string, unknown>>;

type Section = { vars?: Record<string, unknown> };

describe('deployed configuration', () => {
  it.each(Object.keys(configs))('%s: no environment can pin the request clock', (file) => {
    const config = configs[file]!;
    const envs = (config.env ?? {}) as Record<string, Section>;
    expect(Object.keys(envs).sort()).toEqual(['dev', 'prd', 'stg']);
    for (const [name, section] of [['top level', config as Section], ...Object.entries(envs)] as const) {
      expect(section.vars ?? {}, `${file} ${name}`).not.toHaveProperty('TEST_CLOCK');
    }
  });

  it('every environment binds both Hyperdrive configs, both Durable Objects and the AUTH helper', () => {
    const envs = configs['wrangler.toml']!.env as Record<string, Record<string, unknown>>;
    for (const [name, section] of Object.entries(envs)) {
      const hyperdrive = section.hyperdrive as Array<{ binding: string }>;
      expect(hyperdrive.map((h) => h.binding).sort(), name).toEqual(['DB_AGGREGATE', 'DB_CONSOLE']);
      const services = section.services as Array<{ binding: string; service: string }>;
      expect(services, name).toEqual([
        { binding: 'AUTH', service: `adv-svc-auth-helper-${name}`, props: { caller: 'adv-public-api' } },
      ]);
      expect((section.durable_objects as { bindings: unknown[] }).bindings, name).toEqual([
        { name: 'RATE_LIMITER', class_name: 'RateLimiter' },
        { name: 'STREAM_SLOTS', class_name: 'StreamSlots' },
      ]);
    }
  });

  it('every environment sets its own stream limits (src/shared/config), positive integers', () => {
    const config = configs['wrangler.toml']!;
    const envs = config.env as Record<string, Section>;
    for (const [name, section] of [['top level', config as Section], ...Object.entries(envs)] as const) {
      for (const variable of ['STREAM_MAX_PER_KEY', 'STREAM_MAX_DURATION_MS']) {
        expect(section.vars?.[variable], `${name} ${variable}`).toMatch(/^[1-9][0-9]*$/);
      }
    }
  });
});

describe('the runtime never ends a stream before its own duration cap', () => {
  it('every environment’s CPU limit (wrangler inherits [limits]) covers STREAM_MAX_DURATION_MS', () => {
    type Limited = Section & { limits?: { cpu_ms?: number } };
    const config = configs['wrangler.toml'] as Limited;
    const envs = (config as Record<string, unknown>).env as Record<string, Limited>;
    for (const [name, section] of [['top level', config], ...Object.entries(envs)] as const) {
      const cpuMs = (section.limits ?? config.limits)?.cpu_ms;
      // CPU time never exceeds wall time: a limit at least the cap cannot be reached first.
      expect(cpuMs, name).toBeGreaterThanOrEqual(Number(section.vars?.STREAM_MAX_DURATION_MS));
      expect(cpuMs, `${name}: the most Workers allow`).toBeLessThanOrEqual(300_000);
    }
  });
});

describe('the auth helper is reachable through service bindings only (issue 15 item 8)', () => {
  const helper = configs['auth-helper/wrangler.toml']!;
  const helperEnvs = helper.env as Record<string, Record<string, unknown>>;

  it.each(['top level', 'dev', 'stg', 'prd'])(
    '%s: no workers.dev URL, no preview URLs, no routes',
    (name) => {
      const section = name === 'top level' ? helper : helperEnvs[name]!;
      // Said in each environment itself, not left to inheritance or to wrangler's defaults.
      expect(section.workers_dev, name).toBe(false);
      expect(section.preview_urls, name).toBe(false);
      expect(section, name).not.toHaveProperty('routes');
      expect(section, name).not.toHaveProperty('route');
    },
  );

  it('props are required at the top level and in dev; stg and prd may answer unnamed internal calls for one release', () => {
    const varsOf = (section: Record<string, unknown>) => (section.vars ?? {}) as Record<string, unknown>;
    expect(varsOf(helper)).not.toHaveProperty('CALLER_CHECK');
    expect(varsOf(helperEnvs.dev!)).not.toHaveProperty('CALLER_CHECK');
    for (const name of ['stg', 'prd']) {
      expect([undefined, 'props-or-internal'], name).toContain(varsOf(helperEnvs[name]!).CALLER_CHECK);
    }
  });

  it('every Public API binding to it names its caller in props; none binds the operator entrypoint', () => {
    const main = configs['wrangler.toml']!;
    const sections = [main, ...Object.values(main.env as Record<string, Record<string, unknown>>)];
    for (const section of sections) {
      expect(section.services).toEqual([
        expect.objectContaining({ binding: 'AUTH', props: { caller: 'adv-public-api' } }),
      ]);
    }
    for (const config of Object.values(configs)) {
      const all = [config, ...Object.values((config.env ?? {}) as Record<string, Record<string, unknown>>)];
      for (const section of all) {
        for (const service of (section.services ?? []) as Array<{ entrypoint?: string }>) {
          expect(service.entrypoint).not.toBe('AuthAdmin');
        }
      }
    }
  });

  it('every environment of the helper binds its Revocations object', () => {
    expect(helper.migrations).toEqual([{ tag: 'v1', new_sqlite_classes: ['Revocations'] }]);
    for (const section of [helper, ...Object.values(helperEnvs)]) {
      expect((section.durable_objects as { bindings: unknown[] }).bindings).toEqual([
        { name: 'REVOCATIONS', class_name: 'Revocations' },
      ]);
    }
  });
});

describe('logs: Workers Logs and the tail Worker (tail-worker/)', () => {
  const producers = ['wrangler.toml', 'auth-helper/wrangler.toml'];
  const tail = configs['tail-worker/wrangler.toml']!;
  const envsOf = (file: string) => configs[file]!.env as Record<string, Record<string, unknown>>;

  it.each(producers)(
    '%s: Workers Logs (no query strings) and the tail Worker in every environment',
    (file) => {
      for (const [name, section] of Object.entries(envsOf(file))) {
        expect(section.observability, `${file} ${name}`).toEqual({
          enabled: true,
          redact_query_string: true,
        });
        // wrangler deploys an environment's Worker as `<name>-<env>`.
        expect(section.tail_consumers, `${file} ${name}`).toEqual([{ service: `${tail.name}-${name}` }]);
      }
      // The local stack (npm run dev, npm test) runs no tail Worker.
      expect(configs[file]!.tail_consumers).toBeUndefined();
    },
  );

  it('the tail Worker is adv-svc-public-api-tail-{env}, with Workers Logs, and tails nothing itself', () => {
    expect(tail.name).toBe('adv-svc-public-api-tail');
    expect(tail.tail_consumers).toBeUndefined();
    for (const [name, section] of Object.entries(envsOf('tail-worker/wrangler.toml'))) {
      expect(section.tail_consumers, name).toBeUndefined();
      expect(section.observability, name).toEqual({ enabled: true });
    }
  });

  it('each environment posts to a New Relic Log API endpoint and holds no license key', () => {
    const endpoints = ['https://log-api.newrelic.com/log/v1', 'https://log-api.eu.newrelic.com/log/v1'];
    for (const [name, section] of Object.entries(envsOf('tail-worker/wrangler.toml'))) {
      const vars = section.vars as Record<string, unknown>;
      expect(vars.ENVIRONMENT, name).toBe(name);
      expect(endpoints, name).toContain(vars.NEW_RELIC_LOGS_URL);
      expect(vars, name).not.toHaveProperty('NEW_RELIC_LICENSE_KEY');
    }
    // The key is a secret (wrangler secret put): not in any vars, nor anywhere in the file.
    const text = readFileSync(join(root, 'tail-worker/wrangler.toml'), 'utf8');
    expect(text).not.toMatch(/^\s*NEW_RELIC_LICENSE_KEY\s*=/m);
    expect(text).not.toMatch(/[0-9a-f]{36}NRAL/i);
  });
});
