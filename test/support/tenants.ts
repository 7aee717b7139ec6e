// Who owns what in the seed, read from the test database (db/seed/ is not readable inside workerd,
// and the database is what the Worker answers from): advertisers, campaigns and placements per
// account, and the account of each key pair of the fixtures' manifest.

import type { Env } from '../../src/env';
import { getConsole } from '../../src/shared/db';
import type { KEYS } from '../workers/keys';
import { manifest } from './fixtures';

export type KeyAlias = keyof typeof KEYS;

export interface Advertiser {
  id: string;
  accountId: string;
  name: string;
  /** Not deleted: an advertiser its account's keys can see. */
  live: boolean;
}

export interface Campaign {
  id: string;
  accountId: string;
  advertiserId: string;
  name: string;
  /** Neither the campaign nor its advertiser is deleted. */
  live: boolean;
}

export interface Placement {
  id: string;
  accountId: string;
  campaignId: string;
}

export interface Tenants {
  advertisers: Advertiser[];
  campaigns: Campaign[];
  placements: Placement[];
  /** Ids of the rows under them (contacts, sites, ad units, delivery groups), per account. */
  nestedIds: Map<string, Set<string>>;
  /** The account of each key alias whose key row exists (valid or not). */
  keyAccount: Partial<Record<KeyAlias, string>>;
}

export async function loadTenants(env: Pick<Env, 'DB_CONSOLE'>): Promise<Tenants> {
  const db = getConsole(env);
  try {
    const advertisers = await db
      .selectFrom('advertiser')
      .select(['id', 'account_id', 'name', 'is_deleted'])
      .orderBy('id')
      .execute();
    const campaigns = await db
      .selectFrom('campaign')
      .innerJoin('advertiser', 'advertiser.id', 'campaign.advertiser_id')
      .select([
        'campaign.id',
        'campaign.account_id',
        'campaign.advertiser_id',
        'campaign.name',
        'campaign.is_deleted',
        'advertiser.is_deleted as advertiser_deleted',
      ])
      .orderBy('campaign.id')
      .execute();
    const placements = await db
      .selectFrom('placement')
      .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
      .select(['placement.id', 'placement.campaign_id', 'campaign.account_id'])
      .orderBy('placement.id')
      .execute();
    // One after the other: the connection factory keeps one connection per Kysely instance.
    const nested = [
      await db
        .selectFrom('advertiser_contact')
        .innerJoin('advertiser', 'advertiser.id', 'advertiser_contact.advertiser_id')
        .select(['advertiser_contact.id', 'advertiser.account_id'])
        .execute(),
      await db
        .selectFrom('site')
        .innerJoin('campaign', 'campaign.id', 'site.campaign_id')
        .select(['site.id', 'campaign.account_id'])
        .execute(),
      await db
        .selectFrom('ad_unit')
        .innerJoin('placement', 'placement.id', 'ad_unit.placement_id')
        .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
        .select(['ad_unit.id', 'campaign.account_id'])
        .execute(),
      await db
        .selectFrom('delivery_group')
        .innerJoin('ad_unit', 'ad_unit.id', 'delivery_group.ad_unit_id')
        .innerJoin('placement', 'placement.id', 'ad_unit.placement_id')
        .innerJoin('campaign', 'campaign.id', 'placement.campaign_id')
        .select(['delivery_group.id', 'campaign.account_id'])
        .execute(),
    ];
    const nestedIds = new Map<string, Set<string>>();
    for (const row of nested.flat()) {
      const ids = nestedIds.get(row.account_id) ?? new Set<string>();
      ids.add(row.id);
      nestedIds.set(row.account_id, ids);
    }
    const keys = await db.selectFrom('api').select(['int_key', 'api_key', 'account_id']).execute();
    const keyAccount: Tenants['keyAccount'] = {};
    for (const [alias, pair] of Object.entries(manifest.keys) as [KeyAlias, (typeof KEYS)[KeyAlias]][]) {
      const row = keys.find((k) => k.int_key === pair.int_key && k.api_key === pair.api_key);
      if (row) keyAccount[alias] = row.account_id;
    }
    return {
      advertisers: advertisers.map((a) => ({
        id: a.id,
        accountId: a.account_id,
        name: a.name,
        live: a.is_deleted === '0',
      })),
      campaigns: campaigns.map((c) => ({
        id: c.id,
        accountId: c.account_id,
        advertiserId: c.advertiser_id,
        name: c.name,
        live: c.is_deleted === '0' && c.advertiser_deleted === '0',
      })),
      placements: placements.map((p) => ({ id: p.id, accountId: p.account_id, campaignId: p.campaign_id })),
      nestedIds,
      keyAccount,
    };
  } finally {
    await db.destroy();
  }
}
