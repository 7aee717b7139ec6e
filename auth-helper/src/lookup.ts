import { sql } from 'kysely';
import { type AuthResult, keyPairHash } from '../../src/shared/auth/contract';
import { budgetsOf, createKysely } from '../../src/shared/db';
import type { AuthHelperEnv } from './env';

export const INVALID: AuthResult = { valid: false, accountId: 0, rph: 0 };

/** An answer and the console row it came from (what a revocation names), for the KV cache. */
export interface Answer {
  result: AuthResult;
  /** `api.id` of a valid pair. */
  apiId?: number;
}

interface ApiRow {
  id: string;
  account_id: string;
  name: string;
  rph: string;
  int_key: string;
  api_key: string;
}

/**
 * The legacy lookup (CONTRACT §1.1), run by the database so that its utf8mb4_unicode_ci
 * collation decides equality: case, accents and trailing spaces (PAD SPACE) as the PHP API had.
 */
export async function lookUp(env: AuthHelperEnv, integrationKey: string, apiKey: string): Promise<Answer> {
  const db = createKysely<Record<string, never>>(env.DB_CONSOLE, budgetsOf(env), 'console');
  try {
    const { rows } = await sql<ApiRow>`
      SELECT api.id, api.account_id, api.name, api.rph, api.int_key, api.api_key FROM api
      JOIN account ON account.id = api.account_id AND !account.is_deleted
      WHERE api.int_key = ${integrationKey} AND api.api_key = ${apiKey} AND !api.is_deleted
      LIMIT 1`.execute(db);
    const row = rows[0];
    if (!row) return { result: INVALID };
    return {
      result: {
        valid: true,
        accountId: Number(row.account_id),
        rph: Number(row.rph),
        name: row.name,
        // The stored pair, not the spelling sent: every collation-equal spelling shares one limiter.
        keyHash: await keyPairHash(row.int_key, row.api_key),
      },
      apiId: Number(row.id),
    };
  } finally {
    await db.destroy();
  }
}

/** A console row an integration key names. */
export interface PairRow {
  apiId: number;
  accountId: number;
  /** Already deleted in the console (`api.is_deleted`). */
  deleted: boolean;
}

/**
 * Every row whose integration key the database holds equal to `integrationKey` (its collation, not
 * ours, decides which spellings are the same key), deleted or not, of any account.
 */
export async function rowsOfIntegrationKey(env: AuthHelperEnv, integrationKey: string): Promise<PairRow[]> {
  const db = createKysely<Record<string, never>>(env.DB_CONSOLE, budgetsOf(env), 'console');
  try {
    const { rows } = await sql<{ id: string; account_id: string; is_deleted: string }>`
      SELECT id, account_id, is_deleted FROM api WHERE int_key = ${integrationKey} ORDER BY id`.execute(db);
    return rows.map((row) => ({
      apiId: Number(row.id),
      accountId: Number(row.account_id),
      deleted: row.is_deleted !== '0',
    }));
  } finally {
    await db.destroy();
  }
}
