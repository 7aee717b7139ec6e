import { describe, expect, it } from 'vitest';
import { call } from './http';
import { keyHeaders } from './keys';

// CORS_ALLOWED_ORIGINS comes from wrangler.toml (local: http://localhost:8787).
describe('CORS', () => {
  it('answers a preflight on a known path without keys', async () => {
    const response = await call('/advertisers', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8787',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-api-key, x-integration-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:8787');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toContain('X-Api-Key');
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('allows configured origins on responses, and no others', async () => {
    const allowed = await call('/credentialscheck', {
      headers: { ...keyHeaders('main'), Origin: 'http://localhost:8787' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8787');
    expect(allowed.headers.get('access-control-expose-headers')).toBe(
      'Retry-After,RateLimit,RateLimit-Policy,X-Request-Id',
    );
    const other = await call('/credentialscheck', {
      headers: { ...keyHeaders('main'), Origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
