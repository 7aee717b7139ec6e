import { describe, expect, it } from 'vitest';
import { AdvertiserListResponseSchema, AdvertiserResponseSchema } from '../../../generated/schemas';
import { call } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';

const get = (path: string, alias: 'main' | 'other' = 'main') => call(path, { headers: keyHeaders(alias) });

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
describe('GET /advertisers', () => {
  it('lists the account’s not-deleted advertisers by name (utf8mb4_unicode_ci), then id', async () => {
    const body = AdvertiserListResponseSchema.parse(await (await get('/advertisers')).json());
    const ids = body.data.map((a) => a.id);
    expect(ids).not.toContain('23'); // deleted
    expect(ids).not.toContain('31'); // account 2
    // 'Acme & Sons' (11) and 'ACME & SONS' (25) are equal case-insensitively: id breaks the tie.
    expect(ids.indexOf('11')).toBeLessThan(ids.indexOf('25'));
    // 'apex digital' sorts with A, 'Échelle' with E, 'Über' with U.
    const names = body.data.map((a) => a.name);
    expect(names.indexOf('apex digital')).toBeLessThan(names.indexOf('Bistro <Le Gourmet>'));
    expect(names.indexOf('Échelle Partners')).toBeLessThan(names.indexOf('Muñoz Foods'));
    expect(names.indexOf('Über Mobility')).toBeGreaterThan(names.indexOf('Smith, Jones, and Partners'));
  });

  it('another tenant sees only its own advertisers', async () => {
    const body = AdvertiserListResponseSchema.parse(await (await get('/advertisers', 'other')).json());
    expect(body.data.map((a) => a.id).sort()).toEqual(['31', '32']);
  });
});

describe('GET /advertisers/{id}', () => {
  it('returns the advertiser with its not-deleted contacts, primary first', async () => {
    const body = AdvertiserResponseSchema.parse(await (await get('/advertisers/11')).json());
    expect(body.data.id).toBe('11');
    expect(body.data.contacts.map((c) => c.id)).toEqual(['103', '101', '102']);
    expect(body.data.contacts[0]?.is_primary).toBe('1');
  });

  it.each([
    ['a deleted advertiser', '/advertisers/23', 'main'],
    ['another account’s advertiser', '/advertisers/31', 'main'],
    ['account 1’s advertiser for the other key', '/advertisers/11', 'other'],
    ['a deleted account’s advertiser', '/advertisers/41', 'main'],
    ['a missing id', '/advertisers/999999', 'main'],
  ] as const)('%s → 404', async (_name, path, alias) => {
    expect((await get(path, alias)).status).toBe(404);
  });
});
