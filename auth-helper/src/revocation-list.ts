import { DEFAULTS } from '../../src/shared/config/defaults';
import { nonNegativeVar } from '../../src/shared/config/vars';
import { logEvent } from '../../src/shared/observability/logger';
import type { AuthHelperEnv } from './env';
import { type RevocationSnapshot, revocationsObject } from './revocations';

/** How long one read of the Revocations object may take before the copy in hand is used. */
export const REVOCATIONS_READ_TIMEOUT_MS = 2_000;
/** After a failed read, the next one is tried this much later, not on every request. */
export const REVOCATIONS_RETRY_MS = 1_000;

/** How old this isolate's copy of the revocations may be (REVOCATIONS_MAX_AGE_MS; 0: read on every answer). */
const MaxAgeMs = nonNegativeVar(DEFAULTS.revocationsMaxAgeMs);

export function revocationsMaxAgeMs(configured: string | undefined): number {
  return MaxAgeMs.parse(configured);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * This isolate's copy of the revoked api ids. A copy is used for at most `maxAgeMs` counted from
 * the moment it was asked for, so a revocation reaches every isolate within that bound; all the
 * requests that find it too old wait for one read together.
 *
 * When the object cannot be read, the copy in hand (empty in a new isolate) goes on deciding and
 * the read is tried again REVOCATIONS_RETRY_MS later: an outage of the list must not refuse every
 * key, and the console's own deletion still takes effect through the database.
 */
export class RevocationList {
  private apiIds = new Set<number>();
  private version = -1;
  private freshUntil = 0;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<RevocationSnapshot>,
    private readonly timing = { readTimeoutMs: REVOCATIONS_READ_TIMEOUT_MS, retryMs: REVOCATIONS_RETRY_MS },
  ) {}

  async has(apiId: number, maxAgeMs: number): Promise<boolean> {
    if (Date.now() >= this.freshUntil) await this.refresh(maxAgeMs);
    return this.apiIds.has(apiId);
  }

  /** Takes a snapshot the object answered (a change made through this isolate), unless older. */
  accept(snapshot: RevocationSnapshot, maxAgeMs: number, askedAt: number): void {
    if (snapshot.version < this.version) return;
    this.apiIds = new Set(snapshot.apiIds);
    this.version = snapshot.version;
    this.freshUntil = Math.max(this.freshUntil, askedAt + maxAgeMs);
  }

  private refresh(maxAgeMs: number): Promise<void> {
    this.reading ??= (async () => {
      const askedAt = Date.now();
      try {
        this.accept(await withTimeout(this.read(), this.timing.readTimeoutMs), maxAgeMs, askedAt);
      } catch (error) {
        logEvent('error', 'auth.revocations.unavailable', {
          error: error instanceof Error ? error.message : 'unknown',
          version: this.version,
        });
        this.freshUntil = Date.now() + this.timing.retryMs;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}

// One copy per Revocations binding (the tests bind several helpers in one isolate).
const lists = new WeakMap<object, RevocationList>();

/** This isolate's copy of the helper's revocations, and how old it may be. */
export function revocationsOf(env: Pick<AuthHelperEnv, 'REVOCATIONS' | 'REVOCATIONS_MAX_AGE_MS'>) {
  let list = lists.get(env.REVOCATIONS);
  if (!list) {
    const namespace = env.REVOCATIONS;
    list = new RevocationList(() => revocationsObject(namespace).list());
    lists.set(namespace, list);
  }
  return { list, maxAgeMs: revocationsMaxAgeMs(env.REVOCATIONS_MAX_AGE_MS) };
}
