import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { legacyFallback } from './cutover/legacy-fallback';
import { shadowCompare } from './cutover/shadow';
import type { AppEnv } from './env';
import { onError, onNotFound } from './errors/error-handler';
import { databases } from './middleware/databases';
import { legacyEdge } from './middleware/edge';
import { allowedMethods } from './middleware/methods';
import { requestContext } from './middleware/request-context';
import { requestLog } from './middleware/request-log';
import { validationHook } from './middleware/validation';
import { registerRoutes } from './routes';
import { routingPath } from './routing/resolve';
import { configOf } from './shared/config';

export function createApp(): OpenAPIHono<AppEnv> {
  // Routes are registered on their bare paths; `routingPath` strips a valid `/vX.Y` prefix and a
  // format extension so every form of a path reaches the same handler.
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath, defaultHook: validationHook });
  app.use(requestLog);
  app.use(requestContext);
  app.use(allowedMethods);
  // Answers every OPTIONS on a known path (204), preflight or not.
  app.use((c, next) =>
    cors({
      origin: configOf(c.env).cors.origins,
      allowMethods: ['GET', 'HEAD', 'OPTIONS'],
      allowHeaders: ['X-Api-Key', 'X-Integration-Key', 'Accept', 'traceparent'],
      exposeHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id'],
      maxAge: 600,
    })(c, next),
  );
  // A sampled request the Worker answered is compared with the legacy's answer (seed 001 Phase 8).
  app.use(shadowCompare);
  app.use(legacyEdge);
  // A handler switched to the legacy origin is answered from there once the format, the keys and
  // the allowance are checked here (seed 001 Phase 6): one allowance per key whatever the mix.
  app.use(legacyFallback);
  app.use(databases);
  registerRoutes(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export const app = createApp();
