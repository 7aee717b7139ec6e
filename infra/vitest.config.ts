import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // One synth per test file (~1 s for the three stacks on a 2-core machine).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
