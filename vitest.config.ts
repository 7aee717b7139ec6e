import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { tailProject } from './tail-worker/test/project.ts';
import { legacyFixtures } from './test/support/fixtures-plugin.ts';
import { onConsoleLog } from './test/support/log-output.ts';

const fixturesDir = new URL('./fixtures', import.meta.url).pathname;

/**
 * Tests of modules that need neither workerd nor MariaDB (the legacy PHP functions, request and
 * route parsing, settings): the `unit` project runs them in Node, `npm run test:unit`, in seconds;
 * the `workers` project leaves them out. A test that needs the runtime (cloudflare:*, `env`, the
 * Worker through SELF) stays in `workers`.
 */
const UNIT_TESTS = [
  'src/legacy/**/*.test.ts',
  'src/request/dates.test.ts',
  'src/routing/resolve.test.ts',
  'src/auth/cache.test.ts',
  'src/cutover/block-digest.test.ts',
  'src/response/chunk-builder.test.ts',
  'src/response/row-encoder.test.ts',
  'src/response/formats/index.test.ts',
  'src/request/connector-options.test.ts',
  'src/queries/metric-segments.test.ts',
  'src/shared/config/index.test.ts',
  'src/shared/observability/trace.test.ts',
];

// Fault injection with real components: nothing listens on port 1.
const CLOSED_PORT_URL = 'mysql://public_api:local-dev-only@127.0.0.1:1/console';

/** The auth helper Worker as built by wrangler in test/global-setup.ts, beside the Worker under test. */
function authHelper(
  name: string,
  script: string,
  consoleUrl: string,
  bindings: Record<string, string> = {},
  revocationsOf = name,
) {
  // Each helper has its own KV namespace (named after it), as each deployed helper has; its
  // Revocations object is its own unless it reads another helper's (a second isolate of it).
  return {
    name,
    modules: true,
    scriptPath: script,
    compatibilityDate: '2026-11-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: { ENVIRONMENT: 'test', COMMIT_SHA: 'test-sha', ...bindings },
    hyperdrives: { DB_CONSOLE: consoleUrl },
    kvNamespaces: { CACHE: `${name}-cache` },
    durableObjects: { REVOCATIONS: { className: 'Revocations', scriptName: revocationsOf, useSQLite: true } },
  };
}

/** A service binding as the Public API Worker's (wrangler.toml): its props name the caller. */
const asPublicApi = (name: string) => ({ name, props: { caller: 'adv-public-api' } });

export default defineConfig({
  // mysql2's optional `cardinal`, absent as in the deployed bundle (test/support/no-cardinal.cjs).
  resolve: { alias: { cardinal: new URL('./test/support/no-cardinal.cjs', import.meta.url).pathname } },
  test: {
    // The Workers' JSON log lines are not printed (SHOW_LOG_LINES=1 prints them); tests that assert
    // on them capture console themselves.
    onConsoleLog,
    projects: [
      {
        // Checks of the repository itself (generated code, copies of shared data): plain Node.
        test: { name: 'tooling', environment: 'node', include: ['test/tooling/**/*.test.ts'] },
      },
      {
        // Pure modules in plain Node: no MariaDB, no workerd (UNIT_TESTS).
        plugins: [legacyFixtures(fixturesDir)],
        test: { name: 'unit', environment: 'node', include: UNIT_TESTS },
      },
      // The tail Worker that ships both Workers' logs to New Relic, against a local stand-in sink.
      tailProject(),
      {
        // Faults with the real components: its own MariaDB (`faults`), a fault proxy and wrangler dev
        // (test/faults/stack.ts). One stack at a time; a case may wait out the 5 s auth timeout.
        test: {
          name: 'faults',
          environment: 'node',
          include: ['test/faults/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        // What integrators deploy and copy (integrations/*.gs, the guides' examples), run in Node
        // against both Workers under wrangler dev (test/integrations/stack.ts).
        test: {
          name: 'integrations',
          environment: 'node',
          include: ['test/integrations/**/*.test.ts'],
          globalSetup: ['./test/integrations/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        // What an operator runs or an outsider can reach, under wrangler dev (test/operator/): npm run
        // auth:revoke against both Workers, the auth helper asked over HTTP, and the smoke probes.
        test: {
          name: 'operator',
          environment: 'node',
          include: ['test/operator/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        plugins: [
          legacyFixtures(fixturesDir),
          cloudflareTest(({ inject }) => {
            const script = inject('authHelperScript');
            return {
              main: './src/index.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  ENVIRONMENT: 'test',
                  COMMIT_SHA: 'test-sha',
                  // The fixtures' clock (2026-11-22 10:30 America/New_York); x-test-clock overrides it.
                  TEST_CLOCK: '2026-11-22T15:30:00Z',
                },
                hyperdrives: {
                  DB_CONSOLE: inject('dbConsoleUrl'),
                  DB_AGGREGATE: inject('dbAggregateUrl'),
                  DB_CLOSED: CLOSED_PORT_URL,
                  // The admin user (scratch databases, KILL) for fault tests such as a connection
                  // killed mid-stream; test-only like every binding of this block.
                  DB_ADMIN: `${inject('dbAdminUrl').replace(/\/[^/]*$/, '')}/mysql`,
                },
                serviceBindings: {
                  AUTH_BROKEN: asPublicApi('adv-svc-auth-helper-broken'),
                  // A second isolate of the helper (own memory, same revocations), slow to re-read them.
                  AUTH_PEER: asPublicApi('adv-svc-auth-helper-peer'),
                  // The operator's interface, and the helper reached by a binding that names no caller.
                  AUTH_ADMIN: { name: 'adv-svc-auth-helper', entrypoint: 'AuthAdmin' },
                  AUTH_NO_CALLER: 'adv-svc-auth-helper',
                },
                // The helper's own KV cache and Revocations object, to look at what they hold.
                kvNamespaces: { AUTH_HELPER_CACHE: 'adv-svc-auth-helper-cache' },
                durableObjects: {
                  AUTH_HELPER_REVOCATIONS: {
                    className: 'Revocations',
                    scriptName: 'adv-svc-auth-helper',
                    useSQLite: true,
                  },
                },
                // A failed-authentication limit small enough to reach in a test (test-only; the
                // wrangler.toml one, AUTH_FAILURES, is far above the suite's 401s).
                ratelimits: {
                  AUTH_FAILURES_TIGHT: { namespace_id: '9001', simple: { limit: 3, period: 60 } },
                },
                workers: [
                  authHelper('adv-svc-auth-helper', script, inject('dbConsoleUrl')),
                  // The same auth helper whose database is unreachable.
                  authHelper('adv-svc-auth-helper-broken', script, CLOSED_PORT_URL, {
                    DB_CONNECT_TIMEOUT_MS: '1000',
                  }),
                  authHelper(
                    'adv-svc-auth-helper-peer',
                    script,
                    inject('dbConsoleUrl'),
                    { REVOCATIONS_MAX_AGE_MS: '1500' },
                    'adv-svc-auth-helper',
                  ),
                ],
              },
            };
          }),
        ],
        test: {
          name: 'workers',
          globalSetup: ['./test/global-setup.ts'],
          // The first request of a file loads the Worker bundle (mysql2, the spec): seconds on a
          // busy 2-core machine. Timing is measured by `npm run bench`, never asserted here.
          testTimeout: 30_000,
          hookTimeout: 30_000,
          include: [
            'src/**/*.test.ts',
            'auth-helper/**/*.test.ts',
            'durable-objects/**/*.test.ts',
            'test/workers/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, ...UNIT_TESTS],
        },
      },
    ],
  },
});
