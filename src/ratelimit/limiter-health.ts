// How long the RateLimiter Durable Object has been failing, as this isolate has seen it: the
// fallback allowance serves while the outage is short; past the threshold the API fails closed.

export class LimiterHealth {
  private failingSince: number | undefined;

  succeeded(): void {
    this.failingSince = undefined;
  }

  /** Records a failure; answers how long the object has been failing without a success between. */
  failed(nowMs: number): number {
    this.failingSince ??= nowMs;
    return nowMs - this.failingSince;
  }
}
