import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { AuthHelperEnv } from '../../auth-helper/src/env';
import type { Revocations } from '../../auth-helper/src/revocations';
import type { RateLimiter } from '../../durable-objects/rate-limiter';
import type { StreamSlots } from '../../durable-objects/stream-slots';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, WORKERS, workerTypes } from '../../scripts/worker-types.mjs';
import type { Env } from '../../src/env';
import type { TailEnv } from '../../tail-worker/src/env';

const scratch = mkdtempSync(join(tmpdir(), 'adv-worker-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bindings typed by wrangler types', () => {
  it('are what `npm run types` makes from the three wrangler.toml files today', async () => {
    const files: Record<string, string> = await workerTypes();
    expect(Object.keys(files).sort()).toEqual([
      'auth-helper/src/bindings.ts',
      'src/bindings.ts',
      'tail-worker/src/bindings.ts',
    ]);
    for (const [path, contents] of Object.entries(files)) {
      const onDisk = readFileSync(join(projectRoot, path), 'utf8');
      expect(onDisk === contents, `${path} is stale: run npm run types`).toBe(true);
    }
  }, 60_000);

  it('follow the config: a binding of one environment appears, optional', async () => {
    for (const { config } of WORKERS as Array<{ config: string }>) {
      cpSync(join(projectRoot, config), join(scratch, config), { recursive: true });
    }
    const config = join(scratch, 'auth-helper/wrangler.toml');
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}\n[[env.prd.kv_namespaces]]\nbinding = "EXTRA"\nid = "x"\n`,
    );
    const files: Record<string, string> = await workerTypes(scratch);
    expect(files['auth-helper/src/bindings.ts']).toContain('  EXTRA?: KVNamespace;\n');
    expect(files['auth-helper/src/bindings.ts']).toContain('  CACHE: KVNamespace;\n');
    expect(files['src/bindings.ts']).not.toContain('EXTRA');
  }, 60_000);

  it('are the Env of each Worker (checked by tsc: npm run typecheck)', () => {
    // A Durable Object class wrangler could not resolve would leave its namespace untyped.
    expectTypeOf<Env['RATE_LIMITER']>().toEqualTypeOf<DurableObjectNamespace<RateLimiter>>();
    expectTypeOf<Env['STREAM_SLOTS']>().toEqualTypeOf<DurableObjectNamespace<StreamSlots>>();
    expectTypeOf<Env['AUTH_FAILURES']>().toEqualTypeOf<RateLimit>();
    expectTypeOf<Env['DB_AGGREGATE']>().toEqualTypeOf<Hyperdrive>();
    expectTypeOf<Env['HANDLER_CONNECTOR']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AuthHelperEnv['REVOCATIONS']>().toEqualTypeOf<DurableObjectNamespace<Revocations>>();
    expectTypeOf<AuthHelperEnv['CACHE']>().toEqualTypeOf<KVNamespace>();
    expectTypeOf<TailEnv['NEW_RELIC_LOGS_URL']>().toEqualTypeOf<string>();
  });
});
