/**
 * The connector's fields: the v2 row of /v2.0/dataconnector (ConnectorRowV2 in the API's
 * openapi.yaml), in the API's order. Ids and text are dimensions, the date is YEAR_MONTH_DAY
 * (the API writes it YYYYMMDD with data_connector=1), counts are metrics summed by Looker Studio.
 * CTR is not summed: Looker Studio computes it from the summed clicks and impressions, so it is
 * right at any level of aggregation.
 */
var ADVENTIVE_FIELDS = [
  { id: 'date', name: 'Date', kind: 'date', description: 'Day of the metrics (America/New_York).' },
  { id: 'advertiser_id', name: 'Advertiser ID', kind: 'text' },
  { id: 'advertiser_name', name: 'Advertiser', kind: 'text' },
  { id: 'campaign_id', name: 'Campaign ID', kind: 'text' },
  { id: 'campaign_name', name: 'Campaign', kind: 'text' },
  { id: 'placement_id', name: 'Placement ID', kind: 'text' },
  { id: 'placement_name', name: 'Placement', kind: 'text' },
  { id: 'impressions', name: 'Impressions', kind: 'count' },
  { id: 'clicks', name: 'Clicks', kind: 'count' },
  {
    id: 'ctr',
    name: 'CTR',
    kind: 'ratio',
    formula: 'SUM($clicks) / SUM($impressions)',
    description: 'Clicks / impressions.',
  },
  { id: 'interactions', name: 'Interactions', kind: 'count' },
  { id: 'engagements', name: 'Engagements', kind: 'count' },
  { id: 'engagement_time', name: 'Engagement time', kind: 'seconds', description: 'Total engagement time.' },
  { id: 'expansions', name: 'Expansions', kind: 'count' },
  { id: 'video_starts', name: 'Video starts', kind: 'count' },
  { id: 'video_q25', name: 'Video 25%', kind: 'count' },
  { id: 'video_q50', name: 'Video 50%', kind: 'count' },
  { id: 'video_q75', name: 'Video 75%', kind: 'count' },
  { id: 'video_completes', name: 'Video completes', kind: 'count' },
];

/** The connector's Fields, built with the community connector's field builder. */
function adventiveFields_() {
  var cc = DataStudioApp.createCommunityConnector();
  var types = cc.FieldType;
  var fields = cc.getFields();
  ADVENTIVE_FIELDS.forEach((spec) => {
    var field = spec.kind === 'date' || spec.kind === 'text' ? fields.newDimension() : fields.newMetric();
    field.setId(spec.id).setName(spec.name);
    if (spec.description) field.setDescription(spec.description);
    if (spec.kind === 'date') field.setType(types.YEAR_MONTH_DAY);
    else if (spec.kind === 'text') field.setType(types.TEXT);
    else if (spec.kind === 'ratio') field.setType(types.PERCENT).setFormula(spec.formula);
    else {
      field.setType(spec.kind === 'seconds' ? types.DURATION : types.NUMBER);
      field.setAggregation(cc.AggregationType.SUM);
    }
  });
  fields.setDefaultDimension('date');
  fields.setDefaultMetric('impressions');
  return fields;
}

/**
 * A row's value for a field, as Looker Studio reads it. The API's `ctr` is a percentage
 * (0.48 for 0.48 %); a PERCENT field holds the fraction.
 */
function adventiveFieldValue_(row, id) {
  if (id === 'ctr') return row.ctr / 100;
  return row[id];
}
