// adv-svc-public-api-tail-{env}: the tail consumer of the Public API Worker and of the auth helper
// (their `tail_consumers`). Ships their events, keys removed, to New Relic's Log API.
import { logEvent } from '../../src/shared/observability/logger';
import type { TailEnv } from './env';
import { forward } from './forward';

export default {
  async tail(events, env, ctx) {
    try {
      // A tail binding's props may name the producer (`{ worker }`): how a local setup, where
      // workerd gives no scriptName, tells the two Workers apart (tail-worker/test/project.ts).
      const worker = (ctx.props as { worker?: unknown } | undefined)?.worker;
      await forward(events, env, typeof worker === 'string' ? worker : undefined);
    } catch (error) {
      // Only the error's name: its message could quote an event.
      logEvent('error', 'newrelic.tail_failed', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
  },
} satisfies ExportedHandler<TailEnv>;
