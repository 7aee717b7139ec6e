import type { OpenAPIHono } from '@hono/zod-openapi';
import { getHealth } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { wholeBody } from '../../response/render';
import type { SuccessBody } from '../legacy/define';

/** Liveness probe for smoke tests and synthetic monitors: no auth, no database. */
export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getHealth, (c) => {
    // Typed by the contract, as c.json would type it; written whole so the request log counts it.
    const body: SuccessBody<typeof getHealth> = {
      status: 'ok',
      commit_sha: c.env.COMMIT_SHA,
      environment: c.env.ENVIRONMENT,
    };
    return wholeBody(c, JSON.stringify(body), 200, { 'Content-Type': 'application/json' }) as never;
  });
}
