import type { OpenAPIHono } from '@hono/zod-openapi';
import { listClickthroughs, listClickthroughsVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { findAccountCampaign } from '../../queries/campaign';
import { loadClickthroughNames, streamClickthroughRows } from '../../queries/clickthrough-rows';
import { dateRange } from '../../request/dates';
import { registerLegacyStream } from './define';

/**
 * GET /clickthroughs (CONTRACT §2, "Which rows"): metrics from aggregate selected by their own
 * advertiser label, names from console, merged while the body streams (a window of the caller's
 * choosing is never held whole).
 */
export function registerClickthroughs(app: OpenAPIHono<AppEnv>): void {
  registerLegacyStream(app, listClickthroughs, listClickthroughsVersioned, async (c) => {
    const query = c.req.valid('query');
    const advertiserId = Number(query.advertiser_id);
    const campaignId = query.campaign_id === undefined ? undefined : Number(query.campaign_id);
    // Every parameter is checked (from > to → 400) before the id lookups (CONTRACT §4).
    const range = dateRange(query, 'last4months', c.var.now);
    const accountId = String(c.var.auth.accountId);
    const consoleDb = c.var.db.console;

    // advertiser_id first, then campaign_id.
    const advertiser = await consoleDb
      .selectFrom('advertiser')
      .select('id')
      .where('id', '=', String(advertiserId))
      .where('account_id', '=', accountId)
      .where('is_deleted', '=', '0')
      .executeTakeFirst();
    if (!advertiser) throw new ApiError(404, `Advertiser ${advertiserId} not found.`);
    if (campaignId !== undefined) {
      // The shared campaign rule (a deleted campaign is a 404), and it must be this advertiser's.
      const campaign = await findAccountCampaign(consoleDb, c.var.auth.accountId, campaignId);
      const owner = campaign
        ? await consoleDb
            .selectFrom('campaign')
            .select('advertiser_id')
            .where('id', '=', campaign.id)
            .executeTakeFirst()
        : undefined;
      if (owner?.advertiser_id !== advertiser.id) {
        throw new ApiError(404, `Campaign ${campaignId} not found for advertiser ${advertiserId}.`);
      }
    }

    // Names first (console, small), then the metric rows streamed into the body as they are read.
    const names = await loadClickthroughNames(consoleDb, accountId, advertiser.id);
    const scope = {
      advertiserId: advertiser.id,
      campaignId: campaignId === undefined ? undefined : String(campaignId),
    };
    return streamClickthroughRows(c.env, scope, range, names);
  });
}
