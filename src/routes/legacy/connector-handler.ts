import type { AppEnv } from '../../env';
import { findAccountAdvertiser } from '../../queries/advertiser';
import type { MetricScope } from '../../queries/connector-metrics';
import { loadConnectorNames } from '../../queries/connector-names';
import { streamConnectorRows } from '../../queries/connector-stream';
import { connectorOptions } from '../../request/connector-options';
import { dateRange } from '../../request/dates';
import { ApiError } from '../../shared/errors/api-error';

/** The query of both routes (their schemas have validated it; /connector requires advertiser_id). */
interface ConnectorQuery {
  advertiser_id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  removeZeros?: string | undefined;
  data_connector?: string | undefined;
}

/** What the handler reads of the request's context. */
interface ConnectorContext {
  req: { valid(target: 'query'): ConnectorQuery };
  env: AppEnv['Bindings'];
  get<Key extends 'auth' | 'db' | 'now' | 'route'>(key: Key): AppEnv['Variables'][Key];
}

/**
 * The handler of GET /connector and /dataconnector (CONTRACT §2; v1 and v2), which differ only by
 * the scope of their metric rows: one advertiser's (its label) or the account's (its label, and
 * the advertiser's when `advertiser_id` is given).
 */
export function connectorHandler(endpoint: MetricScope['endpoint']) {
  return async (c: ConnectorContext) => {
    const query = c.req.valid('query');
    const accountId = c.get('auth').accountId;
    // Every parameter is checked (400) before the id lookup (404).
    const options = connectorOptions(query, c.get('route').version);
    const range = dateRange(query, 'last30days', c.get('now'));
    const advertiserId = query.advertiser_id === undefined ? undefined : Number(query.advertiser_id);
    // The advertiser check (when asked) and the names are sent together (one round trip, on two
    // connections): the names are the account's only, and are used only once the check has passed.
    const [advertiser, names] = await Promise.all([
      advertiserId === undefined
        ? undefined
        : findAccountAdvertiser(c.get('db').console, accountId, advertiserId),
      loadConnectorNames(c.get('db').console, accountId, advertiserId),
    ]);
    if (advertiserId !== undefined && !advertiser)
      throw new ApiError(404, `Advertiser ${advertiserId} not found.`);

    // Then the metric rows, streamed into the body as they are read.
    const scope: MetricScope =
      endpoint === 'connector'
        ? { endpoint, advertiserId: Number(query.advertiser_id) }
        : { endpoint, accountId, advertiserId };
    return streamConnectorRows(c.env, scope, range, names, options);
  };
}
