import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { openapiDocument, openapiYaml } from '../../../generated/openapi';
import { call } from '../../../test/workers/http';
import { app } from '../../app';

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

describe('the spec as each environment serves it (its server first, never localhost once deployed)', () => {
  const specOf = async (environment: string) => {
    const json = (await (
      await app.request('/openapi.json', {}, { ...env, ENVIRONMENT: environment }, createExecutionContext())
    ).json()) as { servers: Array<{ url: string }> };
    const yaml = await (
      await app.request('/openapi.yaml', {}, { ...env, ENVIRONMENT: environment }, createExecutionContext())
    ).text();
    return { urls: json.servers.map((s) => s.url), yaml };
  };

  it.each([
    ['prd', 'https://api.adventive.com'],
    ['stg', 'https://api.adventivestg.com'],
    ['dev', 'https://api.adventive.dev'],
  ])('%s: %s first, no localhost, in JSON and YAML alike', async (environment, own) => {
    const { urls, yaml } = await specOf(environment);
    expect(urls[0]).toBe(own);
    expect(urls).toHaveLength(3);
    expect(urls.join()).not.toContain('localhost');
    expect(yaml).not.toContain('localhost');
    expect(yaml.indexOf(own)).toBeLessThan(Math.min(...urls.slice(1).map((u) => yaml.indexOf(u))));
    // Only the servers change: the rest of the YAML is the contract as written.
    expect(yaml.replace(/^servers:\n(?:[ \t].*\n)*/m, '')).toBe(
      openapiYaml.replace(/^servers:\n(?:[ \t].*\n)*/m, ''),
    );
  });

  it('locally, localhost first and every server offered', async () => {
    expect((await specOf('local')).urls[0]).toBe('http://localhost:8787');
    expect((await specOf('local')).urls).toHaveLength(4);
  });
});
