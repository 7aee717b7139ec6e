import { describe, expect, it } from 'vitest';
import { call } from '../../../test/workers/http';

describe('GET /favicon.ico', () => {
  it('is the icon from the static assets, cacheable, without keys', async () => {
    const response = await call('/favicon.ico');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    const bytes = new Uint8Array(await response.arrayBuffer());
    // An ICO header (reserved 0, type 1) holding one PNG image.
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(new TextDecoder().decode(bytes.slice(23, 26))).toBe('PNG');
  });
});
