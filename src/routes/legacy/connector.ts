import type { OpenAPIHono } from '@hono/zod-openapi';
import { getConnector, getConnectorVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { findAccountAdvertiser } from '../../queries/advertiser';
import { loadConnectorNames } from '../../queries/connector-names';
import { streamConnectorRows } from '../../queries/connector-stream';
import { connectorOptions } from '../../request/connector-options';
import { dateRange } from '../../request/dates';
import { registerLegacyStream } from './define';

// One registration serves every form of the path (src/app.ts), so it takes the versioned query
// schema, whose removeZeros has no pattern: v2 ignores the parameter unvalidated, and
// connectorOptions validates it for v1 (bare or /v1.x) with the 400 the pattern would give.
const route = { ...getConnector, request: { query: getConnectorVersioned.request.query } };

/** GET /connector: one advertiser's daily placement rows (CONTRACT §2; v1 and v2). */
export function registerConnector(app: OpenAPIHono<AppEnv>): void {
  registerLegacyStream(app, route, getConnectorVersioned, async (c) => {
    const query = c.req.valid('query');
    const accountId = c.var.auth.accountId;
    // Every parameter is checked (400) before the id lookup (404).
    const options = connectorOptions(query, c.var.route.version);
    const range = dateRange(query, 'last30days', c.var.now);
    const advertiserId = Number(query.advertiser_id);
    // The advertiser check and the names are sent together (one round trip, on two connections):
    // the names are the account's only, and are used only once the check has passed.
    const [advertiser, names] = await Promise.all([
      findAccountAdvertiser(c.var.db.console, accountId, advertiserId),
      loadConnectorNames(c.var.db.console, accountId, advertiserId),
    ]);
    if (!advertiser) throw new ApiError(404, `Advertiser ${advertiserId} not found.`);

    // Then the metric rows, streamed into the body as they are read.
    return streamConnectorRows(c.env, { endpoint: 'connector', advertiserId }, range, names, options);
  });
}
