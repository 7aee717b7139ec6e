import { describe, expect, it } from 'vitest';
import { call, problemOf } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';

const get = (path: string, headers: Record<string, string> = {}) =>
  call(path, { headers: { ...keyHeaders('main'), ...headers } });

describe('output format (CONTRACT §1.3)', () => {
  it.each([
    ['/credentialscheck', 'application/json; charset=utf-8'],
    ['/credentialscheck?format=xml', 'application/xml; charset=utf-8'],
    ['/credentialscheck?format=CSV', 'application/csv; charset=utf-8'],
    ['/credentialscheck?format=Json', 'application/json; charset=utf-8'],
    ['/credentialscheck.xml', 'application/xml; charset=utf-8'],
    ['/credentialscheck.csv?format=xml', 'application/csv; charset=utf-8'],
    ['/credentialscheck.json?format=php', 'application/json; charset=utf-8'],
    ['/v2.0/credentialscheck.xml', 'application/xml; charset=utf-8'],
  ])('%s → %s', async (path, contentType) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
  });

  it.each([
    ['application/json', 'application/json; charset=utf-8'],
    ['text/csv', 'application/csv; charset=utf-8'],
    ['application/xml', 'application/xml; charset=utf-8'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json; charset=utf-8'],
    ['application/xml, application/json', 'application/json; charset=utf-8'],
    ['text/plain', 'application/json; charset=utf-8'],
  ])('Accept %s → %s', async (accept, contentType) => {
    const response = await get('/credentialscheck', { Accept: accept });
    expect(response.headers.get('content-type')).toBe(contentType);
  });

  it('format beats Accept', async () => {
    const response = await get('/credentialscheck?format=xml', { Accept: 'application/json' });
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
  });

  it.each(['/credentialscheck?format=php', '/credentialscheck?format=SERIALIZED', '/credentialscheck.php'])(
    '%s → 410 with a link to the docs',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(410);
      const problem = await problemOf(response);
      expect(problem.type).toBe('/docs');
      expect(String(problem.detail)).toContain('/docs');
    },
  );

  it.each([
    '/credentialscheck?format=',
    '/credentialscheck?format=yaml',
    '/credentialscheck?format=html',
    '/credentialscheck.html',
    '/credentialscheck.jsonp',
    '/credentialscheck.array',
  ])('%s → 400', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(String((await problemOf(response)).detail)).toMatch(/format|extension/);
  });

  it('format errors come before keys: format=php without keys → 410', async () => {
    expect((await call('/credentialscheck?format=php')).status).toBe(410);
    expect((await call('/credentialscheck?format=bad')).status).toBe(400);
  });
});
