import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { captureErrorLines } from '../../test/support/log-lines';
import { pollUntil } from '../../test/support/poll';
import { isolatedStreamSlots } from '../../test/support/stream-slots';
import { KEYS, keyHeaders } from '../../test/workers/keys';
import { app } from '../app';
import { keyPairHash } from '../shared/auth/contract';

// The per-key cap on concurrent streams (src/response/stream-slots.ts) through the app, with the
// real StreamSlots object, each test with objects of its own (isolatedStreamSlots).

const DATACONNECTOR = '/v2.0/dataconnector?from=2026-06-01';
const CONNECTOR = '/connector?advertiser_id=11&from=2026-06-01&format=xml';
const CLICKTHROUGHS = '/clickthroughs?advertiser_id=11&from=2026-01-01&format=csv';

describe('concurrent streams per key pair', () => {
  const logged = captureErrorLines();

  const setup = (cap: number, extra: Partial<typeof env> = {}) => {
    const bindings = {
      ...env,
      STREAM_SLOTS: isolatedStreamSlots(),
      STREAM_MAX_PER_KEY: String(cap),
      ...extra,
    };
    const request = (path: string, init: RequestInit = {}, more: Partial<typeof env> = {}) =>
      app.request(
        path,
        { headers: keyHeaders('main'), ...init },
        { ...bindings, ...more },
        createExecutionContext(),
      );
    return { bindings, request };
  };

  /** A stream held open: its first chunk read, the rest waiting for the reader. */
  const open = async (response: Response) => {
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    return reader;
  };

  it('beyond the cap: 429 problem+json naming the limit, with Retry-After; other endpoints unaffected', async () => {
    const { request } = setup(2);
    const held = [await open(await request(DATACONNECTOR)), await open(await request(CONNECTOR))];
    for (const path of [DATACONNECTOR, CONNECTOR, CLICKTHROUGHS]) {
      const refused = await request(path);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(10);
      expect(await refused.json()).toMatchObject({
        status: 429,
        detail: expect.stringContaining('limit of 2 concurrent streamed responses'),
      });
    }
    // A request that would not stream is not limited: buffered endpoints, and the 400 or 404 a
    // stream request gets before it would start (as the legacy answered them).
    expect((await request('/advertisers')).status).toBe(200);
    expect((await request('/connector?advertiser_id=999999')).status).toBe(404);
    expect((await request('/clickthroughs')).status).toBe(400);
    // One stream ends (the client went away): its slot comes back.
    await held[0]!.cancel();
    const next = await pollUntil(
      async () => await request(CLICKTHROUGHS),
      (response) => response.status === 200,
      { tries: 20, everyMs: 50 },
    );
    expect(next.status).toBe(200);
    await next.body?.cancel();
    await held[1]!.cancel();
  });

  it('concurrent requests: exactly the cap is admitted, every other one refused', async () => {
    const { request } = setup(3);
    const responses = await Promise.all(Array.from({ length: 8 }, () => request(DATACONNECTOR)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    await Promise.all(responses.map((response) => response.body?.cancel()));
  });

  it('the count is the shared object’s, not this isolate’s: leases taken elsewhere count', async () => {
    const { bindings, request } = setup(2);
    // Another isolate's two streams of this key pair, as the object sees them.
    const key = await keyPairHash(KEYS.main.int_key, KEYS.main.api_key);
    const stub = bindings.STREAM_SLOTS.get(bindings.STREAM_SLOTS.idFromName(key));
    const elsewhere = await stub.acquire(2, 60_000);
    await stub.acquire(2, 60_000);
    const refused = await request(CONNECTOR);
    expect(refused.status).toBe(429);
    if (elsewhere.granted) await stub.release(elsewhere.lease);
    const admitted = await request(CONNECTOR);
    expect(admitted.status).toBe(200);
    await admitted.body?.cancel();
  });

  it('every way a stream ends gives its slot back: read to the end, HEAD, a failure before the first row', async () => {
    // Cap 1: a slot not given back would refuse every later stream until its lease expired.
    const { request } = setup(1);
    const admittedAgain = async () => {
      const response = await pollUntil(
        async () => await request(CLICKTHROUGHS),
        (answer) => answer.status !== 429,
        { tries: 20, everyMs: 50 },
      );
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };
    await (await request(DATACONNECTOR)).arrayBuffer();
    await admittedAgain();
    expect((await request(CONNECTOR, { method: 'HEAD' })).status).toBe(200);
    await admittedAgain();
    expect((await request(DATACONNECTOR, {}, { DB_AGGREGATE: env.DB_CLOSED })).status).toBe(503);
    await admittedAgain();
    // An empty body (no pair has rows in the window) ends at once.
    await (await request('/clickthroughs?advertiser_id=11&from=2001-01-01&to=2001-01-02')).arrayBuffer();
    await admittedAgain();
  });

  it('the object not answering: this isolate’s own count with the same cap decides (logged)', async () => {
    const silent = {
      idFromName: (name: string) => env.STREAM_SLOTS.idFromName(name),
      // A stub whose calls never answer: an overloaded or unreachable object.
      get: () => ({ acquire: () => new Promise(() => undefined) }),
    } as unknown as typeof env.STREAM_SLOTS;
    const { request } = setup(1, { STREAM_SLOTS: silent });
    const first = await open(await request(CONNECTOR));
    const second = await request(CONNECTOR);
    expect(second.status).toBe(429);
    expect(logged.lines.filter((line) => line.event === 'stream_slots.fallback')).toHaveLength(2);
    await first.cancel();
  });
});
