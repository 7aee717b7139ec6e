import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KEYS } from '../../test/workers/keys';
import helper from './index';

const main = KEYS.main;
const authBody = JSON.stringify({ apiKey: main.api_key, integrationKey: main.int_key });
const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: authBody };

/** The helper called in this isolate with an execution context carrying `props` (or none). */
function withProps(path: string, init: RequestInit, props?: unknown) {
  const helperEnv = { ...env, CACHE: env.AUTH_HELPER_CACHE, REVOCATIONS: env.AUTH_HELPER_REVOCATIONS };
  if (props === 'no context') return helper.request(path, init, helperEnv);
  const ctx = createExecutionContext();
  if (props !== undefined) Object.assign(ctx, { props });
  return helper.request(path, init, helperEnv, ctx);
}

describe('the auth helper answers its service bindings only', () => {
  it('the Public API binding (props.caller in wrangler.toml) is answered', async () => {
    const response = await env.AUTH.fetch('https://auth-helper/auth', post);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ valid: true, accountId: 1 });
  });

  it.each([
    ['POST /auth', '/auth', post],
    ['GET /__health', '/__health', {}],
    ['an unknown path', '/anything', {}],
  ])('a binding that names no caller: %s → 403 problem+json, no account', async (_name, path, init) => {
    const response = await env.AUTH_NO_CALLER.fetch(`https://auth-helper${path}`, init);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'The auth helper answers its service bindings only.',
    });
  });

  it('headers cannot stand in for props (as an Internet request would try)', async () => {
    const response = await env.AUTH_NO_CALLER.fetch('https://auth-helper/auth', {
      ...post,
      headers: { ...post.headers, 'CF-Connecting-IP': '203.0.113.9', 'X-Caller': 'adv-public-api' },
    });
    expect(response.status).toBe(403);
  });

  it.each([
    ['no execution context', 'no context'],
    ['a context without props', undefined],
    ['empty props (an HTTP request)', {}],
    ['an empty caller', { caller: '' }],
    ['a caller that is not a string', { caller: 42 }],
  ])('%s → 403', async (_name, props) => {
    expect((await withProps('/auth', post, props)).status).toBe(403);
  });

  it('any named caller is answered', async () => {
    const response = await withProps('/auth', post, { caller: 'another-worker' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ valid: true, accountId: 1 });
  });
});

describe('CALLER_CHECK=props-or-internal (while a Public API version without props can serve)', () => {
  const transitional = (headers: Record<string, string>) => {
    const ctx = Object.assign(createExecutionContext(), { props: {} });
    const helperEnv = {
      ...env,
      CACHE: env.AUTH_HELPER_CACHE,
      REVOCATIONS: env.AUTH_HELPER_REVOCATIONS,
      CALLER_CHECK: 'props-or-internal',
    };
    return helper.request('/auth', { ...post, headers: { ...post.headers, ...headers } }, helperEnv, ctx);
  };

  it("a call without props, as the old Public API's binding made it, is answered", async () => {
    const response = await transitional({});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ valid: true, accountId: 1 });
  });

  it('a request the edge brought (CF-Connecting-IP) is still refused', async () => {
    expect((await transitional({ 'CF-Connecting-IP': '203.0.113.9' })).status).toBe(403);
  });
});
