import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getCampaign,
  getCampaignVersioned,
  listCampaigns,
  listCampaignsVersioned,
} from '../../../generated/routes';
import type { CampaignListItem, Placement } from '../../../generated/schemas';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { accountCampaigns } from '../../queries/campaign';
import {
  placementHeight,
  placementName,
  placementType,
  placementWidth,
  withCreative,
} from '../../queries/placement-creative';
import { dateRange } from '../../request/dates';
import { registerLegacy } from './define';

/** The columns of a campaign row, in the legacy SELECT's order (list and detail alike). */
const CAMPAIGN_ROW = [
  'campaign.id',
  'campaign.name',
  'campaign.advertiser_id',
  'advertiser.name as advertiser_name',
  'campaign.status',
  'campaign.start_date',
  'campaign.end_date',
  'campaign.budget',
  'campaign.impression_goal',
] as const;

/** Groups rows by a parent id, keeping their (SQL) order. */
function byParent<T, K extends keyof T>(rows: T[], key: K): Map<T[K], Omit<T, K>[]> {
  const groups = new Map<T[K], Omit<T, K>[]>();
  for (const { [key]: parent, ...rest } of rows) {
    const group = groups.get(parent) ?? [];
    group.push(rest as Omit<T, K>);
    groups.set(parent, group);
  }
  return groups;
}

/** GET /campaigns and /campaigns/{id} (CONTRACT §2). */
export function registerCampaigns(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, listCampaigns, listCampaignsVersioned, async (c) => {
    const query = c.req.valid('query');
    const accountId = c.var.auth.accountId;
    const db = c.var.db.console;
    // No date filter unless a bound is given; then the other defaults per §1.4 (400 if from > to).
    const range =
      query.from !== undefined || query.to !== undefined
        ? dateRange(query, 'last30days', c.var.now)
        : undefined;

    let campaigns = accountCampaigns(db, accountId)
      .select(CAMPAIGN_ROW)
      .$narrowType<Pick<CampaignListItem, 'status'>>();
    if (query.advertiser_id !== undefined) {
      const advertiserId = Number(query.advertiser_id);
      const advertiser = await db
        .selectFrom('advertiser')
        .select('id')
        .where('id', '=', String(advertiserId))
        .where('account_id', '=', String(accountId))
        .where('is_deleted', '=', '0')
        .executeTakeFirst();
      if (!advertiser) throw new ApiError(404, `Advertiser ${advertiserId} not found.`);
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
    return { data: await campaigns.orderBy('campaign.id', 'asc').execute() };
  });

  registerLegacy(app, getCampaign, getCampaignVersioned, async (c) => {
    const id = Number(c.req.valid('param').id);
    const db = c.var.db.console;
    const campaign = await accountCampaigns(db, c.var.auth.accountId)
      .select([...CAMPAIGN_ROW, 'campaign.created_at', 'campaign.updated_at'])
      .$narrowType<Pick<CampaignListItem, 'status'>>()
      .where('campaign.id', '=', String(id))
      .executeTakeFirst();
    if (!campaign) throw new ApiError(404, `Campaign ${id} not found.`);

    // One query per level for all parents at once, assembled below (never a query per row).
    // Placements are the campaign's own (`placement.campaign_id`), shown under the live site of
    // this campaign whose id is their `site_id`: one of another campaign pointing at a site here
    // is not shown, nor one of this campaign whose site is deleted, missing or another campaign's
    // (CONTRACT §2). Ad units and delivery groups are only ever shown under a shown placement, so
    // they are read for those alone.
    const sites = await db
      .selectFrom('site')
      .select(['id', 'name', 'url'])
      .where('campaign_id', '=', String(id))
      .where('is_deleted', '=', '0')
      .orderBy('id', 'asc')
      .execute();
    const placements = sites.length
      ? await withCreative(db.selectFrom('placement'))
          .select([
            'placement.site_id',
            'placement.id',
            placementName.as('placement_name'),
            placementType.as('placement_type'),
            placementWidth.as('width'),
            placementHeight.as('height'),
            'placement.status',
          ])
          .$narrowType<Pick<Placement, 'status'>>()
          .where('placement.campaign_id', '=', String(id))
          .where(
            'placement.site_id',
            'in',
            sites.map((s) => s.id),
          )
          .where('placement.is_deleted', '=', '0')
          .orderBy('placement.id', 'asc')
          .execute()
      : [];
    const adUnits = placements.length
      ? await db
          .selectFrom('ad_unit')
          .select(['placement_id', 'id', 'name', 'ad_format'])
          .where(
            'placement_id',
            'in',
            placements.map((p) => p.id),
          )
          .where('is_deleted', '=', '0')
          .orderBy('id', 'asc')
          .execute()
      : [];
    const deliveryGroups = adUnits.length
      ? await db
          .selectFrom('delivery_group')
          .select(['ad_unit_id', 'id', 'name', 'weight', 'start_date', 'end_date'])
          .where(
            'ad_unit_id',
            'in',
            adUnits.map((u) => u.id),
          )
          .where('is_deleted', '=', '0')
          .orderBy('id', 'asc')
          .execute()
      : [];

    const groupsOf = byParent(deliveryGroups, 'ad_unit_id');
    const unitsOf = byParent(
      adUnits.map((u) => ({ ...u, delivery_groups: groupsOf.get(u.id) ?? [] })),
      'placement_id',
    );
    const placementsOf = byParent(
      placements.map((p) => ({ ...p, ad_units: unitsOf.get(p.id) ?? [] })),
      'site_id',
    );
    return {
      data: {
        ...campaign,
        sites: sites.map((s) => ({ ...s, placements: placementsOf.get(s.id) ?? [] })),
      },
    };
  });
}
