// Removes API keys from what the tail Worker sends on. The legacy read a key from the
// X-Api-Key / X-Integration-Key headers (any case) or from the `api_key` / `integration_key` query
// parameters as PHP's $_GET named them (percent-decoded, ` ` and `.` and `[` mangled to `_`), so a
// name is folded that way, and further (case, `-`, repeated decoding), before it is compared: a
// broader match only ever redacts more.

export const REDACTED = '[REDACTED]';

const PLACEHOLDERS = new Set(['REDACTED', REDACTED]);

/** Shorter "keys" are not scrubbed by value: they would wipe common words out of every message. */
export const MIN_SCRUBBED_KEY_LENGTH = 8;

/** One round of PHP's urldecode(): `+` → space, `%XX` → that byte (as one UTF-16 unit). */
function urlDecodeOnce(raw: string): string {
  return raw
    .replace(/\+/g, ' ')
    .replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function urlDecodeFully(raw: string): string {
  let value = raw;
  for (let round = 0; round < 3; round++) {
    const next = urlDecodeOnce(value);
    if (next === value) break;
    value = next;
  }
  return value;
}

/**
 * A parameter or header name folded for comparison: decoded (up to three rounds), cut at NUL as
 * PHP did, leading whitespace dropped, lower-cased, and every separator PHP mangled (` `, `.`, `[`)
 * plus `-` and `]` turned into `_`.
 */
export function foldName(raw: string): string {
  let name = urlDecodeFully(raw);
  const nul = name.indexOf('\0');
  if (nul !== -1) name = name.slice(0, nul);
  return name
    .trimStart()
    .toLowerCase()
    .replace(/[\s.[\]-]/g, '_');
}

/** api_key, integration_key and their relatives (x_api_key, apikey, int_key, api_key__ of `api_key[]`). */
const KEY_NAME = /(?:^|_)(?:api|int|integration)_?key/;

export function isKeyName(raw: string): boolean {
  return KEY_NAME.test(foldName(raw));
}

/** Headers whose value is a credential whatever it holds. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy_authorization', 'cookie', 'set_cookie']);

/** The name to write in place of a key parameter's: as sent when it is plain, else its folded key word. */
function safeName(raw: string): string {
  const folded = foldName(raw);
  if (/^[a-z0-9_]{1,40}$/.test(folded)) return raw.length <= 120 ? raw : folded;
  return KEY_NAME.exec(folded)![0].replace(/^_/, '');
}

/** A query string (without `?`) with the value of every key parameter replaced. */
export function redactQuery(query: string): string {
  // `&` is PHP's separator; `;` too here, so `a=1;api_key=x` loses its key all the same.
  return query
    .split(/([&;])/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      const equals = part.indexOf('=');
      const name = equals === -1 ? part : part.slice(0, equals);
      if (!isKeyName(name)) return part;
      return equals === -1 ? safeName(name) : `${safeName(name)}=${REDACTED}`;
    })
    .join('');
}

// `X-Api-Key: v`, `"x-api-key":"v"`, `api_key=v`, `'integration_key' => 'v'`, `\"api_key\":\"v\"`.
const KEY_ASSIGNMENT =
  /(?<![a-z0-9])((?:x[-_ ]?)?(?:api|int|integration)[-_ .]?keys?)(\\?["']?\s*(?:=>|:|=)\s*\\?["']?)([^\s"'\\,;&<>{}()]+)/gi;
// Any `name=value`: percent-encoded or mangled names (`%61pi_key=v`, `api.key=v`, `api[key=v`). A name
// starts only after a separator, so a long run without `=` is scanned once (linear, not quadratic).
const ASSIGNMENT = /(?<![^\s&?;=#"'<>{}(),/\\])([^\s&?;=#"'<>{}(),/\\]+)=([^\s&;#"'\\,<>{}()]*)/g;

/** Free text (a log message, an exception, a stack) with every key that is named in it replaced. */
export function redactText(text: string): string {
  return text
    .replace(KEY_ASSIGNMENT, (match, name: string, between: string, value: string) =>
      value === REDACTED ? match : `${name}${between}${REDACTED}`,
    )
    .replace(ASSIGNMENT, (match, name: string, value: string) =>
      !isKeyName(name) || value === REDACTED ? match : `${safeName(name)}=${REDACTED}`,
    );
}

/** A URL with the key parameters of its query, and any key named elsewhere in it, replaced. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  const redacted = question === -1 ? url : url.slice(0, question + 1) + redactQuery(url.slice(question + 1));
  return redactText(redacted);
}

/** Request headers with the key headers (any case or spelling) and credential headers replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isKeyName(name) || CREDENTIAL_HEADERS.has(foldName(name)) ? REDACTED : redactText(value);
  }
  return out;
}

/**
 * The key values a request carried (headers and query parameters, as sent and decoded), so that
 * they can be scrubbed from the rest of its event even where no name marks them (a message that
 * logs a bare key). Values shorter than MIN_SCRUBBED_KEY_LENGTH are left out.
 */
export function keyValuesOf(url: string, headers: Record<string, string>): string[] {
  const values = new Set<string>();
  const add = (value: string) => {
    for (const candidate of [value, value.trim()]) {
      // The runtime hands key headers over as `REDACTED` already: that is no key to look for.
      if (candidate.length >= MIN_SCRUBBED_KEY_LENGTH && !PLACEHOLDERS.has(candidate)) values.add(candidate);
    }
  };
  for (const [name, value] of Object.entries(headers)) if (isKeyName(name)) add(value);
  const question = url.indexOf('?');
  if (question !== -1) {
    const hash = url.indexOf('#', question);
    const query = url.slice(question + 1, hash === -1 ? undefined : hash);
    for (const pair of query.split(/[&;]/)) {
      const equals = pair.indexOf('=');
      if (equals === -1 || !isKeyName(pair.slice(0, equals))) continue;
      const raw = pair.slice(equals + 1);
      add(raw);
      add(urlDecodeOnce(raw)); // the value PHP saw
    }
  }
  return [...values];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A scrubber for known key values: each as given, percent-encoded and JSON-escaped, in any letter
 * case (the legacy compared keys case-insensitively, so an upper-cased key is the same key).
 */
export function valueScrubber(keys: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const key of keys) {
    const encoded = encodeURIComponent(key);
    for (const form of [key, encoded, encoded.replace(/%20/g, '+'), JSON.stringify(key).slice(1, -1)]) {
      if (form.length >= MIN_SCRUBBED_KEY_LENGTH) forms.add(form);
    }
  }
  if (forms.size === 0) return (text) => text;
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gi',
  );
  return (text) => text.replace(pattern, REDACTED);
}
