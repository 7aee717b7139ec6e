import { describe, expect, it } from 'vitest';
import { resolvePath, resolveRequest, routingPath } from './resolve';

describe('resolvePath (CONTRACT §1.2 versions, §1.3 extensions)', () => {
  it.each([
    ['/advertisers', '/advertisers', 1, undefined],
    ['/v1.0/advertisers', '/advertisers', 1, undefined],
    ['/v2.3/connector', '/connector', 2, undefined],
    ['/v10.0/analytics/210', '/analytics/210', 2, undefined],
    ['/v3.1/campaigns/201.xml', '/campaigns/201', 2, 'xml'],
    ['/advertisers/11.csv', '/advertisers/11', 1, 'csv'],
    ['/advertisers.php', '/advertisers', 1, 'php'],
    ['/advertisers.serialized', '/advertisers', 1, 'serialized'],
    ['/advertisers.html', '/advertisers', 1, 'html'],
    ['/advertisers/11\n', '/advertisers/11%0A', 1, undefined],
    ['/openapi.json', '/openapi.json', 1, undefined],
    // As the legacy router read the decoded path: leading zeros and huge majors, outer slashes.
    ['/v02.00/advertisers', '/advertisers', 2, undefined],
    ['/v01.5/advertisers', '/advertisers', 1, undefined],
    ['/v9999999999999999999.0/connector', '/connector', 2, undefined],
    ['/campaigns/', '/campaigns', 1, undefined],
    ['/v1.0//advertisers/11/', '/advertisers/11', 1, undefined],
    ['/advertisers/1 2', '/advertisers/1%202', 1, undefined],
  ])('%s → %s v%i ext %s', (raw, canonical, version, extension) => {
    expect(resolvePath(raw)).toMatchObject({ canonicalPath: canonical, version, extension });
  });

  it.each([
    '/',
    '/nope',
    '/v0.9/advertisers',
    '/v00.1/advertisers',
    '/v2/advertisers',
    '/campaigns//1',
    '/advertisers.json.xml',
    '/Advertisers',
    '/v1.0/',
    '/v1.0',
    '/vx.1/advertisers',
    '/V1.0/advertisers',
    '/v1.x/advertisers',
    '/v-1.0/advertisers',
    '/advertisers.yaml',
    '/advertisers.JSON',
    '/advertisers.json\n',
    '/v1.0/advertisers\n',
    '/advertisers/11/extra',
    '/v1.0/__health',
    '/__health.json',
  ])('%s is unknown', (raw) => {
    expect(resolvePath(raw)).toBeUndefined();
  });
});

describe('resolveRequest', () => {
  it('resolves a request once: the router and the request context get the same answer', () => {
    const request = new Request('https://api.test/v2.0/campaigns/201.xml');
    expect(routingPath(request)).toBe('/campaigns/201');
    const route = resolveRequest(request);
    expect(route).toMatchObject({ template: '/campaigns/{id}', version: 2, extension: 'xml' });
    // The very object the router's resolution made, not a second resolution of the path.
    expect(resolveRequest(request)).toBe(route);
    expect(resolveRequest(new Request(request.url))).not.toBe(route);
  });

  it('remembers an unknown path too', () => {
    const request = new Request('https://api.test/nope');
    expect(routingPath(request)).toBe('/nope');
    expect(resolveRequest(request)).toBeUndefined();
  });
});
