import type { Env } from '../env';

/**
 * The request clock. Production always uses the real time. Tests (and the parity harness, which
 * replays captures made at a pinned instant) may pin it with the TEST_CLOCK binding, which no
 * deployed environment defines (test/tooling/wrangler-config.test.ts proves it), and which is
 * ignored unless ENVIRONMENT is `test` as a second guard.
 */
export function requestNow(env: Pick<Env, 'ENVIRONMENT' | 'TEST_CLOCK'>, request: Request): Date {
  if (testHooksEnabled(env)) {
    const pinned = request.headers.get('x-test-clock') ?? env.TEST_CLOCK!;
    const instant = new Date(pinned);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  return new Date();
}

/** Test hooks (pinned clock, allowance reset) exist only with the test-only TEST_CLOCK binding. */
export function testHooksEnabled(env: Pick<Env, 'ENVIRONMENT' | 'TEST_CLOCK'>): boolean {
  return Boolean(env.TEST_CLOCK) && env.ENVIRONMENT === 'test';
}
