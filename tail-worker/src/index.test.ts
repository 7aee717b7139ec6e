// End to end in workerd: two producer Workers (tail-worker/test/producer.ts, standing in for the
// Public API Worker and the auth helper) name the tail Worker, built by wrangler as deployed, as
// their tail; the runtime hands it their real events and it posts them to the sink standing in for
// New Relic.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { leaksIn, PLANTED, plantedUrl } from '../test/planted';
import { type ReceivedPost, receivedUntil } from '../test/sink-client';

interface Received {
  message: string;
  attributes: Record<string, string | number | boolean>;
  common: Record<string, unknown>;
}

const API = 'adv-public-api-test';
const AUTH = 'adv-svc-auth-helper-test';

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

function recordsOf(posts: ReceivedPost[]): Received[] {
  return posts.flatMap((post) =>
    (
      (post.payload ?? []) as Array<{ common: { attributes: Record<string, unknown> }; logs: Received[] }>
    ).flatMap((block) => block.logs.map((log) => ({ ...log, common: block.common.attributes }))),
  );
}

/** Sends one request through the producers and waits for both invocations' records at the sink. */
async function traced(path: string) {
  const traceId = hex(16);
  const url = plantedUrl(`https://api.adventive.com${path}`);
  const response = await env.PRODUCER.fetch(url, {
    headers: {
      'X-Api-Key': PLANTED.header,
      'x-integration-key': PLANTED.integrationHeader,
      traceparent: `00-${traceId}-${hex(8)}-01`,
    },
  })
    // The body is read as a client would: the invocation (and its event) ends with it.
    .then(async (answer) => {
      await answer.text();
      return answer;
    })
    .catch((error: Error) => error);
  const mine = (posts: ReceivedPost[]) =>
    recordsOf(posts).filter((r) => r.attributes['trace.id'] === traceId);
  const posts = await receivedUntil('e2e', (all) => {
    const kinds = new Set(
      mine(all).map((r) => `${r.attributes['service.name']} ${r.attributes['log.kind']}`),
    );
    return kinds.has(`${API} invocation`) && kinds.has(`${AUTH} invocation`);
  });
  return { response, traceId, posts, records: mine(posts) };
}

describe('tail_consumers → tail Worker → New Relic (sink)', () => {
  it("ships both Workers' records with service, environment, level, request id and trace id", async () => {
    const { response, records, traceId } = await traced('/v1.0/campaigns/201.json');
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(200);

    const api = records.filter((r) => r.attributes['service.name'] === API);
    const auth = records.filter((r) => r.attributes['service.name'] === AUTH);
    // API: the invocation, the request line, the URL line, the headers line, the logged Error.
    expect(api.map((r) => r.attributes['log.kind']).sort()).toEqual([
      'console',
      'console',
      'console',
      'console',
      'invocation',
    ]);
    // Auth helper: the invocation, its cache line, its careless line.
    expect(auth.map((r) => r.attributes['log.kind']).sort()).toEqual(['console', 'console', 'invocation']);

    for (const record of records) {
      expect(record.common).toEqual({ environment: 'test', logtype: 'cloudflare-workers' });
      expect(record.attributes['trace.id']).toBe(traceId);
      expect(['INFO', 'WARN', 'ERROR']).toContain(record.attributes.level);
    }
    // The request id the API's request line carried is on every record of its invocation.
    const requestIds = new Set(api.map((r) => r.attributes['request.id']));
    expect(requestIds.size).toBe(1);
    expect([...requestIds][0]).toMatch(/^[0-9a-f]{16}$/);

    const invocation = api.find((r) => r.attributes['log.kind'] === 'invocation')!;
    expect(invocation.attributes).toMatchObject({
      level: 'INFO',
      'cf.event': 'fetch',
      'cf.outcome': 'ok',
      'http.method': 'GET',
      'http.status_code': 200,
    });
    expect(invocation.attributes['http.url']).toMatch(
      /^https:\/\/api\.adventive\.com\/v1\.0\/campaigns\/201\.json\?/,
    );
    expect(invocation.attributes['http.url']).toContain('format=json');
    const requestLine = api.find((r) => r.attributes.event === 'request')!;
    expect(requestLine.attributes).toMatchObject({
      level: 'INFO',
      endpoint: '/v1.0/campaigns/201.json',
      status: 200,
    });
    const loggedError = api.find((r) => r.attributes['error.class'] === 'Error')!;
    expect(loggedError.attributes.level).toBe('ERROR');
    expect(auth.find((r) => r.attributes.event === 'auth.cache.miss')!.attributes.level).toBe('INFO');
    expect(auth.find((r) => String(r.message).startsWith('lookup of'))!.attributes.level).toBe('WARN');
  });

  it('an uncaught exception arrives as an ERROR record', async () => {
    const { records } = await traced('/throw');
    const api = records.filter((r) => r.attributes['service.name'] === API);
    const invocation = api.find((r) => r.attributes['log.kind'] === 'invocation')!;
    expect(invocation.attributes).toMatchObject({ level: 'ERROR', 'cf.outcome': 'exception' });
    const exception = api.find((r) => r.attributes['log.kind'] === 'exception')!;
    expect(exception.attributes).toMatchObject({ level: 'ERROR', 'error.class': 'Error' });
    expect(exception.message).toMatch(
      /^Error: lookup failed for \?api_key=\[REDACTED\]&integration_key=\[REDACTED\]$/,
    );
  });

  it('no key leaves: not in URLs, headers, fields, messages, Error objects or exceptions', async () => {
    await traced('/throw');
    const { posts } = await traced('/v1.0/advertisers');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.problem).toBeNull();
      expect(leaksIn(post.text)).toEqual([]);
      expect(leaksIn(JSON.stringify(post.headers))).toEqual([]);
    }
    expect(posts.some((post) => post.text.includes('[REDACTED]'))).toBe(true);
  });
});
