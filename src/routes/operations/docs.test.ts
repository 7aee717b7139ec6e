import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from '../../../test/workers/http';

describe('GET /docs', () => {
  it('serves the Redoc page over /openapi.json, without keys', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<redoc spec-url="/openapi.json"');
    expect(html).toContain('<script src="/docs/redoc.standalone.js">');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });

  it('serves the Redoc bundle from static assets', async () => {
    // In production the asset server answers /docs/* before the Worker (run_worker_first).
    const response = await env.ASSETS.fetch('http://api.test/docs/redoc.standalone.js');
    expect(response.status).toBe(200);
    const script = await response.text();
    expect(script.length).toBeGreaterThan(500_000);
    expect(script).toContain('Redoc');
  });
});
