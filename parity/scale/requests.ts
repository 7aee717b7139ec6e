// What `npm run parity:scale` asks both origins on the bench dataset (bench/dataset.mjs: one
// account, 40 advertisers, 400 campaigns, 4,000 placements, 400 days of metrics): every endpoint
// in every format and version, and the connectors over windows up to the whole dataset, where
// bodies reach hundreds of megabytes. The generated datasets of parity:legacy hold a few thousand
// rows; only here do answers span many socket reads, row batches and body chunks.
// @ts-expect-error plain ESM module without type declarations
import { ADVERTISERS, CAMPAIGNS, DAYS, windowOf } from '../../bench/dataset.mjs';

const CAMPAIGNS_PER_ADVERTISER = CAMPAIGNS / ADVERTISERS;

/** `from=…&to=…`: the window of `days` days ending on the dataset's last day. */
function window(days: number): string {
  const { from, to } = windowOf(days) as { from: string; to: string };
  return `from=${from}&to=${to}`;
}

/** The advertiser of a campaign of the bench dataset (bench/load-data.mjs numbers them in turn). */
export const advertiserOf = (campaign: number) => 1 + Math.floor((campaign - 1) / CAMPAIGNS_PER_ADVERTISER);

export interface ScaleRequest {
  /** The request target (path and query), sent with the bench key pair to both origins. */
  target: string;
  /** The legacy needs minutes and gigabytes for it (PHP builds the whole body first). */
  large?: boolean;
}

export function scaleRequests(): ScaleRequest[] {
  const lastCampaign = CAMPAIGNS as number;
  const lastAdvertiser = ADVERTISERS as number;
  const all = window(DAYS);
  const year = window(365);
  return [
    { target: '/credentialscheck' },
    { target: '/advertisers' },
    { target: '/advertisers.xml' },
    { target: '/advertisers.csv' },
    { target: '/advertisers/1' },
    { target: `/advertisers/${lastAdvertiser}?format=xml` },
    { target: `/v2.0/advertisers/${lastAdvertiser}.csv` },
    { target: '/campaigns' },
    { target: '/campaigns.xml' },
    { target: '/campaigns.csv' },
    { target: '/v2.0/campaigns?callback=cb' },
    { target: `/campaigns?advertiser_id=${advertiserOf(lastCampaign)}` },
    { target: '/campaigns/1' },
    { target: `/campaigns/${lastCampaign}.xml` },
    { target: `/v2.0/campaigns/${lastCampaign / 2}.csv` },
    { target: '/v1.0/analytics/1' },
    { target: '/v2.0/analytics/1' },
    { target: `/v2.0/analytics/5?${year}` },
    { target: `/v1.0/analytics/${lastCampaign}.xml?${all}` },
    { target: `/v2.0/analytics/77.csv?${window(90)}` },
    // The clickthrough rows are campaign 1's (ensureClickthroughs in bench/load-data.mjs).
    { target: '/clickthroughs?advertiser_id=1&campaign_id=1' },
    { target: '/clickthroughs.csv?advertiser_id=1' },
    { target: `/v2.0/clickthroughs.xml?advertiser_id=1&${all}` },
    { target: '/connector?advertiser_id=1' },
    { target: `/connector?advertiser_id=3&${year}` },
    { target: `/v2.0/connector?advertiser_id=3&${year}` },
    { target: `/connector.csv?advertiser_id=9&${window(120)}` },
    { target: `/v2.0/connector.xml?advertiser_id=9&${window(60)}` },
    { target: `/connector?advertiser_id=12&removeZeros=1&data_connector=1&${all}` },
    { target: `/v2.0/connector?advertiser_id=${lastAdvertiser}&data_connector=true&callback=looker&${all}` },
    { target: '/dataconnector' },
    { target: '/v2.0/dataconnector' },
    { target: `/dataconnector?${window(90)}` },
    { target: `/v2.0/dataconnector?data_connector=true&${window(90)}` },
    { target: `/dataconnector?${year}`, large: true },
    { target: `/v2.0/dataconnector?${year}`, large: true },
    { target: `/dataconnector?removeZeros=1&${all}`, large: true },
    { target: `/dataconnector.csv?${window(30)}` },
    { target: `/v2.0/dataconnector.csv?${window(45)}` },
    { target: `/dataconnector.xml?${window(20)}` },
    { target: `/v2.0/dataconnector.xml?${window(20)}` },
    { target: `/dataconnector?advertiser_id=${lastAdvertiser}&${all}` },
    { target: `/dataconnector?callback=cb&${window(30)}` },
  ];
}

/**
 * Requests sent to the Worker all at once (after the legacy has answered each): one isolate
 * streaming bodies of several formats and versions side by side, as production does for the
 * connectors of one account. At most STREAM_MAX_PER_KEY (5) streams of the one key pair.
 */
export function scaleRequestsAtOnce(): ScaleRequest[] {
  return [
    { target: `/dataconnector?${window(60)}` },
    { target: `/v2.0/dataconnector.csv?${window(30)}` },
    { target: `/v2.0/connector.xml?advertiser_id=5&${window(120)}` },
    { target: `/dataconnector?callback=cb&removeZeros=1&data_connector=1&${window(45)}` },
    { target: '/campaigns.xml' },
    { target: '/v2.0/analytics/3' },
  ];
}
