/**
 * Row types of the two legacy databases (db/schema/*.sql). Every value is a string because the
 * connection returns columns as mysqli does (see pool.ts); nullable columns are `| null`.
 */
type Str = string;
type NullableStr = string | null;

export interface ConsoleDatabase {
  account: { id: Str; name: Str; is_deleted: Str; created_at: Str };
  api: {
    id: Str;
    account_id: Str;
    name: Str;
    int_key: Str;
    api_key: Str;
    rph: Str;
    r_count: Str;
    is_deleted: Str;
    created_at: Str;
  };
  advertiser: {
    id: Str;
    account_id: Str;
    name: Str;
    website: NullableStr;
    industry: NullableStr;
    is_deleted: Str;
    created_at: Str;
    updated_at: NullableStr;
  };
  advertiser_contact: {
    id: Str;
    advertiser_id: Str;
    first_name: Str;
    last_name: Str;
    email: Str;
    phone: NullableStr;
    title: NullableStr;
    is_primary: Str;
    is_deleted: Str;
  };
  campaign: {
    id: Str;
    account_id: Str;
    advertiser_id: Str;
    name: Str;
    status: Str;
    start_date: NullableStr;
    end_date: NullableStr;
    budget: NullableStr;
    impression_goal: NullableStr;
    is_deleted: Str;
    created_at: Str;
    updated_at: NullableStr;
  };
  site: { id: Str; campaign_id: Str; name: Str; url: NullableStr; is_deleted: Str };
  ad_html5: { id: Str; account_id: Str; ad_name: Str; width: Str; height: Str; is_deleted: Str };
  asset: {
    id: Str;
    account_id: Str;
    asset_name: Str;
    mime_type: Str;
    width: NullableStr;
    height: NullableStr;
    is_deleted: Str;
  };
  placement: {
    id: Str;
    campaign_id: Str;
    site_id: Str;
    ad_html5_id: NullableStr;
    asset_id: NullableStr;
    status: Str;
    is_deleted: Str;
  };
  ad_unit: { id: Str; placement_id: Str; name: Str; ad_format: Str; is_deleted: Str };
  delivery_group: {
    id: Str;
    ad_unit_id: Str;
    name: Str;
    weight: Str;
    start_date: NullableStr;
    end_date: NullableStr;
    is_deleted: Str;
  };
}

interface MetricKeys {
  stat_date: Str;
  account_id: Str;
  advertiser_id: Str;
  campaign_id: Str;
  placement_id: Str;
}

export interface AggregateDatabase {
  kpi_daily: MetricKeys & { impressions: Str; clicks: Str; interactions: Str };
  engagement_daily: MetricKeys & { engagements: Str; engagement_time_ms: Str; expansions: Str };
  video_quartile_daily: MetricKeys & {
    video_starts: Str;
    video_q25: Str;
    video_q50: Str;
    video_q75: Str;
    video_completes: Str;
  };
  clickthrough_daily: MetricKeys & { click_name: Str; click_url: Str; clicks: Str };
}
