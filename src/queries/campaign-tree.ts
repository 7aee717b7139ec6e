import type { Kysely } from 'kysely';
import type { AdUnit, CampaignDetail, Placement, Site } from '../../generated/schemas';
import type { ConsoleDatabase } from '../shared/db';
import { accountCampaigns } from './campaign';
import {
  placementHeight,
  placementName,
  placementType,
  placementWidth,
  withCreative,
} from './placement-creative';

/** The columns of a campaign row, in the legacy SELECT's order (list and detail alike). */
export const CAMPAIGN_ROW = [
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

/**
 * One visible campaign of the account with its sites, placements, ad units and delivery groups
 * (CONTRACT §2), or undefined (the caller's 404), in one statement: every level is LEFT JOINed
 * under the campaign row, so the ownership check (the campaign's account, its advertiser not
 * deleted) gates every other table in the same round trip to the database, and another account's
 * id reads nothing more than a missing one. One row per leaf of the tree (a delivery group, or a
 * node without children), so the rows grow with the tree, never with a product of its levels.
 *
 * Which children are shown: placements are the campaign's own (`placement.campaign_id`) under the
 * live site of this campaign whose id is their `site_id` (one of another campaign pointing at a
 * site here is not shown, nor one of this campaign whose site is deleted, missing or another
 * campaign's); ad units and delivery groups only under a shown parent. Each level in id order.
 */
export async function loadCampaignTree(
  db: Kysely<ConsoleDatabase>,
  accountId: number,
  campaignId: number,
): Promise<CampaignDetail | undefined> {
  const rows = await withCreative(
    accountCampaigns(db, accountId)
      .leftJoin('site', (join) =>
        join.onRef('site.campaign_id', '=', 'campaign.id').on('site.is_deleted', '=', '0'),
      )
      .leftJoin('placement', (join) =>
        join
          .onRef('placement.site_id', '=', 'site.id')
          .onRef('placement.campaign_id', '=', 'campaign.id')
          .on('placement.is_deleted', '=', '0'),
      ),
  )
    .leftJoin('ad_unit', (join) =>
      join.onRef('ad_unit.placement_id', '=', 'placement.id').on('ad_unit.is_deleted', '=', '0'),
    )
    .leftJoin('delivery_group', (join) =>
      join.onRef('delivery_group.ad_unit_id', '=', 'ad_unit.id').on('delivery_group.is_deleted', '=', '0'),
    )
    .select([
      ...CAMPAIGN_ROW,
      'campaign.created_at',
      'campaign.updated_at',
      'site.id as site_id',
      'site.name as site_name',
      'site.url as site_url',
      'placement.id as placement_id',
      placementName.as('placement_name'),
      placementType.as('placement_type'),
      placementWidth.as('width'),
      placementHeight.as('height'),
      'placement.status as placement_status',
      'ad_unit.id as ad_unit_id',
      'ad_unit.name as ad_unit_name',
      'ad_unit.ad_format',
      'delivery_group.id as delivery_group_id',
      'delivery_group.name as delivery_group_name',
      'delivery_group.weight',
      'delivery_group.start_date as delivery_group_start_date',
      'delivery_group.end_date as delivery_group_end_date',
    ])
    .where('campaign.id', '=', String(campaignId))
    .orderBy('site.id', 'asc')
    .orderBy('placement.id', 'asc')
    .orderBy('ad_unit.id', 'asc')
    .orderBy('delivery_group.id', 'asc')
    .execute();
  const first = rows[0];
  if (!first) return undefined;

  const sites = new Map<string, Site>();
  const placements = new Map<string, Placement>();
  const adUnits = new Map<string, AdUnit>();
  for (const row of rows) {
    if (row.site_id === null) continue;
    let site = sites.get(row.site_id);
    if (!site) {
      site = { id: row.site_id, name: row.site_name as string, url: row.site_url, placements: [] };
      sites.set(row.site_id, site);
    }
    if (row.placement_id === null) continue;
    let placement = placements.get(row.placement_id);
    if (!placement) {
      placement = {
        id: row.placement_id,
        placement_name: row.placement_name,
        placement_type: row.placement_type,
        width: row.width,
        height: row.height,
        status: row.placement_status as Placement['status'],
        ad_units: [],
      };
      placements.set(row.placement_id, placement);
      site.placements.push(placement);
    }
    if (row.ad_unit_id === null) continue;
    let adUnit = adUnits.get(row.ad_unit_id);
    if (!adUnit) {
      adUnit = {
        id: row.ad_unit_id,
        name: row.ad_unit_name as string,
        ad_format: row.ad_format as string,
        delivery_groups: [],
      };
      adUnits.set(row.ad_unit_id, adUnit);
      placement.ad_units.push(adUnit);
    }
    if (row.delivery_group_id === null) continue;
    adUnit.delivery_groups.push({
      id: row.delivery_group_id,
      name: row.delivery_group_name as string,
      weight: row.weight as string,
      start_date: row.delivery_group_start_date ?? null,
      end_date: row.delivery_group_end_date ?? null,
    });
  }
  return {
    id: first.id,
    name: first.name,
    advertiser_id: first.advertiser_id,
    advertiser_name: first.advertiser_name,
    status: first.status as CampaignDetail['status'],
    start_date: first.start_date,
    end_date: first.end_date,
    budget: first.budget,
    impression_goal: first.impression_goal,
    created_at: first.created_at,
    updated_at: first.updated_at,
    sites: [...sites.values()],
  };
}
