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

describe('structured request log', () => {
  it('one line per request with the contract fields, continuing the caller’s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await call('/v2.1/advertisers?format=xml', {
      headers: { ...keyHeaders('main'), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    const line = lines.find((l) => l.event === 'request');
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
    });
    expect(line?.request_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.query_ms).toEqual(expect.any(Number));
    expect(line?.total_ms).toEqual(expect.any(Number));
  });

  it('starts a trace when the caller sends none or a malformed one', async () => {
    await call('/__health', { headers: { traceparent: 'garbage' } });
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
    expect(lines.find((l) => l.event === 'ratelimit.fallback')).toMatchObject({
      level: 'error',
      account_id: 1,
    });
    expect(lines.find((l) => l.event === 'request')?.outcome).toBe('fallback_allowed');
  });
});
