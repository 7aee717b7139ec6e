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

/** A window's count is stored under this prefix and its UTC hour (hours since the epoch). */
const WINDOW = 'count:';
/** Request clocks further than this from the object's own clock are pinned (tests, the bench). */
const PINNED_AFTER_MS = 60_000;

/**
 * One object per key pair: counts requests per UTC clock hour and allows `rph` of them
 * (CONTRACT §5). The counts live in the object's synchronous SQLite KV, so concurrent requests
 * are serialized by construction.
 *
 * Each hour has its own count, as the legacy's counter file had (`id@hour`): a request is counted
 * in the hour of its clock, whatever hour came before. An alarm at the end of an hour (real time)
 * deletes the counts of the hours that have ended. A pinned request clock (tests, the replay of a
 * capture) arms none: the pinned hour has not ended for the requests that carry it, however long
 * the replay takes, and its count is kept until reset, as the legacy kept it until its reset.
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
    const retryAfter = Math.min(3600, Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)));
    const stored = kv.get<number>(WINDOW + hour) ?? this.countBeforeWindows(hour);
    if (stored >= rph) return { allowed: false, count: stored, retryAfter };
    const count = stored + 1;
    kv.put(WINDOW + hour, count);
    // The first request of an hour on the real clock arms the clean-up: one more write per hour,
    // not per request. Fire-and-forget: the storage layer orders it after the write above.
    if (stored === 0 && Math.abs(nowMs - Date.now()) < PINNED_AFTER_MS)
      void this.ctx.storage.setAlarm(windowEnd);
    return { allowed: true, count, retryAfter };
  }

  /**
   * The count an object kept before counts were stored per hour (`hour` and `count`), if it is of
   * this hour: an object deployed in the middle of an hour goes on counting from there.
   */
  private countBeforeWindows(hour: number): number {
    const kv = this.ctx.storage.kv;
    return kv.get<number>('hour') === hour ? (kv.get<number>('count') ?? 0) : 0;
  }

  /** Empties every window (test-only entry point: see src/middleware/rate-limit.ts). */
  reset(): void {
    const kv = this.ctx.storage.kv;
    for (const key of this.windowKeys()) kv.delete(key);
    this.forgetBeforeWindows();
  }

  override alarm(): void {
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    let next: number | undefined;
    for (const key of this.windowKeys()) {
      const end = (Number(key.slice(WINDOW.length)) + 1) * HOUR_MS;
      if (end <= now) kv.delete(key);
      else next = Math.min(next ?? end, end);
    }
    this.forgetBeforeWindows();
    if (next !== undefined) void this.ctx.storage.setAlarm(next);
  }

  /** The stored windows' keys, read before any is deleted (a handful: never a cursor to keep). */
  private windowKeys(): string[] {
    return Array.from(this.ctx.storage.kv.list({ prefix: WINDOW }), ([key]) => key);
  }

  private forgetBeforeWindows(): void {
    for (const key of ['hour', 'count', 'skew']) this.ctx.storage.kv.delete(key);
  }
}
