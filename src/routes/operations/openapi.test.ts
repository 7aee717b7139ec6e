import { describe, expect, it } from 'vitest';
import { openapiDocument, openapiYaml } from '../../../generated/openapi';
import { call } from '../../../test/workers/http';

describe('GET /openapi.yaml and /openapi.json', () => {
  it('serves the contract verbatim as YAML, without keys', async () => {
    const response = await call('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(openapiYaml);
    expect(text).toMatch(/^openapi: 3\.1\.0$/m);
  });

  it('serves the same contract parsed as JSON', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(body).toEqual(openapiDocument);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toContain('/v{major}.{minor}/dataconnector');
  });

  it('does not treat .json in /openapi.json as a format extension', async () => {
    expect((await call('/openapi.xml')).status).toBe(404);
  });
});
