import { WorkerEntrypoint } from 'cloudflare:workers';
import { logEvent } from '../../src/shared/observability/logger';
import type { AuthHelperEnv } from './env';
import { type PairRow, rowsOfIntegrationKey } from './lookup';
import { revocationsOf } from './revocation-list';
import { type RevocationSnapshot, revocationsObject } from './revocations';

/** What a change of the revocations answers the operator. */
export interface RevocationChange {
  /** The console rows the change named (by id; never a key). */
  rows: PairRow[];
  version: number;
  /** How old a helper isolate's copy of the list may be (REVOCATIONS_MAX_AGE_MS). */
  helperMaxAgeMs: number;
}

/**
 * The operator's interface (`npm run auth:revoke`): a named entrypoint, reached only through a
 * service binding that names it (`entrypoint = "AuthAdmin"`). No HTTP request can address it, and
 * no deployed Worker binds it (test/tooling/wrangler-config.test.ts); the command binds it from
 * the operator's machine, locally through wrangler's dev registry and remotely through wrangler's
 * remote bindings (the operator's Cloudflare login).
 */
export class AuthAdmin extends WorkerEntrypoint<AuthHelperEnv> {
  /**
   * Revokes every row the database holds equal to `integrationKey`: each helper isolate refuses
   * them within REVOCATIONS_MAX_AGE_MS, whatever spelling a caller sends and whatever KV holds.
   */
  async revoke(integrationKey: string, by = 'unknown'): Promise<RevocationChange> {
    if (typeof integrationKey !== 'string' || integrationKey === '') {
      throw new Error('An integration key is required.');
    }
    let rows: PairRow[];
    try {
      rows = await rowsOfIntegrationKey(this.env, integrationKey);
    } catch {
      throw new Error('The key store is unreachable; nothing was revoked.');
    }
    return this.change(rows, 'revoke', by);
  }

  /** Lifts the revocation of these console rows (a revocation made by mistake). */
  async lift(apiIds: number[], by = 'unknown'): Promise<RevocationChange> {
    const ids = apiIds.filter((id) => Number.isSafeInteger(id) && id > 0);
    return this.change(
      ids.map((apiId) => ({ apiId, accountId: 0, deleted: false })),
      'lift',
      by,
    );
  }

  /** The revoked rows. */
  async list(): Promise<RevocationSnapshot> {
    return revocationsObject(this.env.REVOCATIONS).list();
  }

  private async change(rows: PairRow[], action: 'revoke' | 'lift', by: string): Promise<RevocationChange> {
    const { list, maxAgeMs } = revocationsOf(this.env);
    const object = revocationsObject(this.env.REVOCATIONS);
    const ids = rows.map((row) => row.apiId);
    const askedAt = Date.now();
    const snapshot =
      ids.length === 0
        ? await object.list()
        : await (action === 'revoke' ? object.revoke(ids) : object.lift(ids));
    // This isolate has the change at once; the others within maxAgeMs.
    list.accept(snapshot, maxAgeMs, askedAt);
    logEvent('warn', `auth.revocation.${action}`, {
      api_ids: ids.join(','),
      version: snapshot.version,
      by: String(by).slice(0, 64),
    });
    return { rows, version: snapshot.version, helperMaxAgeMs: maxAgeMs };
  }
}
