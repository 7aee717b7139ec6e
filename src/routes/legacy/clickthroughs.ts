import type { OpenAPIHono } from '@hono/zod-openapi';
import { listClickthroughs, listClickthroughsVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { findAccountCampaign } from '../../queries/campaign';
import { placementName, withCreative } from '../../queries/placement-creative';
import { dateRange } from '../../request/dates';
import { registerLegacy } from './define';

/**
 * GET /clickthroughs (CONTRACT §2, "Which rows"): metrics from aggregate selected by their own
 * advertiser label, names from console, two bulk queries merged here (never a query per row).
 */
export function registerClickthroughs(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, listClickthroughs, listClickthroughsVersioned, async (c) => {
    const query = c.req.valid('query');
    const advertiserId = Number(query.advertiser_id);
    const campaignId = query.campaign_id === undefined ? undefined : Number(query.campaign_id);
    // Every parameter is checked (from > to → 400) before the id lookups (CONTRACT §4).
    const { from, to } = dateRange(query, 'last4months', c.var.now);
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

    let metricsQuery = c.var.db.aggregate
      .selectFrom('clickthrough_daily')
      .select((eb) => [
        'stat_date',
        'campaign_id',
        'placement_id',
        'click_name',
        // The primary key makes each group one row, so this is that row's url.
        eb.fn.max('click_url').as('click_url'),
        eb.fn.sum<string>('clicks').as('clicks'),
      ])
      .where('advertiser_id', '=', advertiser.id)
      .where('stat_date', '>=', from)
      .where('stat_date', '<=', to);
    if (campaignId !== undefined) metricsQuery = metricsQuery.where('campaign_id', '=', String(campaignId));
    const metricsPromise = metricsQuery
      .groupBy(['stat_date', 'campaign_id', 'placement_id', 'click_name'])
      // utf8mb4_unicode_ci orders click_name ('banner' before 'CTA'): the order is SQL's.
      .orderBy('stat_date')
      .orderBy('campaign_id')
      .orderBy('placement_id')
      .orderBy('click_name')
      .execute();

    // Every (campaign, placement) pair of the advertiser with all three rows not deleted.
    const namesPromise = withCreative(
      consoleDb
        .selectFrom('placement')
        .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
        .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
        .select([
          'campaign.id as campaign_id',
          'campaign.name as campaign_name',
          'placement.id as placement_id',
          placementName.as('placement_name'),
        ])
        .where('advertiser.id', '=', advertiser.id)
        .where('campaign.account_id', '=', accountId)
        .where('advertiser.account_id', '=', accountId)
        .where('placement.is_deleted', '=', '0')
        .where('campaign.is_deleted', '=', '0')
        .where('advertiser.is_deleted', '=', '0'),
    ).execute();

    const [metrics, names] = await Promise.all([metricsPromise, namesPromise]);
    const byPair = new Map(names.map((n) => [`${n.campaign_id}/${n.placement_id}`, n]));
    // Filtering the metric rows in their SQL order keeps that order; rows without a console pair
    // (deleted, unknown, another advertiser's) are dropped.
    const data = metrics.flatMap((m) => {
      const name = byPair.get(`${m.campaign_id}/${m.placement_id}`);
      if (!name) return [];
      return [
        {
          date: m.stat_date,
          campaign_id: name.campaign_id,
          campaign_name: name.campaign_name,
          placement_id: name.placement_id,
          placement_name: name.placement_name,
          click_name: m.click_name,
          click_url: m.click_url,
          clicks: Number(m.clicks),
        },
      ];
    });
    return { data };
  });
}
