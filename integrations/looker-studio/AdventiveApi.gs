/**
 * The Adventive Public API over UrlFetchApp: one GET with the key pair in headers, JSON back,
 * and every failure turned into a sentence a person can act on. The same file is in the Looker
 * Studio and the Google Sheets projects (a test keeps the two copies identical).
 *
 * The keys travel only in the X-Integration-Key / X-Api-Key headers, never in the URL, a message
 * or a log line.
 */

/** Where the API lives; the script property ADVENTIVE_API_BASE_URL overrides it (e.g. staging). */
var ADVENTIVE_DEFAULT_BASE_URL = 'https://api.adventive.com';

function adventiveBaseUrl_() {
  var configured = PropertiesService.getScriptProperties().getProperty('ADVENTIVE_API_BASE_URL');
  return (configured || ADVENTIVE_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** `?a=1&b=2` from an object; empty and missing values are left out. */
function adventiveQuery_(params) {
  var parts = [];
  Object.keys(params || {}).forEach((name) => {
    var value = params[name];
    if (value === undefined || value === null || value === '') return;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  });
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A response header by name, whatever case the server or Apps Script gave it. */
function adventiveHeader_(headers, name) {
  var wanted = name.toLowerCase();
  var found = null;
  Object.keys(headers || {}).forEach((key) => {
    if (key.toLowerCase() === wanted) found = headers[key];
  });
  return found;
}

/** "in 30 minutes" / "in 45 seconds" from a Retry-After header (whole seconds). */
function adventiveRetryIn_(retryAfter) {
  var seconds = parseInt(retryAfter, 10);
  if (!(seconds > 0)) return 'later';
  if (seconds < 120) return `in ${seconds} seconds`;
  return `in ${Math.ceil(seconds / 60)} minutes`;
}

/**
 * The message for a failed request. Errors of this API are RFC 9457 problem+json bodies whose
 * `detail` is written for people; the status decides what the person should do next.
 */
function adventiveErrorMessage_(status, bodyText, retryAfter) {
  var detail = '';
  try {
    const problem = JSON.parse(bodyText);
    if (problem && typeof problem.detail === 'string') detail = problem.detail;
  } catch (e) {
    // Not problem+json (a proxy or an outage page): the status alone is explained.
  }
  var said = detail ? ` The API said: "${detail}"` : '';
  switch (status) {
    case 401:
      return `Adventive API did not accept the key pair; check the integration key and the API key.${said}`;
    case 429:
      return (
        'Adventive API: this key pair has used up its hourly request allowance; it resets ' +
        adventiveRetryIn_(retryAfter) +
        '.' +
        said
      );
    case 503:
      return (
        'Adventive API is temporarily unavailable; try again ' +
        adventiveRetryIn_(retryAfter) +
        ' (your keys are fine).' +
        said
      );
    case 504:
      return `Adventive API took too long to read the data; try a shorter date range, or try again later.${said}`;
    default:
      return `Adventive API refused the request (HTTP ${status}).${said}`;
  }
}

/**
 * GET `path` (JSON) with the key pair `keys` ({integrationKey, apiKey}); returns the parsed body
 * or throws an Error whose message is adventiveErrorMessage_'s.
 */
function adventiveGet_(path, params, keys) {
  if (!keys?.integrationKey || !keys.apiKey) {
    throw adventiveError_(
      'Adventive API: no key pair is set. Enter your integration key and API key first.',
      401,
    );
  }
  var response;
  try {
    response = UrlFetchApp.fetch(adventiveBaseUrl_() + path + adventiveQuery_(params), {
      method: 'get',
      headers: {
        'X-Integration-Key': keys.integrationKey,
        'X-Api-Key': keys.apiKey,
        Accept: 'application/json',
      },
      muteHttpExceptions: true,
      followRedirects: false,
    });
  } catch (e) {
    // DNS, TLS or a dropped connection: nothing from the API itself.
    throw adventiveError_('Adventive API could not be reached; try again later.', 0);
  }
  var status = response.getResponseCode();
  var text = response.getContentText('UTF-8');
  if (status === 200) return JSON.parse(text);
  var retryAfter = adventiveHeader_(response.getHeaders(), 'Retry-After');
  throw adventiveError_(adventiveErrorMessage_(status, text, retryAfter), status);
}

/** An Error carrying the HTTP status (0: no answer), so callers can tell a refused key pair apart. */
function adventiveError_(message, status) {
  var error = new Error(message);
  error.status = status;
  return error;
}

/** True when the API accepts the key pair, false when it refuses it (401); other failures throw. */
function adventiveKeysValid_(keys) {
  try {
    return adventiveGet_('/credentialscheck', {}, keys).status === true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}
