import { describe, expect, it } from 'vitest';
import { call } from './http';
import { freshHour, keyHeaders } from './keys';

// CONTRACT §4: the first failing check answers: path (404) → method (405) → format (410/400)
// → keys (401) → allowance (429) → parameters (400) → ids (404).
describe('order of the checks', () => {
  it.each([
    ['unknown path beats method', '/nope', { method: 'POST' }, 404],
    ['unknown path beats OPTIONS', '/nope', { method: 'OPTIONS' }, 404],
    ['unknown path beats missing keys', '/nope', {}, 404],
    ['bad version prefix beats everything', '/v0.1/credentialscheck?format=php', { method: 'DELETE' }, 404],
    ['method beats format', '/credentialscheck?format=php', { method: 'POST' }, 405],
    ['format 410 beats missing keys', '/credentialscheck?format=serialized', {}, 410],
    ['format 400 beats missing keys', '/credentialscheck?format=yaml', {}, 400],
    [
      'extension beats an invalid format parameter',
      '/credentialscheck.json?format=yaml',
      { headers: keyHeaders('main') },
      200,
    ],
    ['OPTIONS needs no keys', '/campaigns/201', { method: 'OPTIONS' }, 204],
  ] as const)('%s', async (_name, path, init, status) => {
    expect((await call(path, init as RequestInit)).status).toBe(status);
  });

  it('the allowance comes before the parameters: 429 even for a bad parameter', async () => {
    const headers = { ...keyHeaders('tight'), 'x-test-clock': freshHour() };
    for (let i = 0; i < 5; i++) expect((await call('/credentialscheck', { headers })).status).toBe(200);
    expect((await call('/analytics/201?from=garbage', { headers })).status).toBe(429);
  });
});
