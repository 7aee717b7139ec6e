import type { Kysely } from 'kysely';
import type { ConsoleDatabase } from '../shared/db';

/**
 * The account's advertiser `advertiserId` when it is not deleted (the ownership check of every
 * `advertiser_id` parameter), for the caller to select from.
 */
export function accountAdvertiser(db: Kysely<ConsoleDatabase>, accountId: number, advertiserId: number) {
  return db
    .selectFrom('advertiser')
    .where('id', '=', String(advertiserId))
    .where('account_id', '=', String(accountId))
    .where('is_deleted', '=', '0');
}

/** One not-deleted advertiser of the account, or undefined (the caller's 404). */
export function findAccountAdvertiser(db: Kysely<ConsoleDatabase>, accountId: number, advertiserId: number) {
  return accountAdvertiser(db, accountId, advertiserId).select(['id', 'name']).executeTakeFirst();
}
