import type { OpenAPIHono } from '@hono/zod-openapi';
import { getDataConnector, getDataConnectorVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { connectorHandler } from './connector-handler';
import { registerLegacyStream } from './define';

// One registration serves every form of the path (src/app.ts), so it takes the versioned query
// schema, whose removeZeros has no pattern: v2 ignores the parameter unvalidated, and
// connectorOptions validates it for v1 (bare or /v1.x) with the 400 the pattern would give.
const route = { ...getDataConnector, request: { query: getDataConnectorVersioned.request.query } };

/** GET /dataconnector: the whole account's daily placement rows (CONTRACT §2; v1 and v2). */
export function registerDataConnector(app: OpenAPIHono<AppEnv>): void {
  registerLegacyStream(app, route, getDataConnectorVersioned, connectorHandler('dataconnector'));
}
