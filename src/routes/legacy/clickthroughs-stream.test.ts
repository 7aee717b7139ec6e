import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickthroughListResponseSchema } from '../../../generated/schemas';
import { concatBytes } from '../../../test/support/bytes';
import { scratchHyperdrive } from '../../../test/support/scratch-db';
import { keyHeaders } from '../../../test/workers/keys';
import { app } from '../../app';
import type { AppEnv } from '../../env';
import type { LegacyObject } from '../../legacy/types';
import type { OutputFormat } from '../../request/format';
import { renderLegacy } from '../../response/render';
import { createKysely } from '../../shared/db';

// /clickthroughs streams its body (src/queries/clickthrough-rows.ts); byte parity with the
// capture is test/workers/parity.test.ts's, with the legacy on any data parity/differential's.
// Here: a window of many rows, read as several date ranges, against the buffered renderer.

const request = (path: string, bindings: Partial<typeof env> = {}) =>
  app.request(path, { headers: keyHeaders('main') }, { ...env, ...bindings }, createExecutionContext());

async function chunksOf(response: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** What renderLegacy (the buffered renderer of every other endpoint) makes of `body` in `format`. */
async function buffered(body: LegacyObject, format: OutputFormat, query: string): Promise<Response> {
  const render = new Hono<AppEnv>();
  render.get('/', (c) => {
    c.set('format', format);
    return renderLegacy(c, body);
  });
  return render.request(`/?${query}`);
}

// A scratch copy of `aggregate` (admin binding) holding clickthrough rows of advertiser 11's pair
// 201/701 (named in the seed's console) on 12,000 days, two click names a day, plus rows the
// route must drop: a pair console does not have, and another advertiser's label. The window is
// read as date ranges of ~25,000 rows by the advertiser's pairs (metricSegments): the seed's six
// pairs make ranges of 4,166 days, so the rows come from three of them.
describe('a long window, on a scratch aggregate database', () => {
  const scratch = `clicks_test_${Math.floor(Math.random() * 1e9)}`;
  const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 60_000 });
  const aggregate = scratchHyperdrive(env.DB_ADMIN, scratch);
  const DAYS = 12_000;
  const query = 'advertiser_id=11&from=2000-01-01&to=2099-12-31';

  beforeAll(async () => {
    await sql.raw(`CREATE DATABASE ${scratch}`).execute(admin);
    await sql
      .raw(`CREATE TABLE ${scratch}.clickthrough_daily LIKE aggregate.clickthrough_daily`)
      .execute(admin);
    await sql
      .raw(`INSERT INTO ${scratch}.clickthrough_daily
        SELECT DATE('2000-01-01') + INTERVAL seq DAY, 1, advertiser, campaign, placement, name,
          CONCAT('https://acme.example/', name, '?d=', seq, '&x=<1>'), seq % 97
        FROM seq_0_to_${DAYS - 1}
        CROSS JOIN (SELECT 11 AS advertiser, 201 AS campaign, 701 AS placement, 'CTA' AS name
          UNION ALL SELECT 11, 201, 701, 'banner'
          UNION ALL SELECT 11, 299, 799, 'no console pair'
          UNION ALL SELECT 12, 201, 701, 'another label') AS kinds`)
      .execute(admin);
  }, 120_000);
  afterAll(async () => {
    await sql.raw(`DROP DATABASE IF EXISTS ${scratch}`).execute(admin);
    await admin.destroy();
  });

  it('JSON: every row in order across date ranges, names from console, the others dropped', async () => {
    const response = await request(`/clickthroughs?${query}`, { DB_AGGREGATE: aggregate });
    expect(response.status).toBe(200);
    const chunks = await chunksOf(response);
    expect(chunks.length).toBeGreaterThan(10);
    const rows = ClickthroughListResponseSchema.parse(
      JSON.parse(new TextDecoder().decode(concatBytes(chunks))),
    ).data;
    expect(rows).toHaveLength(2 * DAYS);
    expect(rows[0]).toMatchObject({
      date: '2000-01-01',
      campaign_id: '201',
      campaign_name: 'Spring Launch 2026',
    });
    expect(rows.slice(0, 2).map((row) => row.click_name)).toEqual(['banner', 'CTA']);
    const last = new Date(Date.UTC(2000, 0, 1) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    expect(rows.at(-1)).toMatchObject({ date: last, click_name: 'CTA', clicks: (DAYS - 1) % 97 });
    for (let i = 1; i < rows.length; i++) {
      const [before, row] = [rows[i - 1]!, rows[i]!];
      const ordered = before.date < row.date || (before.date === row.date && row.click_name === 'CTA');
      if (!ordered)
        throw new Error(`row ${i} out of order: ${before.date} ${before.click_name}, ${row.date}`);
    }
  });

  it.each([
    ['json', 'format=json'],
    ['xml', 'format=xml'],
    ['csv', 'format=csv'],
    ['json', 'callback=my.cb'],
  ] as const)(
    '%s (%s): the bytes and Content-Type the buffered renderer gives for the same rows',
    async (format, extra) => {
      const json = await (await request(`/clickthroughs?${query}`, { DB_AGGREGATE: aggregate })).json();
      const response = await request(`/clickthroughs?${query}&${extra}`, { DB_AGGREGATE: aggregate });
      const streamed = concatBytes(await chunksOf(response));
      const expected = await buffered(json as LegacyObject, format, extra);
      expect(response.headers.get('content-type')).toBe(expected.headers.get('content-type'));
      expect(streamed).toEqual(new Uint8Array(await expected.arrayBuffer()));
    },
  );

  it('a database failure before the first row is an ordinary 503, not a broken 200', async () => {
    const response = await request(`/clickthroughs?${query}&format=csv`, { DB_AGGREGATE: env.DB_CLOSED });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('30');
  });
});
