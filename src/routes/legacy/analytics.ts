import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import { getAnalytics, getAnalyticsVersioned } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { contractFloat, type PhpInt, phpIntval, phpRatio, phpRatio2 } from '../../legacy';
import { findAccountCampaign } from '../../queries/campaign';
import { dateRange } from '../../request/dates';
import type { AggregateDatabase } from '../../shared/db';
import { ApiError } from '../../shared/errors/api-error';
import { registerLegacy } from './define';

/**
 * A SUM() as mysqli gives it (a digit string, NULL over no rows) → `(int)`: a PHP int, exact past
 * 2^53 as a bigint (typed as the contract's number: the renderers write both as digits).
 */
const count = (sum: string | null | undefined): number => phpIntval(sum) as number;
const int = (value: number): PhpInt => value;

/** numerator / denominator × 100 rounded to 2 places like PHP's round(); 0.0 for a zero denominator. */
const rate = (numerator: number, denominator: number): number =>
  contractFloat(phpRatio(int(numerator), int(denominator), 100, 2));

/**
 * The sums of one campaign over [from, to] in `aggregate`: kpi always, engagement and video for v2,
 * in one statement (each table summed in a derived table of its own, one row each), so v2 costs
 * one round trip to the database as v1 does.
 */
async function sumsOf(
  db: Kysely<AggregateDatabase>,
  campaignId: string,
  from: string,
  to: string,
  v2: boolean,
) {
  // Each table is summed on its own, by campaign and date only: its placement and its
  // account/advertiser labels do not matter (the legacy counted mislabelled rows too).
  const kpi = db
    .selectFrom('kpi_daily')
    .select((eb) => [
      eb.fn.sum<string | null>('impressions').as('impressions'),
      eb.fn.sum<string | null>('clicks').as('clicks'),
      eb.fn.sum<string | null>('interactions').as('interactions'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('stat_date', '>=', from)
    .where('stat_date', '<=', to);
  if (!v2) return { kpi: await kpi.executeTakeFirst(), engagement: undefined, video: undefined };
  const engagement = db
    .selectFrom('engagement_daily')
    .select((eb) => [
      eb.fn.sum<string | null>('engagements').as('engagements'),
      eb.fn.sum<string | null>('engagement_time_ms').as('engagement_time_ms'),
      eb.fn.sum<string | null>('expansions').as('expansions'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('stat_date', '>=', from)
    .where('stat_date', '<=', to);
  const video = db
    .selectFrom('video_quartile_daily')
    .select((eb) => [
      eb.fn.sum<string | null>('video_starts').as('video_starts'),
      eb.fn.sum<string | null>('video_q25').as('video_q25'),
      eb.fn.sum<string | null>('video_q50').as('video_q50'),
      eb.fn.sum<string | null>('video_q75').as('video_q75'),
      eb.fn.sum<string | null>('video_completes').as('video_completes'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('stat_date', '>=', from)
    .where('stat_date', '<=', to);
  const sums = await db
    .selectFrom([kpi.as('kpi'), engagement.as('engagement'), video.as('video')])
    .selectAll()
    .executeTakeFirst();
  return { kpi: sums, engagement: sums, video: sums };
}

/** GET /analytics/{campaignId}: one campaign's totals over [from, to] (CONTRACT §2, §3.1). */
export function registerAnalytics(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, getAnalytics, getAnalyticsVersioned, async (c) => {
    const campaignId = Number(c.req.valid('param').campaignId);
    // Every parameter is checked (from > to → 400) before the id lookup (CONTRACT §4).
    const { from, to } = dateRange(c.req.valid('query'), 'last30days', c.get('now'));
    // Ownership first (CONTRACT §4: another account's id is indistinguishable from a missing one):
    // no query of the campaign's data runs, and nothing is waited for, before it is the account's.
    const campaign = await findAccountCampaign(c.get('db').console, c.get('auth').accountId, campaignId);
    if (!campaign) throw new ApiError(404, `Campaign ${campaignId} not found.`);
    const { kpi, engagement, video } = await sumsOf(
      c.get('db').aggregate,
      String(campaignId),
      from,
      to,
      c.get('route').version !== 1,
    );

    const impressions = count(kpi?.impressions);
    const clicks = count(kpi?.clicks);
    const interactions = count(kpi?.interactions);
    const v1 = {
      campaign_id: campaign.id,
      campaign_name: campaign.name,
      from,
      to,
      impressions,
      clicks,
      ctr: rate(clicks, impressions),
      interactions,
      interaction_rate: rate(interactions, impressions),
    };
    if (c.get('route').version === 1) return { data: v1 };

    const engagements = count(engagement?.engagements);
    const videoStarts = count(video?.video_starts);
    const videoCompletes = count(video?.video_completes);
    return {
      data: {
        ...v1,
        engagements,
        engagement_rate: rate(engagements, impressions),
        // Milliseconds → seconds per engagement: round($ms / 1000 / $eng, 2), 0.0 without engagements.
        avg_engagement_time:
          engagements > 0
            ? contractFloat(phpRatio2(int(count(engagement?.engagement_time_ms)), 1000, int(engagements), 2))
            : 0,
        expansions: count(engagement?.expansions),
        video_starts: videoStarts,
        video_q25: count(video?.video_q25),
        video_q50: count(video?.video_q50),
        video_q75: count(video?.video_q75),
        video_completes: videoCompletes,
        video_completion_rate: rate(videoCompletes, videoStarts),
      },
    };
  });
}
