import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';
import { app } from '../app';

let lines: Array<Record<string, unknown>> = [];
const originals = { log: console.log, warn: console.warn, error: console.error };

beforeEach(() => {
  lines = [];
  for (const level of ['log', 'warn', 'error'] as const) {
    console[level] = (line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) lines.push(JSON.parse(line));
    };
  }
});
afterEach(() => Object.assign(console, originals));

/** A line of the current test, once it is written (a body's end reaches the Worker a little later). */
async function lineOf(event: string): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 500; i++) {
    const line = lines.find((l) => l.event === event);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

describe('structured request log', () => {
  it('one line per request with the contract fields, continuing the caller’s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await call('/v2.1/advertisers?format=xml', {
      headers: { ...keyHeaders('main'), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    // A body rendered whole is handed over whole: its line is written with the response, its size known.
    const line = lines.find((l) => l.event === 'request');
    const body = await response.arrayBuffer();
    expect(line).toMatchObject({
      level: 'info',
      trace_id: traceId,
      account_id: 1,
      endpoint: '/advertisers',
      version: 2,
      format: 'xml',
      status: 200,
      commit_sha: 'test-sha',
      outcome: 'allowed',
      cached: expect.any(Boolean),
      body: 'complete',
      bytes: body.byteLength,
    });
    expect(line?.request_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.query_ms).toEqual(expect.any(Number));
    expect(line?.total_ms).toEqual(expect.any(Number));
  });

  it('an error and the health probe are rendered whole too: their lines come with the response', async () => {
    for (const [path, status] of [
      ['/advertisers', 401],
      ['/advertisers/999999?format=csv', 404],
      ['/__health', 200],
    ] as const) {
      lines.length = 0;
      const headers =
        status === 401 ? { 'X-Api-Key': 'nope', 'X-Integration-Key': 'nope' } : keyHeaders('main');
      const response = await call(path, { headers });
      expect(response.status).toBe(status);
      const line = lines.find((l) => l.event === 'request');
      const body = await response.arrayBuffer();
      expect(body.byteLength).toBeGreaterThan(0);
      expect(line).toMatchObject({ status, body: 'complete', bytes: body.byteLength });
    }
  });

  it('starts a trace when the caller sends none or a malformed one', async () => {
    await (await call('/__health', { headers: { traceparent: 'garbage' } })).arrayBuffer();
    expect(lines.find((l) => l.event === 'request')?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a failing RateLimiter: the isolate’s fallback allowance decides, and an error line says so', async () => {
    const broken = {
      idFromName: () => {
        throw new Error('Durable Object unavailable');
      },
    } as unknown as typeof env.RATE_LIMITER;
    const response = await app.request(
      '/credentialscheck',
      { headers: keyHeaders('main') },
      { ...env, RATE_LIMITER: broken },
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(lines.find((l) => l.event === 'ratelimit.fallback')).toMatchObject({
      level: 'error',
      account_id: 1,
    });
    expect(lines.find((l) => l.event === 'request')?.outcome).toBe('fallback_allowed');
  });

  it('a streamed body: the line says how it ended, its bytes and rows, when it has ended', async () => {
    const complete = await call('/dataconnector?from=2026-01-01&to=2026-11-22', {
      headers: keyHeaders('main'),
    });
    const bytes = (await complete.arrayBuffer()).byteLength;
    const line = await lineOf('request');
    expect(line).toMatchObject({ endpoint: '/dataconnector', body: 'complete', bytes });
    expect(line?.rows).toBeGreaterThan(0);
    lines.length = 0;
    const abandoned = await call('/dataconnector?from=2026-01-01&to=2026-11-22', {
      headers: keyHeaders('main'),
    });
    await abandoned.body?.cancel();
    expect(await lineOf('request')).toMatchObject({
      endpoint: '/dataconnector',
      body: 'aborted',
    });
  });

  it('every line written while a request is answered carries its request_id', async () => {
    await (
      await call('/credentialscheck', { headers: { 'X-Integration-Key': 'nope', 'X-Api-Key': 'nope' } })
    ).arrayBuffer();
    const request = lines.find((l) => l.event === 'request');
    expect(request?.request_id).toMatch(/^[0-9a-f]{16}$/);
    const others = lines.filter((l) => l.event !== 'request' && l.event !== 'ratelimit.decision');
    for (const line of others) expect(line.request_id).toBe(request?.request_id);
  });
});
