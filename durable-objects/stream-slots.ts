import { DurableObject } from 'cloudflare:workers';

export type SlotDecision =
  | { granted: true; lease: string; active: number }
  | { granted: false; active: number; retryAfter: number };

/** The Retry-After of a refused stream, at most: a connector stream usually lasts seconds. */
const MAX_RETRY_AFTER_S = 10;

/**
 * One object per key pair: the connector streams it has open, as leases, so that the cap on
 * concurrent streams holds across isolates (src/response/stream-slots.ts). A lease ends when
 * its stream releases it or, if it never does (an isolate that crashed or was evicted
 * mid-stream), when it expires: the Worker asks for one a little longer than a stream may last
 * (its duration cap), so a lost release holds a slot no longer than that.
 *
 * Leases live in the object's synchronous SQLite KV, so calls are serialized by construction and
 * survive the object's eviction; expired ones are dropped on the next acquire. Real time only
 * (a pinned request clock has nothing to do with how long a stream has been running).
 */
export class StreamSlots extends DurableObject {
  private leases(now: number): Record<string, number> {
    const all = this.ctx.storage.kv.get<Record<string, number>>('leases') ?? {};
    for (const [id, expires] of Object.entries(all)) if (expires <= now) delete all[id];
    return all;
  }

  acquire(cap: number, leaseMs: number): SlotDecision {
    const now = Date.now();
    const leases = this.leases(now);
    const active = Object.keys(leases).length;
    if (active >= cap) {
      const soonest = Math.min(...Object.values(leases));
      const retryAfter = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil((soonest - now) / 1000)));
      return { granted: false, active, retryAfter };
    }
    const lease = crypto.randomUUID();
    leases[lease] = now + leaseMs;
    this.ctx.storage.kv.put('leases', leases);
    return { granted: true, lease, active: active + 1 };
  }

  /** Ends a lease (unknown or expired: nothing to do); the streams still open after it. */
  release(lease: string): number {
    const leases = this.leases(Date.now());
    delete leases[lease];
    if (Object.keys(leases).length === 0) this.ctx.storage.kv.delete('leases');
    else this.ctx.storage.kv.put('leases', leases);
    return Object.keys(leases).length;
  }
}
