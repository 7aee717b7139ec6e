import { describe, expect, it } from 'vitest';
import { withEveryResponseHeaders } from '../../src/index';
import { call } from './http';
import { keyHeaders } from './keys';

// Every answer of the Worker, whatever produced it, tells browsers not to sniff its type.
describe('X-Content-Type-Options: nosniff on every response', () => {
  it.each([
    ['a JSON success', '/advertisers', {}],
    ['a CSV success', '/advertisers.csv', {}],
    ['a JSONP success', '/advertisers?callback=cb', {}],
    ['a streamed connector body', '/dataconnector?format=xml', {}],
    ['a 400', '/campaigns?status=nope', {}],
    ['a 401', '/advertisers', { headers: {} }],
    ['a 404 for an unknown path', '/nope', {}],
    ['a 405', '/advertisers', { method: 'POST' }],
    ['a 410', '/advertisers.php', {}],
    ['the CORS preflight (204)', '/advertisers', { method: 'OPTIONS' }],
    ['the health check', '/__health', {}],
    ['the docs page', '/docs', {}],
    ['the spec', '/openapi.json', {}],
  ] as const)('%s', async (_name, path, init) => {
    const response = await call(path, { headers: keyHeaders('main'), ...init });
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('withEveryResponseHeaders', () => {
  it('sets it on a response whose headers cannot be changed (as fetch() gives one to the legacy fallback)', async () => {
    const proxied = Response.redirect('https://legacy.example/advertisers', 302);
    expect(() => proxied.headers.set('X-Probe', '1')).toThrow();
    const answered = withEveryResponseHeaders(proxied);
    expect(answered.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answered.status).toBe(302);
    expect(answered.headers.get('location')).toBe('https://legacy.example/advertisers');
  });
});
