import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/shared/config/defaults';
import { RevocationList, revocationsMaxAgeMs } from './revocation-list';
import type { RevocationSnapshot } from './revocations';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in for the Revocations object: counts reads, answers what `state` holds. */
function source(initial: number[] = []) {
  const state = { snapshot: { version: 1, apiIds: initial } as RevocationSnapshot, reads: 0, fail: false };
  const read = async () => {
    state.reads += 1;
    await sleep(5);
    if (state.fail) throw new Error('object unavailable');
    return state.snapshot;
  };
  return { state, read };
}

describe('RevocationList (an isolate copy of the Revocations object)', () => {
  it('reads once per maxAge; requests in between use the copy, together waiting for one read', async () => {
    const { state, read } = source([7]);
    const list = new RevocationList(read);
    const answers = await Promise.all([list.has(7, 60_000), list.has(8, 60_000), list.has(7, 60_000)]);
    expect(answers).toEqual([true, false, true]);
    expect(state.reads).toBe(1);
  });

  it('a revocation made elsewhere is seen once the copy is maxAge old', async () => {
    const { state, read } = source();
    const list = new RevocationList(read);
    expect(await list.has(7, 100)).toBe(false);
    state.snapshot = { version: 2, apiIds: [7] };
    expect(await list.has(7, 100)).toBe(false); // the copy is younger than 100 ms
    await sleep(120);
    expect(await list.has(7, 100)).toBe(true);
    expect(state.reads).toBe(2);
  });

  it("the copy's age counts from when it was asked for, not from when a slow read answered", async () => {
    const state = { reads: 0 };
    const list = new RevocationList(async () => {
      state.reads += 1;
      await sleep(150);
      return { version: state.reads, apiIds: [] };
    });
    await list.has(1, 100); // asked, then answered 150 ms later: already too old
    await list.has(1, 100);
    expect(state.reads).toBe(2);
  });

  it('maxAge 0 reads on every answer', async () => {
    const { state, read } = source();
    const list = new RevocationList(read);
    for (let i = 0; i < 3; i++) await list.has(1, 0);
    expect(state.reads).toBe(3);
  });

  it('the object failing: the copy in hand decides, and the read is retried after retryMs only', async () => {
    const { state, read } = source([7]);
    const list = new RevocationList(read, { readTimeoutMs: 1_000, retryMs: 100 });
    expect(await list.has(7, 0)).toBe(true);
    state.fail = true;
    expect(await list.has(7, 0)).toBe(true);
    expect(await list.has(7, 0)).toBe(true);
    expect(state.reads).toBe(2); // the failed read, then no other before retryMs
    await sleep(120);
    state.fail = false;
    state.snapshot = { version: 2, apiIds: [] };
    expect(await list.has(7, 0)).toBe(false);
  });

  it('a new isolate whose first read fails lets valid pairs through (an outage must not refuse every key)', async () => {
    const { state, read } = source([7]);
    state.fail = true;
    const list = new RevocationList(read, { readTimeoutMs: 1_000, retryMs: 100 });
    expect(await list.has(7, 5_000)).toBe(false);
  });

  it('a read that never answers is given up after readTimeoutMs', async () => {
    const list = new RevocationList(() => new Promise<RevocationSnapshot>(() => {}), {
      readTimeoutMs: 50,
      retryMs: 1_000,
    });
    const started = Date.now();
    expect(await list.has(7, 5_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('accept() takes a newer snapshot at once and ignores an older one', async () => {
    const { read } = source();
    const list = new RevocationList(read);
    list.accept({ version: 5, apiIds: [9] }, 60_000, Date.now());
    expect(await list.has(9, 60_000)).toBe(true);
    list.accept({ version: 4, apiIds: [] }, 60_000, Date.now());
    expect(await list.has(9, 60_000)).toBe(true);
  });
});

describe('revocationsMaxAgeMs', () => {
  it.each([
    [undefined, DEFAULTS.revocationsMaxAgeMs],
    ['', DEFAULTS.revocationsMaxAgeMs],
    ['0', 0],
    ['1500', 1_500],
    ['-1', DEFAULTS.revocationsMaxAgeMs],
    ['soon', DEFAULTS.revocationsMaxAgeMs],
  ])('%j → %d', (configured, expected) => {
    expect(revocationsMaxAgeMs(configured)).toBe(expected);
  });
});
