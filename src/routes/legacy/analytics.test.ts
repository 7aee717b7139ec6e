import { afterEach, describe, expect, it } from 'vitest';
import { AnalyticsV1ResponseSchema, AnalyticsV2ResponseSchema } from '../../../generated/schemas';
import { call } from '../../../test/workers/http';
import { keyHeaders } from '../../../test/workers/keys';

const get = (path: string, alias: 'main' | 'other' = 'main') => call(path, { headers: keyHeaders(alias) });
const v1 = async (path: string) => AnalyticsV1ResponseSchema.parse(await (await get(path)).json()).data;
const v2 = async (path: string) => AnalyticsV2ResponseSchema.parse(await (await get(path)).json()).data;

const V1_FIELDS = [
  'campaign_id',
  'campaign_name',
  'from',
  'to',
  'impressions',
  'clicks',
  'ctr',
  'interactions',
  'interaction_rate',
];
const V2_FIELDS = [
  ...V1_FIELDS,
  'engagements',
  'engagement_rate',
  'avg_engagement_time',
  'expansions',
  'video_starts',
  'video_q25',
  'video_q50',
  'video_q75',
  'video_completes',
  'video_completion_rate',
];

// Byte parity with the capture is checked by test/workers/parity.test.ts; these pin the rules.
describe('GET /analytics/{campaignId}', () => {
  it('v1 (bare or /v1.x) has the v1 fields in order; MAJOR ≥ 2 appends the v2 fields', async () => {
    for (const path of ['/analytics/210', '/v1.7/analytics/210']) {
      expect(Object.keys(await v1(path))).toEqual(V1_FIELDS);
    }
    for (const path of ['/v2.0/analytics/210', '/v3.1/analytics/210']) {
      expect(Object.keys(await v2(path))).toEqual(V2_FIELDS);
    }
  });

  it('defaults to the last 30 days (New York) and the campaign id as stored', async () => {
    const data = await v1('/analytics/0210');
    expect(data).toMatchObject({ campaign_id: '210', from: '2026-10-23', to: '2026-11-22' });
    expect(await v1('/analytics/210?to=2026-11-10')).toMatchObject({ from: '2026-10-11', to: '2026-11-10' });
  });

  it('sums by campaign and date only: deleted or unknown placements count', async () => {
    // 2026-11-12 of campaign 201: 701, 702, 704 plus 705 (deleted) and 799 (not in console).
    const data = await v1('/analytics/201?from=2026-11-12&to=2026-11-12');
    expect(data).toMatchObject({ impressions: 261649, clicks: 2455, interactions: 636 });
  });

  it('counts a row whatever its advertiser label (label 21 on campaign 210 of advertiser 19)', async () => {
    const data = await v1('/analytics/210?from=2026-10-12&to=2026-10-12');
    expect(data).toMatchObject({
      impressions: 3100,
      clicks: 31,
      ctr: 1,
      interactions: 13,
      interaction_rate: 0.42,
    });
  });

  it('rounds rates like PHP round() and keeps counts as integers', async () => {
    const data = await v2('/v2.0/analytics/210?from=2026-11-10&to=2026-11-14');
    expect(data).toMatchObject({
      impressions: 200000,
      clicks: 2010,
      ctr: 1.01, // 1.005 as written rounds up
      engagements: 300,
      avg_engagement_time: 1.01, // 301.5 s / 300
      video_completion_rate: 61.73,
    });
  });

  it('no metric rows → counts 0 and rates 0 (zero denominators)', async () => {
    const data = await v2('/v2.0/analytics/204');
    for (const field of V2_FIELDS.slice(4)) expect(data[field as keyof typeof data]).toBe(0);
  });

  it.each([
    ['a deleted campaign', '/analytics/207', 'main'],
    ['a campaign of a deleted advertiser', '/analytics/208', 'main'],
    ['another account’s campaign', '/analytics/301', 'main'],
    ['account 1’s campaign for the other key', '/v2.0/analytics/201', 'other'],
    ['a missing id', '/analytics/999999', 'main'],
  ] as const)('%s → 404', async (_name, path, alias) => {
    expect((await get(path, alias)).status).toBe(404);
  });

  it('checks the dates before the campaign: from > to is a 400 even for a missing campaign', async () => {
    expect((await get('/analytics/207?from=2026-11-10&to=2026-11-01')).status).toBe(400);
    expect((await get('/analytics/201?from=2026-12-01')).status).toBe(400);
  });
});

describe('ownership before any of the campaign’s data (no timing side channel)', () => {
  const original = console.log;
  afterEach(() => {
    console.log = original;
  });
  /** The request log line of one call: how many queries each database was sent. */
  const queriesOf = async (path: string) => {
    const lines: Array<Record<string, unknown>> = [];
    console.log = (line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) lines.push(JSON.parse(line));
    };
    const response = await get(path);
    await response.arrayBuffer(); // the request line is written once the body has ended
    console.log = original;
    // This request's line (a line of an earlier test's request may be written meanwhile).
    const id = response.headers.get('x-request-id');
    const request = lines.find((l) => l.event === 'request' && l.request_id === id);
    return {
      status: response.status,
      console: request?.queries_console,
      aggregate: request?.queries_aggregate,
    };
  };

  it.each([
    ['another account’s campaign', '/v2.0/analytics/301'],
    ['a missing id', '/v2.0/analytics/999999'],
    ['a deleted campaign', '/v2.0/analytics/207'],
  ])('%s: 404 after one console query, aggregate never asked', async (_name, path) => {
    expect(await queriesOf(path)).toEqual({ status: 404, console: 1, aggregate: 0 });
  });

  it('the account’s own campaign: the lookup, then its sums (the three tables in one statement)', async () => {
    expect(await queriesOf('/v2.0/analytics/201')).toEqual({ status: 200, console: 1, aggregate: 1 });
    expect(await queriesOf('/v1.0/analytics/201')).toEqual({ status: 200, console: 1, aggregate: 1 });
  });
});
