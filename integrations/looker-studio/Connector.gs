/**
 * Adventive community connector for Looker Studio: the account's daily per-placement metrics
 * from /v2.0/dataconnector (JSON), for the report's date range. Each Looker Studio user enters
 * their own key pair (integration key as the user name, API key as the token); it is kept in
 * that user's properties of this script.
 */
var cc = DataStudioApp.createCommunityConnector();

var ADVENTIVE_GUIDE_URL = 'https://api.adventive.com/docs/guides/looker-studio.html';
var INTEGRATION_KEY_PROPERTY = 'adventive.integration_key';
var API_KEY_PROPERTY = 'adventive.api_key';

function getAuthType() {
  return cc.newAuthTypeResponse().setAuthType(cc.AuthType.USER_TOKEN).setHelpUrl(ADVENTIVE_GUIDE_URL).build();
}

/** The key pair of the current user, or null. */
function storedKeys_() {
  var properties = PropertiesService.getUserProperties();
  var integrationKey = properties.getProperty(INTEGRATION_KEY_PROPERTY);
  var apiKey = properties.getProperty(API_KEY_PROPERTY);
  return integrationKey && apiKey ? { integrationKey: integrationKey, apiKey: apiKey } : null;
}

/** Looker Studio hands over what the user typed: user name = integration key, token = API key. */
function setCredentials(request) {
  var token = request.userToken || {};
  var keys = {
    integrationKey: String(token.username || '').trim(),
    apiKey: String(token.token || '').trim(),
  };
  if (!adventiveKeysValid_(keys)) return { errorCode: 'INVALID_CREDENTIALS' };
  var properties = PropertiesService.getUserProperties();
  properties.setProperty(INTEGRATION_KEY_PROPERTY, keys.integrationKey);
  properties.setProperty(API_KEY_PROPERTY, keys.apiKey);
  return { errorCode: 'NONE' };
}

/**
 * Whether the stored pair is still accepted. Only a refusal (401) asks the user for new keys; an
 * outage or a spent allowance keeps them, and getData then says what happened.
 */
function isAuthValid() {
  var keys = storedKeys_();
  if (!keys) return false;
  try {
    return adventiveKeysValid_(keys);
  } catch (e) {
    return true;
  }
}

function resetAuth() {
  var properties = PropertiesService.getUserProperties();
  properties.deleteProperty(INTEGRATION_KEY_PROPERTY);
  properties.deleteProperty(API_KEY_PROPERTY);
}

function isAdminUser() {
  return false;
}

/** The date range comes from the report; the only choice here is one advertiser or all of them. */
function getConfig() {
  var config = cc.getConfig();
  config
    .newInfo()
    .setId('instructions')
    .setText(
      'Daily metrics per placement from the Adventive Public API (v2: engagement and video fields included).',
    );
  var advertiser = config
    .newSelectSingle()
    .setId('advertiser_id')
    .setName('Advertiser')
    .setHelpText('All advertisers of the account, or one of them.')
    .setAllowOverride(true);
  advertiser.addOption(config.newOptionBuilder().setLabel('All advertisers').setValue('all'));
  var keys = storedKeys_();
  if (keys) {
    try {
      adventiveGet_('/advertisers', {}, keys).data.forEach((row) => {
        advertiser.addOption(config.newOptionBuilder().setLabel(`${row.name} (${row.id})`).setValue(row.id));
      });
    } catch (e) {
      // The list is a convenience: "All advertisers" still works, and getData reports the error.
    }
  }
  config.setDateRangeRequired(true);
  return config.build();
}

function getSchema() {
  return { schema: adventiveFields_().build() };
}

/** The rows of /v2.0/dataconnector for the requested fields, in the order Looker Studio asked. */
function getData(request) {
  var requested = adventiveFields_().forIds(request.fields.map((field) => field.name));
  var ids = requested.asArray().map((field) => field.getId());
  var params = { from: request.dateRange.startDate, to: request.dateRange.endDate, data_connector: '1' };
  var advertiserId = request.configParams?.advertiser_id;
  if (advertiserId && advertiserId !== 'all') params.advertiser_id = advertiserId;
  var body;
  try {
    body = adventiveGet_('/v2.0/dataconnector', params, storedKeys_());
  } catch (e) {
    cc.newUserError()
      .setDebugText(`GET /v2.0/dataconnector: HTTP ${e.status}`)
      .setText(e.message)
      .throwException();
  }
  return {
    schema: requested.build(),
    rows: body.data.map((row) => ({
      values: ids.map((id) => adventiveFieldValue_(row, id)),
    })),
  };
}
