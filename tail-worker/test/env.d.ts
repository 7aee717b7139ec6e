// Bindings of the `tail` test project's main Worker (tail-worker/test/project.ts).
import type { TailEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends TailEnv {
      /** The stand-in for New Relic (tail-worker/test/sink.ts). */
      SINK_URL: string;
      /** The test producer playing the Public API Worker; its tail is the built tail Worker. */
      PRODUCER: Fetcher;
    }
  }
}
