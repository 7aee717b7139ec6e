// The tests' side of the stand-in for New Relic (sink.ts), called from inside workerd.
import { env } from 'cloudflare:workers';
import type { TailEnv } from '../src/env';
import type { ReceivedPost } from './sink';

export type { ReceivedPost };

/** The tail Worker's settings pointed at one scenario of the sink (one test's own endpoint). */
export function envFor(scenario: string): TailEnv {
  return { ...env, NEW_RELIC_LOGS_URL: `${env.SINK_URL}/${scenario}/log/v1` };
}

/** What the sink answers to the scenario's next POSTs (then 202). */
export async function script(
  scenario: string,
  responses: Array<number | 'reset' | 'hang'>,
  retryAfter?: string,
): Promise<void> {
  const response = await fetch(`${env.SINK_URL}/__script/${scenario}`, {
    method: 'PUT',
    body: JSON.stringify({ responses, retryAfter }),
  });
  await response.body?.cancel();
}

export async function received(scenario: string): Promise<ReceivedPost[]> {
  return (await (await fetch(`${env.SINK_URL}/__received/${scenario}`)).json()) as ReceivedPost[];
}

/** Polls the sink until `done` holds for what it received, or fails after `timeoutMs`. */
export async function receivedUntil(
  scenario: string,
  done: (posts: ReceivedPost[]) => boolean,
  timeoutMs = 15_000,
): Promise<ReceivedPost[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const posts = await received(scenario);
    if (done(posts)) return posts;
    if (Date.now() > deadline) return posts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
