import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { phpQueryParameter } from '../request/query';

export interface KeyPair {
  apiKey: string;
  integrationKey: string;
}

/**
 * CONTRACT §1.1: each key from its header when that header is non-empty, else from its query
 * parameter (Google Sheets IMPORTDATA cannot send headers). Header names are case-insensitive.
 */
export function keysOf(c: Context<AppEnv>): Partial<KeyPair> {
  const pick = (header: string, parameter: string) => {
    const fromHeader = c.req.header(header);
    if (fromHeader) return fromHeader;
    // A key given as a list (`api_key[]=…`) is a 400, as the legacy's q() answered.
    return phpQueryParameter(c.req.raw, parameter) || undefined;
  };
  return {
    apiKey: pick('x-api-key', 'api_key'),
    integrationKey: pick('x-integration-key', 'integration_key'),
  };
}
