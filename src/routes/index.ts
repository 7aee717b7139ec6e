import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { registerLegacyRoutes } from './legacy';
import { registerDocs } from './operations/docs';
import { registerFavicon } from './operations/favicon';
import { registerHealth } from './operations/health';
import { registerOpenApi } from './operations/openapi';

export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  registerHealth(app);
  registerOpenApi(app);
  registerDocs(app);
  registerFavicon(app);
  registerLegacyRoutes(app);
}
