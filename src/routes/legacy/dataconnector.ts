import type { OpenAPIHono } from '@hono/zod-openapi';
import { getDataConnector, getDataConnectorVersioned } from '../../../generated/routes';
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
const route = { ...getDataConnector, request: { query: getDataConnectorVersioned.request.query } };

/** GET /dataconnector: the whole account's daily placement rows (CONTRACT §2; v1 and v2). */
export function registerDataConnector(app: OpenAPIHono<AppEnv>): void {
  registerLegacyStream(app, route, getDataConnectorVersioned, async (c) => {
    const query = c.req.valid('query');
    const accountId = c.var.auth.accountId;
    // Every parameter is checked (400) before the id lookup (404).
    const options = connectorOptions(query, c.var.route.version);
    const range = dateRange(query, 'last30days', c.var.now);
    const advertiserId = query.advertiser_id === undefined ? undefined : Number(query.advertiser_id);
    // The advertiser check (when asked) and the names are sent together (one round trip, on two
    // connections): the names are the account's only, and are used only once the check has passed.
    const [advertiser, names] = await Promise.all([
      advertiserId === undefined
        ? undefined
        : findAccountAdvertiser(c.var.db.console, accountId, advertiserId),
      loadConnectorNames(c.var.db.console, accountId, advertiserId),
    ]);
    if (advertiserId !== undefined && !advertiser)
      throw new ApiError(404, `Advertiser ${advertiserId} not found.`);

    // Then the metric rows, streamed into the body as they are read.
    return streamConnectorRows(
      c.env,
      { endpoint: 'dataconnector', accountId, advertiserId },
      range,
      names,
      options,
    );
  });
}
