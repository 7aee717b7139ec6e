// The `tail` project of vitest.config.ts: the tail Worker's tests inside workerd. Its modules run as
// the main Worker (unit tests call them directly); the Worker as wrangler bundles it runs beside as
// `adv-svc-public-api-tail-test`, the tail of two producers, and posts to the sink (sink.ts).
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import type { TestProjectConfiguration } from 'vitest/config';
import { SINK_LICENSE_KEY } from './sink.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    tailWorkerScript: string;
    tailProducerScript: string;
    newRelicSinkUrl: string;
  }
}

const COMPATIBILITY_DATE = '2026-11-01';
const NO_BINDINGS: Record<string, string> = {};

/** Shipping settings for tests: the sink, its key, and retries short enough for a test. */
export function shipVars(sinkUrl: string, scenario: string): Record<string, string> {
  return {
    ENVIRONMENT: 'test',
    NEW_RELIC_LOGS_URL: `${sinkUrl}/${scenario}/log/v1`,
    NEW_RELIC_LICENSE_KEY: SINK_LICENSE_KEY,
    NEW_RELIC_MAX_ATTEMPTS: '3',
    NEW_RELIC_BACKOFF_MS: '100',
    NEW_RELIC_TIMEOUT_MS: '1000',
  };
}

export function tailProject(): TestProjectConfiguration {
  return {
    plugins: [
      cloudflareTest(({ inject }) => {
        const sink = inject('newRelicSinkUrl');
        const producer = (name: string, role: 'api' | 'auth') => ({
          name,
          modules: true,
          scriptPath: inject('tailProducerScript'),
          compatibilityDate: COMPATIBILITY_DATE,
          bindings: { ROLE: role },
          serviceBindings: role === 'api' ? { AUTH: 'adv-svc-auth-helper-test' } : NO_BINDINGS,
          // The producer's name as props: workerd leaves scriptName empty locally.
          tails: [{ name: 'adv-svc-public-api-tail-test', props: { worker: name } }],
        });
        return {
          main: './tail-worker/src/index.ts',
          wrangler: { configPath: './tail-worker/wrangler.toml' },
          miniflare: {
            bindings: { ...shipVars(sink, 'direct'), SINK_URL: sink },
            serviceBindings: { PRODUCER: 'adv-public-api-test' },
            workers: [
              {
                name: 'adv-svc-public-api-tail-test',
                modules: true,
                scriptPath: inject('tailWorkerScript'),
                compatibilityDate: COMPATIBILITY_DATE,
                bindings: shipVars(sink, 'e2e'),
              },
              producer('adv-public-api-test', 'api'),
              producer('adv-svc-auth-helper-test', 'auth'),
            ],
          },
        };
      }),
    ],
    test: {
      name: 'tail',
      globalSetup: ['./tail-worker/test/global-setup.ts'],
      include: ['tail-worker/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
}
