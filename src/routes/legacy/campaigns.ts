import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getCampaign,
  getCampaignVersioned,
  listCampaigns,
  listCampaignsVersioned,
} from '../../../generated/routes';
import type { CampaignListItem } from '../../../generated/schemas';
import type { AppEnv } from '../../env';
import { accountAdvertiser } from '../../queries/advertiser';
import { accountCampaigns } from '../../queries/campaign';
import { CAMPAIGN_ROW, loadCampaignTree } from '../../queries/campaign-tree';
import { dateRange } from '../../request/dates';
import { ApiError } from '../../shared/errors/api-error';
import { registerLegacy } from './define';

/** GET /campaigns and /campaigns/{id} (CONTRACT §2). */
export function registerCampaigns(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, listCampaigns, listCampaignsVersioned, async (c) => {
    const query = c.req.valid('query');
    const accountId = c.get('auth').accountId;
    const db = c.get('db').console;
    // No date filter unless a bound is given; then the other defaults per §1.4 (400 if from > to).
    const range =
      query.from !== undefined || query.to !== undefined
        ? dateRange(query, 'last30days', c.get('now'))
        : undefined;

    let campaigns = accountCampaigns(db, accountId)
      .select(CAMPAIGN_ROW)
      .$narrowType<Pick<CampaignListItem, 'status'>>();
    const advertiserId = query.advertiser_id === undefined ? undefined : Number(query.advertiser_id);
    if (advertiserId !== undefined) {
      campaigns = campaigns.where('campaign.advertiser_id', '=', String(advertiserId));
    }
    if (query.status !== undefined) campaigns = campaigns.where('campaign.status', '=', query.status);
    if (range) {
      // The flight overlaps [from, to]; a NULL start or end is open on that side.
      campaigns = campaigns
        .where((eb) =>
          eb.or([eb('campaign.start_date', 'is', null), eb('campaign.start_date', '<=', range.to)]),
        )
        .where((eb) =>
          eb.or([eb('campaign.end_date', 'is', null), eb('campaign.end_date', '>=', range.from)]),
        );
    }
    // The advertiser check (404) and the list are sent together (one round trip, on two
    // connections): the list reads only the account's campaigns, so it shows nothing the check
    // has not allowed, and it is answered only once the check has passed.
    const [advertiser, data] = await Promise.all([
      advertiserId === undefined
        ? undefined
        : accountAdvertiser(db, accountId, advertiserId).select('id').executeTakeFirst(),
      campaigns.orderBy('campaign.id', 'asc').execute(),
    ]);
    if (advertiserId !== undefined && !advertiser)
      throw new ApiError(404, `Advertiser ${advertiserId} not found.`);
    return { data };
  });

  registerLegacy(app, getCampaign, getCampaignVersioned, async (c) => {
    const id = Number(c.req.valid('param').id);
    const campaign = await loadCampaignTree(c.get('db').console, c.get('auth').accountId, id);
    if (!campaign) throw new ApiError(404, `Campaign ${id} not found.`);
    return { data: campaign };
  });
}
