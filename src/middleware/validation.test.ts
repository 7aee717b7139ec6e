import { describe, expect, it } from 'vitest';
import { call, problemOf } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';

const get = (path: string) => call(path, { headers: keyHeaders('main') });

// Parameters are validated by the zod schemas generated from openapi.yaml (CONTRACT §1.4).
describe('400 names the parameter and its rule', () => {
  it.each([
    ['/advertisers/abc', 'id', 'a decimal id from 1 to 4294967295'],
    ['/advertisers/0', 'id', 'a decimal id'],
    ['/advertisers/4294967296', 'id', 'a decimal id'],
    ['/advertisers/1e3', 'id', 'a decimal id'],
    ['/advertisers/%2B5', 'id', 'a decimal id'],
    ['/advertisers/-1', 'id', 'a decimal id'],
    ['/advertisers/11%0A', 'id', 'a decimal id'],
    ['/advertisers/1.0', 'id', 'a decimal id'],
    ['/campaigns?advertiser_id=', 'advertiser_id', 'a decimal id'],
    ['/campaigns?advertiser_id=%2011', 'advertiser_id', 'a decimal id'],
    ['/campaigns?status=Active', 'status', 'one of draft, active'],
    ['/analytics/201?from=2026-02-30', 'from', 'a calendar date YYYY-MM-DD'],
    ['/analytics/201?from=garbage', 'from', 'a calendar date'],
    ['/analytics/201?to=2026-11-01%0A', 'to', 'a calendar date'],
    ['/analytics/201?to=20261101', 'to', 'a calendar date'],
    ['/connector?advertiser_id=11&removeZeros=yes', 'removeZeros', '1, true, 0 or false'],
  ])('%s → "%s"', async (path, name, rule) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const detail = String((await problemOf(response)).detail);
    expect(detail).toContain(`Parameter "${name}" must be`);
    expect(detail).toContain(rule);
  });

  it('a missing required parameter says so', async () => {
    const response = await get('/connector');
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toBe('Parameter "advertiser_id" is required.');
  });

  it('accepts leading zeros and the largest id (then looks the id up: 404)', async () => {
    expect((await get('/advertisers/4294967295')).status).toBe(404);
    expect((await get('/advertisers/00000000000000000011')).status).toBe(200);
  });

  it('a very long value is cut in the detail', async () => {
    const response = await get(`/advertisers/${'9'.repeat(5000)}`);
    expect(response.status).toBe(400);
    expect(String((await problemOf(response)).detail).length).toBeLessThan(250);
  });
});
