import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../generated/client';
import { KEYS } from './keys';

// The generated typed client, talking to the Worker under test.
const fetchWorker = (request: Request) => exports.default.fetch(request);

describe('generated typed client (openapi-fetch)', () => {
  it('lists advertisers with typed data', async () => {
    const client = createApiClient(
      'http://api.test',
      { integrationKey: KEYS.main.int_key, apiKey: KEYS.main.api_key },
      { fetch: fetchWorker },
    );
    const { data, error, response } = await client.GET('/advertisers');
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    const first = data?.data[0];
    expect(first).toEqual({ id: expect.any(String), name: expect.any(String) });
  });

  it('returns the problem body on an error', async () => {
    const client = createApiClient('http://api.test', undefined, { fetch: fetchWorker });
    const { data, error, response } = await client.GET('/advertisers/{id}', {
      params: { path: { id: '11' } },
    });
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(error?.title).toBe('Unauthorized'); // typed from the spec's Problem schema
  });
});
