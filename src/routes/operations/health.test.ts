import { describe, expect, it } from 'vitest';
import { HealthSchema } from '../../../generated/schemas';
import { call } from '../../../test/workers/http';

describe('GET /__health', () => {
  it('answers ok with the commit and environment, without keys', async () => {
    const response = await call('/__health');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(HealthSchema.parse(body)).toEqual({ status: 'ok', commit_sha: 'test-sha', environment: 'test' });
  });

  it('has no versioned form', async () => {
    expect((await call('/v1.0/__health')).status).toBe(404);
  });
});
