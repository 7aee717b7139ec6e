import type { OpenAPIHono } from '@hono/zod-openapi';
import { listClickthroughs, listClickthroughsVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { findAccountAdvertiser } from '../../queries/advertiser';
import { accountCampaigns } from '../../queries/campaign';
import { loadClickthroughNames, streamClickthroughRows } from '../../queries/clickthrough-rows';
import { dateRange } from '../../request/dates';
import { ApiError } from '../../shared/errors/api-error';
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
    const range = dateRange(query, 'last4months', c.get('now'));
    const accountId = String(c.get('auth').accountId);
    const consoleDb = c.get('db').console;

    // The advertiser check, the campaign check and the names are sent together (one round trip,
    // on connections of their own); they read only the account's rows, and the answers are
    // judged in the legacy's order: advertiser_id first, then campaign_id.
    const [advertiser, campaign, names] = await Promise.all([
      findAccountAdvertiser(consoleDb, c.get('auth').accountId, advertiserId),
      campaignId === undefined
        ? undefined
        : // The shared campaign rule (a deleted campaign is a 404), with its advertiser.
          accountCampaigns(consoleDb, c.get('auth').accountId)
            .select(['campaign.id', 'campaign.advertiser_id'])
            .where('campaign.id', '=', String(campaignId))
            .executeTakeFirst(),
      loadClickthroughNames(consoleDb, accountId, String(advertiserId)),
    ]);
    if (!advertiser) throw new ApiError(404, `Advertiser ${advertiserId} not found.`);
    // It must be this advertiser's.
    if (campaignId !== undefined && campaign?.advertiser_id !== advertiser.id) {
      throw new ApiError(404, `Campaign ${campaignId} not found for advertiser ${advertiserId}.`);
    }

    // Then the metric rows, streamed into the body as they are read.
    const scope = {
      advertiserId: advertiser.id,
      campaignId: campaignId === undefined ? undefined : String(campaignId),
    };
    return streamClickthroughRows(c.env, scope, range, names);
  });
}
