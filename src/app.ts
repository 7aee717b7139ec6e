import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import type { AppEnv } from './env';
import { onError, onNotFound } from './errors/error-handler';
import { databases } from './middleware/databases';
import { legacyEdge } from './middleware/edge';
import { requestContext } from './middleware/request-context';
import { requestLog } from './middleware/request-log';
import { validationHook } from './middleware/validation';
import { registerRoutes } from './routes';
import { routingPath } from './routing/resolve';

export function createApp(): OpenAPIHono<AppEnv> {
  // Routes are registered on their bare paths; `routingPath` strips a valid `/vX.Y` prefix and a
  // format extension so every form of a path reaches the same handler.
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath, defaultHook: validationHook });
  app.use(requestLog);
  app.use(requestContext);
  // Answers every OPTIONS on a known path (204), preflight or not.
  app.use((c, next) =>
    cors({
      origin: c.env.CORS_ALLOWED_ORIGINS.split(',').map((origin) => origin.trim()),
      allowMethods: ['GET', 'HEAD', 'OPTIONS'],
      allowHeaders: ['X-Api-Key', 'X-Integration-Key', 'Accept', 'traceparent'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    })(c, next),
  );
  app.use(legacyEdge);
  app.use(databases);
  registerRoutes(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export const app = createApp();
