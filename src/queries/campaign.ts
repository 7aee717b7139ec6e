import type { Kysely } from 'kysely';
import type { ConsoleDatabase } from '../shared/db';

/**
 * The account's visible campaigns: not deleted, and their advertiser not deleted (CONTRACT §2).
 * `advertiser` is joined so callers can select its name.
 */
export function accountCampaigns(db: Kysely<ConsoleDatabase>, accountId: number) {
  return db
    .selectFrom('campaign')
    .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
    .where('campaign.account_id', '=', String(accountId))
    .where('campaign.is_deleted', '=', '0')
    .where('advertiser.is_deleted', '=', '0');
}

/**
 * One visible campaign of the account, or undefined (the caller's 404). /campaigns/{id},
 * /analytics/{campaignId} and `campaign_id` of /clickthroughs all resolve an id this way.
 * Values are strings as the connection returns them (id '207').
 */
export async function findAccountCampaign(
  db: Kysely<ConsoleDatabase>,
  accountId: number,
  campaignId: number,
): Promise<{ id: string; name: string } | undefined> {
  return accountCampaigns(db, accountId)
    .select(['campaign.id', 'campaign.name'])
    .where('campaign.id', '=', String(campaignId))
    .executeTakeFirst();
}
