import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const stubFor = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));

describe('RateLimiter Durable Object', () => {
  it('allows rph hits per UTC hour and reports whole seconds to the top of the hour', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const t = Date.UTC(2031, 5, 1, 12, 59, 59, 500);
    expect(await stub.hit(2, t)).toEqual({ allowed: true, count: 1, retryAfter: 1 });
    expect(await stub.hit(2, t)).toEqual({ allowed: true, count: 2, retryAfter: 1 });
    expect(await stub.hit(2, t)).toEqual({ allowed: false, count: 2, retryAfter: 1 });
    // A new hour starts a new window even before the alarm runs.
    expect(await stub.hit(2, t + 1_000)).toMatchObject({ allowed: true, count: 1, retryAfter: 3600 });
  });

  it('rph 0 admits nothing', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    expect(await stub.hit(0, Date.UTC(2031, 0, 1))).toMatchObject({ allowed: false });
  });

  it('counts each UTC hour apart, as the legacy did: an hour seen before goes on from its count', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const h1 = Date.UTC(2031, 5, 1, 12, 10);
    expect(await stub.hit(3, h1)).toMatchObject({ allowed: true, count: 1 });
    expect(await stub.hit(3, h1 + 1_000)).toMatchObject({ allowed: true, count: 2 });
    expect(await stub.hit(3, h1 + HOUR)).toMatchObject({ allowed: true, count: 1 });
    expect(await stub.hit(3, h1)).toMatchObject({ allowed: true, count: 3 });
    expect(await stub.hit(3, h1)).toMatchObject({ allowed: false, count: 3 });
    expect(await stub.hit(3, h1 + HOUR)).toMatchObject({ allowed: true, count: 2 });
    // The allowance reset (tests only) empties every hour.
    await stub.reset();
    expect(await stub.hit(3, h1)).toMatchObject({ allowed: true, count: 1 });
    expect(await stub.hit(3, h1 + HOUR)).toMatchObject({ allowed: true, count: 1 });
  });

  it('arms an alarm at the end of the hour on the real clock, once per hour', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const now = Date.now();
    const windowEnd = (Math.floor(now / HOUR) + 1) * HOUR;
    await stub.hit(5, now);
    const alarmOf = () => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(await alarmOf()).toBe(windowEnd);
    // Take the alarm away: a later hit of the same hour must not write it again.
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    expect(await stub.hit(5, now)).toMatchObject({ allowed: true, count: 2 });
    expect(await alarmOf()).toBeNull();
  });

  it('keeps the count of a pinned clock: no alarm ends its hour while real time runs on', async () => {
    // A capture replayed at 15:59:59: its hour never ends for the requests that carry it.
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const pinned = Date.UTC(2026, 10, 22, 15, 59, 59);
    for (let i = 1; i <= 3; i++) expect(await stub.hit(3, pinned)).toMatchObject({ allowed: true, count: i });
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeNull();
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await stub.hit(3, pinned)).toMatchObject({ allowed: false, count: 3, retryAfter: 1 });
  });

  it('the alarm deletes the hours that have ended and keeps the others', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const now = Date.now();
    const ended = now - 2 * HOUR;
    await stub.hit(5, ended);
    await stub.hit(5, ended);
    await stub.hit(5, now);
    await stub.hit(5, now);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.hit(5, ended)).toMatchObject({ count: 1 });
    expect(await stub.hit(5, now)).toMatchObject({ count: 3 });
    // The current hour is still there: the alarm armed itself again for its end.
    const windowEnd = (Math.floor(now / HOUR) + 1) * HOUR;
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBe(windowEnd);
  });

  it('goes on from the count an object kept before counts were stored per hour', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const t = Date.UTC(2031, 5, 1, 12, 10);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.kv.put('hour', Math.floor(t / HOUR));
      state.storage.kv.put('count', 2);
    });
    expect(await stub.hit(3, t)).toMatchObject({ allowed: true, count: 3 });
    expect(await stub.hit(3, t)).toMatchObject({ allowed: false, count: 3 });
    expect(await stub.hit(3, t + HOUR)).toMatchObject({ allowed: true, count: 1 });
  });
});
