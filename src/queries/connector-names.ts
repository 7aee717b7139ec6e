import type { Kysely } from 'kysely';
import {
  type ConnectorNameMap,
  type ConnectorNames,
  connectorPairKey,
} from '../legacy/convert-for-connector';
import type { ConsoleDatabase } from '../shared/db';
import { placementName, withCreative } from './placement-creative';

/**
 * The console half of /connector and /dataconnector (CONTRACT §2 "Which rows"): every
 * (campaign, placement) pair of the account whose placement, campaign and advertiser are not
 * deleted (a deleted site does not matter), restricted to one advertiser when given. One bulk
 * query, never a query per row.
 */
export async function loadConnectorNames(
  db: Kysely<ConsoleDatabase>,
  accountId: number,
  advertiserId?: number,
): Promise<ConnectorNameMap> {
  let query = withCreative(
    db
      .selectFrom('placement')
      .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
      .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
      .select([
        'advertiser.id as advertiser_id',
        'advertiser.name as advertiser_name',
        'campaign.id as campaign_id',
        'campaign.name as campaign_name',
        'placement.id as placement_id',
        placementName.as('placement_name'),
      ])
      .where('campaign.account_id', '=', String(accountId))
      .where('advertiser.account_id', '=', String(accountId))
      .where('placement.is_deleted', '=', '0')
      .where('campaign.is_deleted', '=', '0')
      .where('advertiser.is_deleted', '=', '0'),
  );
  if (advertiserId !== undefined) query = query.where('advertiser.id', '=', String(advertiserId));
  const names = new Map<string, ConnectorNames>();
  for (const row of await query.execute())
    names.set(connectorPairKey(row.campaign_id, row.placement_id), row);
  return names;
}
