import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../test/support/poll';
import type { SlotDecision } from './stream-slots';

const stubFor = (name: string) => env.STREAM_SLOTS.get(env.STREAM_SLOTS.idFromName(name));

describe('StreamSlots Durable Object', () => {
  it('grants `cap` leases, refuses the next with a Retry-After of 1–10 s, grants again after a release', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const first = await stub.acquire(2, 60_000);
    const second = await stub.acquire(2, 60_000);
    expect(first).toMatchObject({ granted: true, active: 1 });
    expect(second).toMatchObject({ granted: true, active: 2 });
    // A lease that outlives the Retry-After bound: the hint is capped at 10 s.
    expect(await stub.acquire(2, 60_000)).toEqual({ granted: false, active: 2, retryAfter: 10 });
    if (!first.granted) throw new Error('unreachable');
    expect(await stub.release(first.lease)).toBe(1);
    // Released twice, or a lease it never gave: nothing changes.
    expect(await stub.release(first.lease)).toBe(1);
    expect(await stub.release('no-such-lease')).toBe(1);
    expect(await stub.acquire(2, 60_000)).toMatchObject({ granted: true, active: 2 });
  });

  it('counts every caller of the key together (each isolate reaches the same object)', async () => {
    const name = `unit-${crypto.randomUUID()}`;
    // Two stubs made separately, as two isolates would make them.
    expect(await stubFor(name).acquire(1, 60_000)).toMatchObject({ granted: true });
    expect(await stubFor(name).acquire(1, 60_000)).toMatchObject({ granted: false, active: 1 });
    // Another key pair has its own object.
    expect(await stubFor(`${name}-other`).acquire(1, 60_000)).toMatchObject({ granted: true });
  });

  it('a lease never released (its isolate gone) expires: the slot comes back', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    expect(await stub.acquire(1, 300)).toMatchObject({ granted: true });
    const refused = await stub.acquire(1, 300);
    expect(refused).toMatchObject({ granted: false, retryAfter: 1 });
    const later = await pollUntil(
      async (): Promise<SlotDecision> => await stub.acquire(1, 60_000),
      (decision) => decision.granted,
      { tries: 30, everyMs: 100 },
    );
    expect(later).toMatchObject({ granted: true, active: 1 });
  });
});
