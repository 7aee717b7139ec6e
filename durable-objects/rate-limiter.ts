import { DurableObject } from 'cloudflare:workers';
import { logEvent } from '../src/shared/observability/logger';

const HOUR_MS = 3_600_000;

export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window after this one (a refused request is not counted). */
  count: number;
  /** Whole seconds until the window resets (1–3600). */
  retryAfter: number;
}

/**
 * One object per key pair: counts requests per UTC clock hour and allows `rph` of them
 * (CONTRACT §5). The count lives in the object's synchronous SQLite KV, so concurrent requests
 * are serialized by construction; an alarm at the top of the hour empties the window.
 *
 * The request clock may be pinned in tests (see src/request/clock.ts) while alarms run on real
 * time, so the object keeps the offset between the two and schedules in real time.
 */
export class RateLimiter extends DurableObject {
  /**
   * Counts one request of the pair whose SHA-256 is `keyHash` (for the decision's log line: the
   * object's own record of every decision, seed 001 Phase 5) and decides it.
   */
  hit(rph: number, nowMs: number, keyHash = ''): RateDecision {
    const decision = this.decide(rph, nowMs);
    logEvent('info', 'ratelimit.decision', {
      key_hash: keyHash,
      count_after: decision.count,
      outcome: decision.allowed ? 'allowed' : 'throttled',
    });
    return decision;
  }

  private decide(rph: number, nowMs: number): RateDecision {
    const kv = this.ctx.storage.kv;
    const hour = Math.floor(nowMs / HOUR_MS);
    const windowEnd = (hour + 1) * HOUR_MS;
    const sameWindow = kv.get<number>('hour') === hour;
    let count = sameWindow ? (kv.get<number>('count') ?? 0) : 0;
    const retryAfter = Math.min(3600, Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)));
    if (count >= rph) return { allowed: false, count, retryAfter };
    count += 1;
    kv.put('count', count);
    // Milliseconds between the Worker's clock and this object's are noise; only a pinned test
    // clock is far off, and only then do alarms need the offset, to the minute: a pinned clock's
    // offset moves with real time, and taken to the millisecond it re-armed the alarm every hit.
    const offset = nowMs - Date.now();
    const skew = Math.abs(offset) < 60_000 ? 0 : Math.round(offset / 60_000) * 60_000;
    // The window and its alarm are written when the window starts (or the offset moved), not on
    // every hit: one storage write per admitted request instead of four.
    if (!sameWindow || kv.get<number>('skew') !== skew) {
      kv.put('hour', hour);
      kv.put('skew', skew);
      // Fire-and-forget: the storage layer orders it after the writes above.
      void this.ctx.storage.setAlarm(windowEnd - skew);
    }
    return { allowed: true, count, retryAfter };
  }

  /** Empties the window (test-only entry point: see src/middleware/rate-limit.ts). */
  reset(): void {
    this.ctx.storage.kv.delete('hour');
    this.ctx.storage.kv.delete('count');
  }

  override alarm(): void {
    const kv = this.ctx.storage.kv;
    const hour = kv.get<number>('hour');
    const skew = kv.get<number>('skew') ?? 0;
    if (hour === undefined) return;
    const windowEnd = (hour + 1) * HOUR_MS;
    if (Date.now() + skew >= windowEnd) {
      kv.delete('hour');
      kv.delete('count');
    } else {
      void this.ctx.storage.setAlarm(windowEnd - skew);
    }
  }
}
