import { manifest } from '../support/fixtures';

/** The seed's key pairs (db/seed/console.sql), by the fixtures' aliases. */
export const KEYS = manifest.keys as Record<
  'main' | 'tight' | 'revoked' | 'other' | 'deadacct',
  { int_key: string; api_key: string }
>;

export function keyHeaders(alias: keyof typeof KEYS): Record<string, string> {
  return { 'X-Integration-Key': KEYS[alias].int_key, 'X-Api-Key': KEYS[alias].api_key };
}

let hour = 0;
/**
 * A request clock in an hour no other test uses, so a rate-limit window starts empty
 * (x-test-clock, honoured only with the test-only TEST_CLOCK binding).
 */
export function freshHour(minute = 30): string {
  hour += 1;
  const start = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 50_000) * 3_600_000 + hour * 3_600_000;
  return new Date(start + minute * 60_000).toISOString();
}
