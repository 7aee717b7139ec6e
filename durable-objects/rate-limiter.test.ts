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

  it('schedules an alarm at the top of the hour (real time, whatever the request clock) that empties the window', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const now = Date.now();
    const windowEnd = (Math.floor(now / HOUR) + 1) * HOUR;
    await stub.hit(5, now);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(windowEnd);
    // A pinned clock in the past: the alarm still lands in real time, one window later.
    const past = stubFor(`unit-${crypto.randomUUID()}`);
    const pinned = Date.UTC(2026, 10, 22, 15, 30);
    await past.hit(5, pinned);
    const pastAlarm = await runInDurableObject(past, (_instance, state) => state.storage.getAlarm());
    expect(Math.abs((pastAlarm ?? 0) - (Date.now() + 30 * 60_000))).toBeLessThan(60_000);
  });

  it('arms the alarm when a window starts, not on every hit', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const now = Date.now();
    await stub.hit(5, now);
    // Take the alarm away: a later hit of the same window must not write it (nor the window) again.
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    expect(await stub.hit(5, now)).toMatchObject({ allowed: true, count: 2 });
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeNull();
    // The next window arms it again.
    expect(await stub.hit(5, now + HOUR)).toMatchObject({ allowed: true, count: 1 });
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
    // A pinned request clock (tests, the bench): real time moves between hits, the window does not.
    const pinned = stubFor(`unit-${crypto.randomUUID()}`);
    const at = Date.UTC(2026, 10, 22, 15, 30);
    await pinned.hit(5, at);
    await runInDurableObject(pinned, (_instance, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await pinned.hit(5, at)).toMatchObject({ allowed: true, count: 2 });
    expect(await runInDurableObject(pinned, (_instance, state) => state.storage.getAlarm())).toBeNull();
  });

  it('the alarm empties an ended window and keeps a live one', async () => {
    const stub = stubFor(`unit-${crypto.randomUUID()}`);
    const pinned = Date.UTC(2026, 10, 22, 15, 30);
    for (let i = 0; i < 3; i++) await stub.hit(3, pinned);
    expect(await stub.hit(3, pinned)).toMatchObject({ allowed: false });
    // The window has not ended on the request clock yet: the alarm re-arms and keeps the count.
    await runDurableObjectAlarm(stub);
    expect(await stub.hit(3, pinned)).toMatchObject({ allowed: false });
    // Pretend the window ended: shift the stored offset by an hour, then run the alarm.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.kv.put('skew', (state.storage.kv.get<number>('skew') ?? 0) + HOUR);
    });
    await runDurableObjectAlarm(stub);
    expect(await stub.hit(3, pinned)).toMatchObject({ allowed: true, count: 1 });
  });
});
