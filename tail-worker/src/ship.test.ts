import { describe, expect, it } from 'vitest';
import { SINK_LICENSE_KEY } from '../test/sink';
import { envFor, received, script } from '../test/sink-client';
import { shipSettingsOf } from './env';
import { backoffDelay, deliver, MAX_RETRY_AFTER_MS } from './ship';

const BODY = JSON.stringify([
  { common: { attributes: { environment: 'test' } }, logs: [{ message: 'hello' }] },
]);
// The test configuration's settings (tail-worker/test/project.ts): 3 attempts, 100 ms, 1 s timeout.
const settingsFor = (scenario: string) => shipSettingsOf(envFor(scenario))!;
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('deliver', () => {
  it('posts gzipped JSON with the license key header, as the Log API takes it', async () => {
    const delivery = await deliver(BODY, settingsFor('ship-ok'));
    expect(delivery).toEqual({ ok: true, attempts: 1, status: 202, error: null });
    const [post, ...more] = await received('ship-ok');
    expect(more).toEqual([]);
    expect(post!.problem).toBeNull();
    expect(post!.headers).toMatchObject({
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-license-key': SINK_LICENSE_KEY,
    });
    expect(post!.text).toBe(BODY);
    expect(post!.jsonBytes).toBe(BODY.length);
  });

  it('compresses: a repetitive payload arrives much smaller than its JSON', async () => {
    const body = JSON.stringify([
      { logs: Array.from({ length: 500 }, (_, i) => ({ message: `request ${i} ok` })) },
    ]);
    await deliver(body, settingsFor('ship-gzip'));
    const [post] = await received('ship-gzip');
    expect(post!.text).toBe(body);
    expect(post!.bytes).toBeLessThan(post!.jsonBytes / 5);
  });

  it('retries 5xx with exponential backoff and succeeds', async () => {
    await script('ship-503', [503, 503]);
    const delivery = await deliver(BODY, settingsFor('ship-503'));
    expect(delivery).toEqual({ ok: true, attempts: 3, status: 202, error: null });
    const posts = await received('ship-503');
    expect(posts.map((p) => p.status)).toEqual([503, 503, 202]);
    // Waits of 100 ms then 200 ms, each jittered into its upper half.
    const [first, second] = gaps(posts.map((p) => p.at));
    expect(first).toBeGreaterThanOrEqual(45);
    expect(second).toBeGreaterThanOrEqual(95);
    expect(posts.every((p) => p.text === BODY)).toBe(true);
  });

  it('retries a connection reset and a request that never gets an answer', async () => {
    await script('ship-network', ['reset', 'hang']);
    const delivery = await deliver(BODY, settingsFor('ship-network'));
    expect(delivery).toMatchObject({ ok: true, attempts: 3 });
    const posts = await received('ship-network');
    expect(posts).toHaveLength(3);
    // The hung attempt was given up after the 1 s timeout.
    expect(gaps(posts.map((p) => p.at))[1]).toBeGreaterThanOrEqual(1_000);
  });

  it('waits for Retry-After on 429', async () => {
    await script('ship-429', [429], '1');
    const delivery = await deliver(BODY, settingsFor('ship-429'));
    expect(delivery).toMatchObject({ ok: true, attempts: 2 });
    const posts = await received('ship-429');
    expect(gaps(posts.map((p) => p.at))[0]).toBeGreaterThanOrEqual(990);
  });

  it.each([400, 403, 413])('does not retry %i: the same payload would be refused again', async (status) => {
    const scenario = `ship-${status}`;
    await script(scenario, [status]);
    expect(await deliver(BODY, settingsFor(scenario))).toEqual({
      ok: false,
      attempts: 1,
      status,
      error: null,
    });
    expect(await received(scenario)).toHaveLength(1);
  });

  it('a wrong license key is refused (403) by the stand-in, as by New Relic, and not retried', async () => {
    const settings = { ...settingsFor('ship-badkey'), licenseKey: 'not-the-key' };
    expect(await deliver(BODY, settings)).toEqual({ ok: false, attempts: 1, status: 403, error: null });
    expect((await received('ship-badkey'))[0]!.problem).toBe('license key missing or wrong');
  });

  it('gives up after the configured attempts', async () => {
    await script('ship-down', [503, 503, 503, 503]);
    expect(await deliver(BODY, settingsFor('ship-down'))).toEqual({
      ok: false,
      attempts: 3,
      status: 503,
      error: null,
    });
    expect(await received('ship-down')).toHaveLength(3);
  });

  it('reports a network failure by its error name', async () => {
    const settings = {
      ...settingsFor('unused'),
      url: 'http://127.0.0.1:1/log/v1',
      maxAttempts: 2,
      backoffMs: 1,
    };
    const delivery = await deliver(BODY, settings);
    expect(delivery.ok).toBe(false);
    expect(delivery.attempts).toBe(2);
    expect(delivery.status).toBeNull();
    expect(delivery.error).toMatch(/Error$/);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, jittered into the upper half', () => {
    for (let i = 0; i < 50; i++) {
      const delays = [1, 2, 3].map((attempt) => backoffDelay(attempt, 100, null));
      expect(delays[0]).toBeGreaterThanOrEqual(50);
      expect(delays[0]).toBeLessThanOrEqual(100);
      expect(delays[1]).toBeGreaterThanOrEqual(100);
      expect(delays[1]).toBeLessThanOrEqual(200);
      expect(delays[2]).toBeGreaterThanOrEqual(200);
      expect(delays[2]).toBeLessThanOrEqual(400);
    }
  });

  it('honours Retry-After up to MAX_RETRY_AFTER_MS', () => {
    expect(backoffDelay(1, 100, 3_000)).toBe(3_000);
    expect(backoffDelay(1, 100, 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('shipSettingsOf', () => {
  it('is null without a license key, and bounds mistyped numbers', () => {
    expect(shipSettingsOf({ ...envFor('x'), NEW_RELIC_LICENSE_KEY: undefined })).toBeNull();
    expect(
      shipSettingsOf({
        ...envFor('x'),
        NEW_RELIC_MAX_ATTEMPTS: '1000',
        NEW_RELIC_BACKOFF_MS: 'soon',
        NEW_RELIC_TIMEOUT_MS: '-5',
      }),
    ).toMatchObject({ maxAttempts: 5, backoffMs: 250, timeoutMs: 100 });
  });
});
