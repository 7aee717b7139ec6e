import type { OpenAPIHono } from '@hono/zod-openapi';
import { getConnector, getConnectorVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { connectorHandler } from './connector-handler';
import { registerLegacyStream } from './define';

// One registration serves every form of the path (src/app.ts), so it takes the versioned query
// schema, whose removeZeros has no pattern: v2 ignores the parameter unvalidated, and
// connectorOptions validates it for v1 (bare or /v1.x) with the 400 the pattern would give.
const route = { ...getConnector, request: { query: getConnectorVersioned.request.query } };

/** GET /connector: one advertiser's daily placement rows (CONTRACT §2; v1 and v2). */
export function registerConnector(app: OpenAPIHono<AppEnv>): void {
  registerLegacyStream(app, route, getConnectorVersioned, connectorHandler('connector'));
}
