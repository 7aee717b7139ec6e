/**
 * Adventive metrics in Google Sheets: an "Adventive" menu that writes a date range of
 * /v2.0/dataconnector rows into a sheet, and the custom function ADVENTIVE_DATA for a cell.
 * The key pair is kept in this script's properties (set from the menu), never in a cell.
 */
var INTEGRATION_KEY_PROPERTY = 'ADVENTIVE_INTEGRATION_KEY';
var API_KEY_PROPERTY = 'ADVENTIVE_API_KEY';
var ADVENTIVE_SHEET_NAME = 'Adventive';

/** The columns of a v2 row of /v2.0/dataconnector, in the API's order (its heading row). */
var ADVENTIVE_COLUMNS = [
  'date',
  'advertiser_id',
  'advertiser_name',
  'campaign_id',
  'campaign_name',
  'placement_id',
  'placement_name',
  'impressions',
  'clicks',
  'ctr',
  'interactions',
  'engagements',
  'engagement_time',
  'expansions',
  'video_starts',
  'video_q25',
  'video_q50',
  'video_q75',
  'video_completes',
];

function onOpen() {
  SpreadsheetApp.getUi()
    .createMenu('Adventive')
    .addItem('Pull data into a sheet…', 'adventivePullFromMenu')
    .addItem('Set API keys…', 'adventiveSetKeys')
    .addItem('Forget API keys', 'adventiveForgetKeys')
    .addToUi();
}

function storedKeys_() {
  var properties = PropertiesService.getScriptProperties();
  var integrationKey = properties.getProperty(INTEGRATION_KEY_PROPERTY);
  var apiKey = properties.getProperty(API_KEY_PROPERTY);
  return integrationKey && apiKey ? { integrationKey: integrationKey, apiKey: apiKey } : null;
}

/** Asks for one value; null when the user cancels. */
function ask_(ui, title, prompt) {
  var answer = ui.prompt(title, prompt, ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return null;
  return answer.getResponseText().trim();
}

/** Menu: asks for the key pair, checks it with the API and keeps it in the script properties. */
function adventiveSetKeys() {
  var ui = SpreadsheetApp.getUi();
  var integrationKey = ask_(ui, 'Adventive API keys', 'Integration key (X-Integration-Key):');
  if (!integrationKey) return;
  var apiKey = ask_(ui, 'Adventive API keys', 'API key (X-Api-Key):');
  if (!apiKey) return;
  var keys = { integrationKey: integrationKey, apiKey: apiKey };
  try {
    if (!adventiveKeysValid_(keys)) {
      ui.alert('Adventive API: this key pair was not accepted. Nothing was saved.');
      return;
    }
  } catch (e) {
    ui.alert(e.message);
    return;
  }
  var properties = PropertiesService.getScriptProperties();
  properties.setProperty(INTEGRATION_KEY_PROPERTY, integrationKey);
  properties.setProperty(API_KEY_PROPERTY, apiKey);
  ui.alert('Adventive API keys saved for this spreadsheet.');
}

function adventiveForgetKeys() {
  var properties = PropertiesService.getScriptProperties();
  properties.deleteProperty(INTEGRATION_KEY_PROPERTY);
  properties.deleteProperty(API_KEY_PROPERTY);
  SpreadsheetApp.getUi().alert('Adventive API keys removed from this spreadsheet.');
}

/** A date argument as YYYY-MM-DD: a date cell arrives as a Date in the spreadsheet's time zone. */
function adventiveDate_(value) {
  if (value instanceof Date) {
    return Utilities.formatDate(value, SpreadsheetApp.getActive().getSpreadsheetTimeZone(), 'yyyy-MM-dd');
  }
  return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * The heading row and one row per (date, campaign, placement) of /v2.0/dataconnector.
 * `advertiserId` is optional (all advertisers of the account when empty).
 */
function adventiveRows_(from, to, advertiserId) {
  var params = { from: adventiveDate_(from), to: adventiveDate_(to) };
  if (advertiserId !== undefined && advertiserId !== null && String(advertiserId).trim() !== '') {
    params.advertiser_id = String(advertiserId).trim();
  }
  var body = adventiveGet_('/v2.0/dataconnector', params, storedKeys_());
  var rows = body.data.map((row) => ADVENTIVE_COLUMNS.map((column) => row[column]));
  return [ADVENTIVE_COLUMNS.slice()].concat(rows);
}

/**
 * Adventive daily metrics per placement for a date range, with a heading row.
 *
 * @param {string|Date} from first day, YYYY-MM-DD or a date cell
 * @param {string|Date} to last day, YYYY-MM-DD or a date cell
 * @param {number|string} advertiser_id optional: one advertiser only
 * @return the rows of /v2.0/dataconnector
 * @customfunction
 */
function ADVENTIVE_DATA(from, to, advertiser_id) {
  return adventiveRows_(from, to, advertiser_id);
}

/** Writes the rows into the "Adventive" sheet (created when missing, its old content replaced). */
function adventivePullIntoSheet(from, to, advertiserId) {
  var values = adventiveRows_(from, to, advertiserId);
  var spreadsheet = SpreadsheetApp.getActive();
  var sheet =
    spreadsheet.getSheetByName(ADVENTIVE_SHEET_NAME) || spreadsheet.insertSheet(ADVENTIVE_SHEET_NAME);
  sheet.clearContents();
  sheet.getRange(1, 1, values.length, ADVENTIVE_COLUMNS.length).setValues(values);
  return values.length - 1;
}

/** Menu: asks for the range (and an optional advertiser), then pulls it into the sheet. */
function adventivePullFromMenu() {
  var ui = SpreadsheetApp.getUi();
  var from = ask_(ui, 'Adventive data', 'First day (YYYY-MM-DD):');
  if (from === null) return;
  var to = ask_(ui, 'Adventive data', 'Last day (YYYY-MM-DD):');
  if (to === null) return;
  var advertiserId = ask_(ui, 'Adventive data', 'Advertiser id (leave empty for all advertisers):');
  if (advertiserId === null) return;
  try {
    const count = adventivePullIntoSheet(from, to, advertiserId);
    ui.alert(`${count} rows written to the sheet "${ADVENTIVE_SHEET_NAME}".`);
  } catch (e) {
    ui.alert(e.message);
  }
}
