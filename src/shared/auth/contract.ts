import { z } from 'zod';

/**
 * What the auth helper Worker answers on POST /auth (seed 000 §11): a valid pair gives the
 * account, the hourly allowance and a hash identifying the stored key pair (never the keys).
 */
export const AuthResultSchema = z.union([
  z.object({
    valid: z.literal(true),
    accountId: z.number().int().positive(),
    rph: z.number().int().nonnegative(),
    name: z.string(),
    keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  z.object({ valid: z.literal(false), accountId: z.literal(0), rph: z.literal(0) }),
]);
export type AuthResult = z.infer<typeof AuthResultSchema>;
export type ValidAuth = Extract<AuthResult, { valid: true }>;

/**
 * The auth helper request: the keys travel in a JSON body, byte for byte. (HTTP strips the
 * whitespace around header values, and a query-string key with a leading space must stay
 * invalid while one with a trailing space is valid: PAD SPACE.) The two headers are still
 * accepted for other Workers that call the helper the seed's way.
 */
export const AuthRequestSchema = z.object({ apiKey: z.string(), integrationKey: z.string() });
export type AuthRequest = z.infer<typeof AuthRequestSchema>;

/** Header names of the public API (and of the helper's header form). */
export const API_KEY_HEADER = 'X-Api-Key';
export const INTEGRATION_KEY_HEADER = 'X-Integration-Key';

/** SHA-256 hex of a key pair: KV cache keys and rate-limiter names, never the keys themselves. */
export async function keyPairHash(integrationKey: string, apiKey: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${integrationKey}\u0000${apiKey}`);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
