import type { OpenAPIHono } from '@hono/zod-openapi';
import { getHealth } from '../../../generated/routes';
import type { AppEnv } from '../../env';

/** Liveness probe for smoke tests and synthetic monitors: no auth, no database. */
export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getHealth, (c) =>
    c.json({ status: 'ok' as const, commit_sha: c.env.COMMIT_SHA, environment: c.env.ENVIRONMENT }, 200),
  );
}
