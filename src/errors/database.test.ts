import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env';
import { DatabaseError } from '../shared/db';
import { ApiError } from '../shared/errors/api-error';
import { apiErrorOf } from '../shared/errors/database';
import { onError } from './error-handler';

/** A Worker route that fails with `error`, answered by the one error handler. */
async function answerTo(error: unknown): Promise<Response> {
  const app = new Hono<AppEnv>();
  app.get('/x', () => {
    throw error;
  });
  app.onError(onError);
  return app.request('/x');
}

describe('database failures as the caller sees them', () => {
  const driverError = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  it('a failed connect or a lost connection → 503 with Retry-After 30', async () => {
    for (const kind of ['connect', 'lost'] as const) {
      const response = await answerTo(new DatabaseError(kind, 'console', 'ECONNREFUSED', driverError));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is unreachable; retry later.',
        instance: '/x',
      });
    }
  });

  it('a timeout → 504 without Retry-After', async () => {
    const response = await answerTo(new DatabaseError('timeout', 'aggregate', undefined, driverError));
    expect(response.status).toBe(504);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toMatchObject({
      title: 'Gateway Timeout',
      status: 504,
      detail: 'The database did not answer within its time budget; retry later.',
    });
  });

  it("keeps the driver's error as the cause (what a broken stream logs as its code)", () => {
    const mapped = apiErrorOf(new DatabaseError('lost', 'aggregate', 'ECONNRESET', driverError));
    expect(mapped).toBeInstanceOf(ApiError);
    expect((mapped as ApiError).cause).toBe(driverError);
  });

  it('any other error is left as it is', () => {
    const other = new Error('not the database');
    expect(apiErrorOf(other)).toBe(other);
    const api = new ApiError(404, 'No such campaign.');
    expect(apiErrorOf(api)).toBe(api);
  });
});
