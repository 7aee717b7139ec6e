import { createExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { envFor, received, script } from '../test/sink-client';
import { fetchItem, jsonLine } from '../test/trace-items';
import { MAX_POST_BYTES, MAX_RECORDS_PER_POST } from './batch';
import { forward } from './forward';
import worker from './index';

type Payload = Array<{
  common: { attributes: Record<string, unknown> };
  logs: Array<{ attributes: Record<string, unknown> }>;
}>;

/** `count` invocations of `lines` log lines each, numbered so that each record can be found once. */
function invocations(count: number, lines: number, message = (n: number) => jsonLine({ event: 'row', n })) {
  return Array.from({ length: count }, (_, item) =>
    fetchItem({ logs: Array.from({ length: lines }, (_, i) => ({ message: message(item * lines + i) })) }),
  );
}

/** The `newrelic.*` lines the tail Worker wrote about itself. */
function ownLines(spy: { mock: { calls: unknown[][] } }) {
  return spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('forward', () => {
  it('sends many events as few posts of at most MAX_RECORDS_PER_POST, every record once', async () => {
    const result = await forward(invocations(3, 1_200), envFor('fw-many'));
    expect(result).toEqual({ records: 3_603, posts: 4, delivered: 3_603, dropped: 0 });
    const posts = await received('fw-many');
    expect(posts.map((p) => p.status)).toEqual([202, 202, 202, 202]);
    const payloads = posts.map((p) => p.payload as Payload);
    expect(payloads.map((p) => p[0]!.logs.length)).toEqual([
      MAX_RECORDS_PER_POST,
      MAX_RECORDS_PER_POST,
      1_000,
      603,
    ]);
    for (const payload of payloads) {
      expect(payload[0]!.common.attributes).toEqual({ environment: 'test', logtype: 'cloudflare-workers' });
    }
    const rows = payloads
      .flatMap((p) => p[0]!.logs.map((l) => l.attributes.n))
      .filter((n) => n !== undefined);
    expect(rows).toEqual(Array.from({ length: 3_600 }, (_, i) => i));
  });

  it('keeps every post within the Log API size limit', async () => {
    // 200 lines of ~30 KB (two-byte characters): ~6 MB of JSON.
    const events = invocations(4, 50, (n) => [`${n} ${'é'.repeat(14_000)}`]);
    const result = await forward(events, envFor('fw-size'));
    expect(result.dropped).toBe(0);
    const posts = await received('fw-size');
    expect(posts.length).toBeGreaterThanOrEqual(7);
    for (const post of posts) {
      expect(post.problem).toBeNull();
      expect(post.jsonBytes).toBeLessThanOrEqual(MAX_POST_BYTES);
      expect(post.bytes).toBeLessThanOrEqual(1_000_000);
    }
    expect(posts.reduce((sum, p) => sum + (p.payload as Payload)[0]!.logs.length, 0)).toBe(204);
  });

  it('drops what the failing sink refused with one counted line, and stops posting', async () => {
    await script('fw-down', Array(20).fill(503));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await forward(invocations(3, 1_200), envFor('fw-down'));
    expect(result).toEqual({ records: 3_603, posts: 1, delivered: 0, dropped: 3_603 });
    // The first payload's 3 attempts, none for the other three.
    expect((await received('fw-down')).map((p) => p.status)).toEqual([503, 503, 503]);
    expect(ownLines(error)).toEqual([
      {
        level: 'error',
        event: 'newrelic.dropped',
        reason: 'delivery_failed',
        records: 3_603,
        payloads: 4,
        attempts: 3,
        status: 503,
        error: null,
        oversized: 0,
        unreadable: 0,
      },
    ]);
  });

  it('keeps what was delivered before the sink failed', async () => {
    await script('fw-partial', [202, 500, 500, 500]);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await forward(invocations(3, 1_200), envFor('fw-partial'));
    expect(result).toEqual({ records: 3_603, posts: 2, delivered: 1_000, dropped: 2_603 });
  });

  it('without a license key posts nothing and counts the drop', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await forward(invocations(1, 5), { ...envFor('fw-nokey'), NEW_RELIC_LICENSE_KEY: '' });
    expect(result).toMatchObject({ posts: 0, dropped: 6 });
    expect(await received('fw-nokey')).toEqual([]);
    expect(ownLines(error)).toEqual([
      { level: 'error', event: 'newrelic.dropped', reason: 'not_configured', records: 6, unreadable: 0 },
    ]);
  });

  it('posts nothing for no events', async () => {
    expect(await forward([], envFor('fw-none'))).toEqual({ records: 0, posts: 0, delivered: 0, dropped: 0 });
    expect(await received('fw-none')).toEqual([]);
  });
});

describe('the tail handler', () => {
  it('never throws: an unreadable event is counted, the rest still goes', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...fetchItem(), logs: null } as unknown as TraceItem;
    await expect(
      worker.tail([broken, ...invocations(1, 2)], envFor('tail-broken'), createExecutionContext()),
    ).resolves.toBeUndefined();
    expect((await received('tail-broken')).length).toBe(1);
    expect(ownLines(error)).toMatchObject([
      { event: 'newrelic.dropped', reason: 'unreadable', unreadable: 1, records: 0 },
    ]);
  });

  it('never throws when its own work fails: one line with the error name only', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const hostile = new Proxy({} as ReturnType<typeof envFor>, {
      get() {
        throw new TypeError('env unreadable');
      },
    });
    await expect(worker.tail(invocations(1, 1), hostile, createExecutionContext())).resolves.toBeUndefined();
    expect(ownLines(error)).toEqual([{ level: 'error', event: 'newrelic.tail_failed', error: 'TypeError' }]);
  });
});
