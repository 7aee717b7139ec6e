import type { OpenAPIHono } from '@hono/zod-openapi';
import { getFavicon } from '../../../generated/routes';
import type { AppEnv } from '../../env';

/** GET /favicon.ico from the static assets (the Worker answers `/*` first, so it asks them). */
export function registerFavicon(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getFavicon, async (c) => {
    const icon = await c.env.ASSETS.fetch(new URL('/favicon.ico', c.req.url));
    return c.body(await icon.arrayBuffer(), 200, {
      'Content-Type': 'image/x-icon',
      'Cache-Control': 'public, max-age=86400',
    });
  });
}
