// The fallback allowance while the RateLimiter Durable Object fails: the same rule (rph per key
// pair per UTC clock hour) counted in this isolate's memory. Exact within one isolate; across
// isolates a key may be admitted up to rph once per isolate, which is why a long outage fails
// closed (src/middleware/rate-limit.ts).
import type { RateDecision } from '../../durable-objects/rate-limiter';

const HOUR_MS = 3_600_000;
/** Keys remembered at once; the oldest window is dropped beyond it (memory stays bounded). */
const MAX_KEYS = 10_000;

export class IsolateAllowance {
  private readonly windows = new Map<string, { hour: number; count: number }>();

  hit(keyHash: string, rph: number, nowMs: number): RateDecision {
    const hour = Math.floor(nowMs / HOUR_MS);
    const retryAfter = Math.min(3600, Math.max(1, Math.ceil(((hour + 1) * HOUR_MS - nowMs) / 1000)));
    let window = this.windows.get(keyHash);
    if (!window || window.hour !== hour) {
      this.windows.delete(keyHash);
      if (this.windows.size >= MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
      window = { hour, count: 0 };
      this.windows.set(keyHash, window);
    }
    if (window.count >= rph) return { allowed: false, count: window.count, retryAfter };
    window.count += 1;
    return { allowed: true, count: window.count, retryAfter };
  }
}
