import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { legacyFixtures } from './test/support/fixtures-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        // Checks of the repository itself (generated code, copies of shared data): plain Node.
        test: { name: 'tooling', environment: 'node', include: ['test/tooling/**/*.test.ts'] },
      },
      {
        plugins: [
          legacyFixtures(new URL('./fixtures', import.meta.url).pathname),
          cloudflareTest(({ inject }) => {
            // Wrangler insists on a local connection string for each Hyperdrive binding.
            process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_CONSOLE = inject('dbConsoleUrl');
            process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_AGGREGATE = inject('dbAggregateUrl');
            return {
              main: './src/index.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { ENVIRONMENT: 'test', COMMIT_SHA: 'test-sha' },
                hyperdrives: { DB_CONSOLE: inject('dbConsoleUrl'), DB_AGGREGATE: inject('dbAggregateUrl') },
                workers: [
                  {
                    name: 'adv-svc-auth-helper',
                    modules: true,
                    scriptPath: inject('authHelperScript'),
                    compatibilityDate: '2026-11-01',
                    compatibilityFlags: ['nodejs_compat'],
                    bindings: { ENVIRONMENT: 'test', COMMIT_SHA: 'test-sha' },
                    hyperdrives: { DB_CONSOLE: inject('dbConsoleUrl') },
                    kvNamespaces: ['CACHE'],
                  },
                ],
              },
            };
          }),
        ],
        test: {
          name: 'workers',
          globalSetup: ['./test/global-setup.ts'],
          include: [
            'src/**/*.test.ts',
            'auth-helper/**/*.test.ts',
            'durable-objects/**/*.test.ts',
            'test/workers/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
