import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { onError, onNotFound } from './errors/error-handler';
import { databases } from './middleware/databases';
import { requestContext } from './middleware/request-context';
import { validationHook } from './middleware/validation';
import { registerRoutes } from './routes';
import { routingPath } from './routing/resolve';

export function createApp(): OpenAPIHono<AppEnv> {
  // Routes are registered on their bare paths; `routingPath` strips a valid `/vX.Y` prefix and a
  // format extension so every form of a path reaches the same handler.
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath, defaultHook: validationHook });
  app.use(requestContext);
  app.use(databases);
  registerRoutes(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export const app = createApp();
