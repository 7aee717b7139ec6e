import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getAdvertiser,
  getAdvertiserVersioned,
  listAdvertisers,
  listAdvertisersVersioned,
} from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../shared/errors/api-error';
import { registerLegacy } from './define';

/** GET /advertisers and /advertisers/{id} (CONTRACT §2). */
export function registerAdvertisers(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, listAdvertisers, listAdvertisersVersioned, async (c) => {
    const data = await c
      .get('db')
      .console.selectFrom('advertiser')
      .select(['id', 'name'])
      .where('account_id', '=', String(c.get('auth').accountId))
      .where('is_deleted', '=', '0')
      // utf8mb4_unicode_ci decides the order, as it did for the legacy query.
      .orderBy('name', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return { data };
  });

  registerLegacy(app, getAdvertiser, getAdvertiserVersioned, async (c) => {
    const id = Number(c.req.valid('param').id);
    // The advertiser and its contacts in one statement (one round trip to the database): the
    // contacts are LEFT JOINed under the account's advertiser row, so another account's id reads
    // nothing more than a missing one. No contacts: one row whose contact columns are NULL.
    const rows = await c
      .get('db')
      .console.selectFrom('advertiser')
      .leftJoin('advertiser_contact as contact', (join) =>
        join.onRef('contact.advertiser_id', '=', 'advertiser.id').on('contact.is_deleted', '=', '0'),
      )
      .select([
        'advertiser.id',
        'advertiser.name',
        'advertiser.website',
        'advertiser.industry',
        'advertiser.created_at',
        'contact.id as contact_id',
        'contact.first_name',
        'contact.last_name',
        'contact.email',
        'contact.phone',
        'contact.title',
        'contact.is_primary',
      ])
      .where('advertiser.id', '=', String(id))
      .where('advertiser.account_id', '=', String(c.get('auth').accountId))
      .where('advertiser.is_deleted', '=', '0')
      .orderBy('contact.is_primary', 'desc')
      .orderBy('contact.id', 'asc')
      .execute();
    const advertiser = rows[0];
    if (!advertiser) throw new ApiError(404, `Advertiser ${id} not found.`);
    const contacts = rows.flatMap((row) =>
      row.contact_id === null
        ? []
        : [
            {
              id: row.contact_id,
              first_name: row.first_name as string,
              last_name: row.last_name as string,
              email: row.email as string,
              phone: row.phone ?? null,
              title: row.title ?? null,
              is_primary: row.is_primary as '0' | '1',
            },
          ],
    );
    const { id: advertiserId, name, website, industry, created_at } = advertiser;
    return { data: { id: advertiserId, name, website, industry, created_at, contacts } };
  });
}
