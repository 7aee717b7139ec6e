import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { originalUrlOf } from '../request/query';
import { configOf } from '../shared/config';
import { logEvent } from '../shared/observability/logger';
import { BLOCK_BYTES, BlockDigest, digestStream, firstDifferingBlock } from './block-digest';

/** How long a comparison may wait for the Worker's body to end before it is given up. */
const BODY_WAIT_MS = 10 * 60_000;
const KEY_OR_HOP_HEADER = /^(host|connection|transfer-encoding|cf-.*|x-forwarded-.*)$/i;

/**
 * The soak's live comparison (seed 001 Phase 8). A sampled GET the Worker answered is also sent
 * to LEGACY_ORIGIN once the Worker's body has ended (in waitUntil: the caller never waits for it),
 * and one log line says whether the two answers match: status, Content-Type and body for a 200,
 * status for an error (CONTRACT §4). Both bodies are fingerprinted as they stream (block-digest.ts),
 * never held whole. The request carries the caller's keys, so it counts against the caller's
 * hourly allowance on the legacy too.
 */
export const shadowCompare: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const rate = configOf(c.env).shadow.sampleRate;
  const origin = c.env.LEGACY_ORIGIN?.trim();
  const route = c.get('route');
  if (rate === 0 || !origin || !route?.authenticated || c.get('origin') !== 'worker') return;
  if (c.req.method !== 'GET' || c.req.header('x-test-reset-allowance') || Math.random() >= rate) return;

  c.set('shadowed', true);
  const worker = c.res;
  const digest = new BlockDigest();
  let ended: () => void = () => {};
  const bodyEnded = new Promise<void>((resolve) => {
    ended = resolve;
  });
  if (worker.body) {
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        digest.update(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        ended();
      },
    });
    c.res = new Response(worker.body.pipeThrough(tap), worker);
  } else {
    ended();
  }

  const sent = new URL(originalUrlOf(c.req.raw));
  const headers = new Headers();
  c.req.raw.headers.forEach((value, name) => {
    if (!KEY_OR_HOP_HEADER.test(name)) headers.set(name, value);
  });
  const fields = {
    request_id: c.get('requestId'),
    endpoint: route.template,
    format: c.get('format') ?? null,
    version: route.version,
  };
  c.executionCtx.waitUntil(
    (async () => {
      const finished = await Promise.race([
        bodyEnded.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), BODY_WAIT_MS)),
      ]);
      if (!finished)
        return logEvent('warn', 'shadow.skipped', { ...fields, reason: 'body not read to its end' });
      digest.finish();
      try {
        const legacy = await fetch(`${origin.replace(/\/+$/, '')}${sent.pathname}${sent.search}`, {
          headers,
        });
        const legacyDigest = await digestStream(legacy.body);
        const isError = legacy.status !== 200;
        const sameType = isError || legacy.headers.get('content-type') === worker.headers.get('content-type');
        const offset = isError ? null : firstDifferingBlock(digest, legacyDigest);
        const match =
          legacy.status === worker.status &&
          (legacy.headers.get('retry-after') ?? '') === (worker.headers.get('retry-after') ?? '') &&
          sameType &&
          offset === null;
        logEvent(match ? 'info' : 'warn', 'shadow.compare', {
          ...fields,
          outcome: match ? 'match' : 'mismatch',
          worker_status: worker.status,
          legacy_status: legacy.status,
          content_type_differs: !sameType,
          worker_bytes: digest.size,
          legacy_bytes: legacyDigest.size,
          // The start of the first 16 KiB block that differs (bodies are compared by block hashes).
          first_difference_block: offset,
          block_bytes: BLOCK_BYTES,
        });
      } catch (error) {
        logEvent('warn', 'shadow.failed', {
          ...fields,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    })(),
  );
};
