import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';
import { HANDLERS, originOf } from './handler-flags';

const request = (headers: Record<string, string> = {}) => new Request('http://api.test/', { headers });

describe('per-handler flags (seed 001 Phase 6)', () => {
  it('every handler answers from the Worker unless its flag says legacy', () => {
    for (const template of Object.keys(HANDLERS)) expect(originOf(env, template, request())).toBe('worker');
    expect(originOf({ ...env, HANDLER_CONNECTOR: 'legacy' }, '/connector', request())).toBe('legacy');
    expect(originOf({ ...env, HANDLER_CONNECTOR: ' Legacy ' }, '/connector', request())).toBe('legacy');
    expect(originOf({ ...env, HANDLER_CONNECTOR: 'legacy' }, '/dataconnector', request())).toBe('worker');
    expect(originOf({ ...env, HANDLER_CONNECTOR: 'nonsense' }, '/connector', request())).toBe('worker');
  });

  it('tests set a mix per request; only where the test hooks are', () => {
    const mix = request({ 'x-test-handlers': 'advertiser=legacy, connector=worker' });
    expect(originOf(env, '/advertisers/{id}', mix)).toBe('legacy');
    expect(originOf({ ...env, HANDLER_CONNECTOR: 'legacy' }, '/connector', mix)).toBe('worker');
    expect(originOf({ ...env, ENVIRONMENT: 'prd' }, '/advertisers/{id}', mix)).toBe('worker');
  });

  it('a handler switched to legacy with no LEGACY_ORIGIN answers 503, after the Worker’s own checks', async () => {
    const headers = { ...keyHeaders('main'), 'x-test-handlers': 'advertisers=legacy' };
    const response = await call('/advertisers', { headers });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    // The keys are checked first, as the legacy's order has it: a bad pair is still a 401.
    const unauthorised = await call('/advertisers', { headers: { 'x-test-handlers': 'advertisers=legacy' } });
    expect(unauthorised.status).toBe(401);
  });
});
