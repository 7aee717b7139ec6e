import { keyPairHash } from '../../src/shared/auth/contract';

/** Results are cached in KV: 5 minutes for a valid pair (seed 001 Phase 3), 1 minute otherwise. */
export const CACHE_TTL_VALID_S = 300;
export const CACHE_TTL_INVALID_S = 60;

/** v2 entries carry the console row (`apiId`) a revocation names; v1 entries are never read. */
const CACHE_PREFIX = 'auth:v2:';

/** The KV key of a pair as sent: the SHA-256 of the spelling, never the keys. */
export async function cacheKeyOf(integrationKey: string, apiKey: string): Promise<string> {
  return `${CACHE_PREFIX}${await keyPairHash(integrationKey, apiKey)}`;
}
