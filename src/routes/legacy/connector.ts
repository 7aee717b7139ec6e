import type { OpenAPIHono } from '@hono/zod-openapi';
import { getConnector, getConnectorVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import {
  type ConnectorRow,
  connectorMetrics,
  connectorOptions,
  findAccountAdvertiser,
  loadConnectorNames,
  toConnectorRow,
} from '../../queries/connector-rows';
import { dateRange } from '../../request/dates';
import { registerLegacy } from './define';

// One registration serves every form of the path (src/app.ts), so it takes the versioned query
// schema, whose removeZeros has no pattern: v2 ignores the parameter unvalidated, and
// connectorOptions validates it for v1 (bare or /v1.x) with the 400 the pattern would give.
const route = { ...getConnector, request: { query: getConnectorVersioned.request.query } };

/** GET /connector: one advertiser's daily placement rows (CONTRACT §2; v1 and v2). */
export function registerConnector(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, route, getConnectorVersioned, async (c) => {
    const query = c.req.valid('query');
    const accountId = c.var.auth.accountId;
    // Every parameter is checked (400) before the id lookup (404).
    const options = connectorOptions(query, c.var.route.version);
    const range = dateRange(query, 'last30days', c.var.now);
    const advertiserId = Number(query.advertiser_id);
    if (!(await findAccountAdvertiser(c.var.db.console, accountId, advertiserId)))
      throw new ApiError(404, `Advertiser ${advertiserId} not found.`);

    const names = await loadConnectorNames(c.var.db.console, accountId, advertiserId);
    const metrics = connectorMetrics(
      c.var.db.aggregate,
      { endpoint: 'connector', advertiserId },
      range,
      options.version,
    );
    const data: ConnectorRow[] = [];
    for (const metric of await metrics.execute()) {
      const row = toConnectorRow(metric, names, options);
      if (row) data.push(row);
    }
    return { data };
  });
}
