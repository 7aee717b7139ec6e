import { type SelectQueryBuilder, sql } from 'kysely';

/**
 * A placement has no name column: its name, type and size come from the HTML5 ad or the asset
 * it shows (CONTRACT §2). This is the one place that expression is written; every endpoint that
 * names placements selects it from here.
 */
export const placementName = sql<string>`COALESCE(CASE WHEN placement.ad_html5_id IS NOT NULL THEN ad_html5.ad_name ELSE asset.asset_name END, '')`;
export const placementType = sql<
  'html5' | 'asset' | 'none'
>`CASE WHEN placement.ad_html5_id IS NOT NULL THEN 'html5' WHEN placement.asset_id IS NOT NULL THEN 'asset' ELSE 'none' END`;
export const placementWidth = sql<
  string | null
>`CASE WHEN placement.ad_html5_id IS NOT NULL THEN ad_html5.width ELSE asset.width END`;
export const placementHeight = sql<
  string | null
>`CASE WHEN placement.ad_html5_id IS NOT NULL THEN ad_html5.height ELSE asset.height END`;

/**
 * LEFT JOINs the creative tables the expressions above read. The query keeps its type: the
 * joined tables are only referenced inside those raw expressions.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any select over `placement`.
export function withCreative<QB extends SelectQueryBuilder<any, any, any>>(query: QB): QB {
  return query
    .leftJoin('ad_html5', 'ad_html5.id', 'placement.ad_html5_id')
    .leftJoin('asset', 'asset.id', 'placement.asset_id') as unknown as QB;
}
