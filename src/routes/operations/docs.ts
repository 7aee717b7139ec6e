import type { OpenAPIHono } from '@hono/zod-openapi';
import { getDocs } from '../../../generated/routes';
import type { AppEnv } from '../../env';

/** Redoc over /openapi.json, served from the Worker's static assets (no CDN). */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getDocs, async (c) => {
    const page = await c.env.ASSETS.fetch(new URL('/docs/index.html', c.req.url));
    return c.body(await page.text(), 200, { 'Content-Type': 'text/html; charset=utf-8' });
  });
}
