import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getAdvertiser,
  getAdvertiserVersioned,
  listAdvertisers,
  listAdvertisersVersioned,
} from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { registerLegacy } from './define';

/** GET /advertisers and /advertisers/{id} (CONTRACT §2). */
export function registerAdvertisers(app: OpenAPIHono<AppEnv>): void {
  registerLegacy(app, listAdvertisers, listAdvertisersVersioned, async (c) => {
    const data = await c.var.db.console
      .selectFrom('advertiser')
      .select(['id', 'name'])
      .where('account_id', '=', String(c.var.auth.accountId))
      .where('is_deleted', '=', '0')
      // utf8mb4_unicode_ci decides the order, as it did for the legacy query.
      .orderBy('name', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return { data };
  });

  registerLegacy(app, getAdvertiser, getAdvertiserVersioned, async (c) => {
    const id = Number(c.req.valid('param').id);
    const db = c.var.db.console;
    const advertiser = await db
      .selectFrom('advertiser')
      .select(['id', 'name', 'website', 'industry', 'created_at'])
      .where('id', '=', String(id))
      .where('account_id', '=', String(c.var.auth.accountId))
      .where('is_deleted', '=', '0')
      .executeTakeFirst();
    if (!advertiser) throw new ApiError(404, `Advertiser ${id} not found.`);
    const contacts = await db
      .selectFrom('advertiser_contact')
      .select(['id', 'first_name', 'last_name', 'email', 'phone', 'title', 'is_primary'])
      .where('advertiser_id', '=', String(id))
      .where('is_deleted', '=', '0')
      .orderBy('is_primary', 'desc')
      .orderBy('id', 'asc')
      .execute();
    return {
      data: {
        ...advertiser,
        contacts: contacts as Array<(typeof contacts)[number] & { is_primary: '0' | '1' }>,
      },
    };
  });
}
