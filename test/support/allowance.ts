// Keeps a key pair under its hourly allowance during long test runs at the pinned clock, with the
// test-only reset hook (x-test-reset-allowance, src/middleware/rate-limit.ts): the fixtures' data
// is dated around the pinned clock, so moving the clock (freshHour) would empty the reports.
import { call } from '../workers/http';
import { type KEYS, keyHeaders } from '../workers/keys';

export class AllowanceBudget {
  private used = new Map<keyof typeof KEYS, number>();

  /** @param margin requests that may count against the allowance before the next reset */
  constructor(private readonly margin: number) {}

  /**
   * Counts `requests` requests of `alias` and empties its allowance first when they could cross
   * the margin. Counting is conservative: a request refused before the limiter is counted too.
   */
  async spend(alias: keyof typeof KEYS, requests = 1): Promise<void> {
    const used = this.used.get(alias) ?? 0;
    if (used + requests > this.margin) {
      const response = await call('/credentialscheck', {
        headers: { ...keyHeaders(alias), 'x-test-reset-allowance': '1' },
      });
      if (response.status !== 204) throw new Error(`allowance reset of ${alias} answered ${response.status}`);
      this.used.set(alias, requests);
    } else this.used.set(alias, used + requests);
  }
}
