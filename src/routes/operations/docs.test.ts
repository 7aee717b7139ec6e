import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from '../../../test/workers/http';

describe('GET /docs', () => {
  it("serves the Redoc page over the reader's view of the contract, without keys", async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<redoc spec-url="/docs/reference.json" download-definition-url="/openapi.yaml"');
    expect(html).toContain('<a href="/docs/guides/index.html">Guides</a>');
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

  it('serves the reference view and the guides from static assets', async () => {
    const reference = await env.ASSETS.fetch('http://api.test/docs/reference.json');
    expect(reference.status).toBe(200);
    const view = (await reference.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(view.paths)).toContain('/dataconnector');
    expect(Object.keys(view.paths).filter((path) => path.startsWith('/v{'))).toEqual([]);
    const guide = await env.ASSETS.fetch('http://api.test/docs/guides/looker-studio.html');
    expect(guide.status).toBe(200);
    expect(await guide.text()).toContain('<h1 id="looker-studio">Looker Studio</h1>');
  });
});
