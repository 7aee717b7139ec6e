import { createExecutionContext } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/env';
import { onError } from '../../src/errors/error-handler';
import { call, problemOf } from './http';

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'instance', 'request_id'];

describe('errors are RFC 9457 problem+json', () => {
  it.each([
    ['/nope'],
    ['/advertisers.yaml'],
    ['/advertisers.JSON'],
    ['/v0.9/advertisers'],
    ['/v2/advertisers'],
    ['/vx.1/advertisers'],
    ['/V1.0/advertisers'],
    ['/v1.0/advertisers%0A'],
    ['/advertisers.json%0A'],
  ])('unknown path %s → 404', async (path) => {
    const response = await call(path);
    expect(response.status).toBe(404);
    const problem = await problemOf(response);
    expect(Object.keys(problem)).toEqual(PROBLEM_KEYS);
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(problem.instance).toBe(path);
    expect(String(problem.detail)).toContain(path);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s on a known path → 405 with Allow', async (method) => {
    const response = await call('/v2.1/advertisers', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ title: 'Method Not Allowed', status: 405 });
    expect(String(problem.detail)).toContain(method);
  });

  it('a method on an unknown path is 404, not 405 (path first)', async () => {
    expect((await call('/nope', { method: 'POST' })).status).toBe(404);
    expect((await call('/nope', { method: 'OPTIONS' })).status).toBe(404);
  });

  it('OPTIONS on a known path → 204 with Allow and no body', async () => {
    const response = await call('/advertisers/11', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await response.text()).toBe('');
  });

  it('HEAD of an error has the status and no body', async () => {
    const response = await call('/nope', { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('an internal fault is a generic 500: no message, no stack, logged instead', async () => {
    const app = new Hono<AppEnv>();
    app.get('/boom', () => {
      throw new TypeError('secret detail from deep inside mysql://user:pw@host');
    });
    app.onError(onError);
    const logged: string[] = [];
    const original = console.error;
    console.error = (line: string) => logged.push(line);
    try {
      const response = await app.request('/boom', {}, {}, createExecutionContext());
      expect(response.status).toBe(500);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 500, title: 'Internal Server Error', instance: '/boom' });
      expect(JSON.stringify(problem)).not.toMatch(/secret|mysql|TypeError|\.ts:\d+/);
      expect(logged).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });
});
