import type { Context } from 'hono';
import type { SlotDecision, StreamSlots } from '../../durable-objects/stream-slots';
import type { AppEnv } from '../env';
import { configOf } from '../shared/config';
import { ApiError } from '../shared/errors/api-error';
import { logEvent } from '../shared/observability/logger';

/** How long the key's StreamSlots object may take to answer before this isolate's count decides. */
const SLOTS_TIMEOUT_MS = 1_000;

/**
 * How much longer than a stream may last its lease is asked for: a stream ends (or is aborted)
 * by its duration cap, so only a release that never came (the isolate gone) lets a lease expire.
 */
const LEASE_GRACE_MS = 30_000;

/** Retry-After of a stream refused by this isolate's own count (the object not answering). */
const FALLBACK_RETRY_AFTER_S = 10;

/**
 * The fallback while the key's StreamSlots object fails or does not answer in time: this
 * isolate's own count of the key's open streams, with the same cap. It is per isolate (a key
 * spread over many isolates could open more), but never unbounded; refusing every stream instead
 * would make an outage of the object an outage of the connectors.
 */
const isolateOpen = new Map<string, number>();

/** A stream's place among its key's open streams; release() is idempotent. */
export interface StreamSlot {
  release(): void;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function refused(c: Context<AppEnv>, cap: number, retryAfter: number, decidedBy: string): ApiError {
  logEvent('warn', 'stream.refused', {
    request_id: c.get('requestId'),
    account_id: c.get('auth').accountId,
    endpoint: c.get('route')?.template ?? null,
    cap,
    decided_by: decidedBy,
  });
  return new ApiError(
    429,
    `This key pair has reached its limit of ${cap} concurrent streamed responses; retry when one of them has finished.`,
    { headers: { 'Retry-After': String(retryAfter) } },
  );
}

function isolateSlot(c: Context<AppEnv>, key: string, cap: number): StreamSlot {
  const open = isolateOpen.get(key) ?? 0;
  if (open >= cap) throw refused(c, cap, FALLBACK_RETRY_AFTER_S, 'isolate');
  isolateOpen.set(key, open + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (isolateOpen.get(key) ?? 1) - 1;
      if (left > 0) isolateOpen.set(key, left);
      else isolateOpen.delete(key);
    },
  };
}

/**
 * A slot among the key pair's concurrent connector streams (STREAM_MAX_PER_KEY), held by a lease
 * in the key's StreamSlots Durable Object, or a 429 naming the limit, with Retry-After. Only a
 * request that is about to stream asks (after its parameters and ids are checked), so a caller at
 * its cap still gets the 400 or 404 the legacy gave. The slot must be released when the stream
 * ends, however it ends; the release goes out in `waitUntil`.
 */
export async function acquireStreamSlot(c: Context<AppEnv>): Promise<StreamSlot> {
  const { maxPerKey: cap, maxDurationMs } = configOf(c.env).stream;
  const key = c.get('auth').keyHash;
  let decision: SlotDecision;
  let stub: DurableObjectStub<StreamSlots>;
  try {
    stub = c.env.STREAM_SLOTS.get(c.env.STREAM_SLOTS.idFromName(key));
    let timedOut = false;
    const asked = Promise.resolve(stub.acquire(cap, maxDurationMs + LEASE_GRACE_MS));
    // Answered after the timeout: a lease granted then is not used, so it is given back.
    asked.then(
      (late) => {
        if (timedOut && late.granted) c.executionCtx.waitUntil(stub.release(late.lease).catch(() => 0));
      },
      () => undefined,
    );
    decision = await withTimeout(asked, SLOTS_TIMEOUT_MS).catch((error: unknown) => {
      timedOut = true;
      throw error;
    });
  } catch (error) {
    logEvent('error', 'stream_slots.fallback', {
      request_id: c.get('requestId'),
      account_id: c.get('auth').accountId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return isolateSlot(c, key, cap);
  }
  if (!decision.granted) throw refused(c, cap, decision.retryAfter, 'object');
  const lease = decision.lease;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      c.executionCtx.waitUntil(
        stub.release(lease).then(
          () => undefined,
          // Unreleased, the lease expires on its own (LEASE_GRACE_MS after the duration cap).
          () => logEvent('warn', 'stream_slots.release_failed', { request_id: c.get('requestId') }),
        ),
      );
    },
  };
}
