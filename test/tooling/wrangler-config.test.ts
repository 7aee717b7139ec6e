import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const configs = {
  'wrangler.toml': parse(readFileSync(join(root, 'wrangler.toml'), 'utf8')),
  'auth-helper/wrangler.toml': parse(readFileSync(join(root, 'auth-helper/wrangler.toml'), 'utf8')),
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
      expect(services, name).toEqual([{ binding: 'AUTH', service: `adv-svc-auth-helper-${name}` }]);
      expect((section.durable_objects as { bindings: unknown[] }).bindings, name).toEqual([
        { name: 'RATE_LIMITER', class_name: 'RateLimiter' },
        { name: 'STREAM_SLOTS', class_name: 'StreamSlots' },
      ]);
    }
  });

  it('every environment sets its own stream limits (src/settings.ts), positive integers', () => {
    const config = configs['wrangler.toml']!;
    const envs = config.env as Record<string, Section>;
    for (const [name, section] of [['top level', config as Section], ...Object.entries(envs)] as const) {
      for (const variable of ['STREAM_MAX_PER_KEY', 'STREAM_MAX_DURATION_MS']) {
        expect(section.vars?.[variable], `${name} ${variable}`).toMatch(/^[1-9][0-9]*$/);
      }
    }
  });
});
