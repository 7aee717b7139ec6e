import type { OpenAPIHono } from '@hono/zod-openapi';
import { getCredentialsCheck, getCredentialsCheckVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { registerLegacy } from './define';

/** GET /credentialscheck: `{"status":true}` once the key pair passed the edge checks. */
export function registerCredentialsCheck(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, getCredentialsCheck, getCredentialsCheckVersioned, async () => ({
    status: true as const,
  }));
}
