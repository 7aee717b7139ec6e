import { describe, expect, it } from 'vitest';
import { call, problemOf } from '../../test/workers/http';

describe('unknown paths', () => {
  it('GET / is a 404, as the legacy answered it, that points to the reference', async () => {
    const response = await call('/');
    expect(response.status).toBe(404);
    expect(response.headers.get('link')).toBe('</docs>; rel="help"');
    expect(await problemOf(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No resource at /: the API reference is at /docs.',
      instance: '/',
      // The id of this request in the logs, also its X-Request-Id header.
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('any other unknown path names itself only', async () => {
    const response = await call('/nope');
    expect(response.headers.get('link')).toBeNull();
    expect((await problemOf(response)).detail).toBe('No resource at /nope.');
  });
});
