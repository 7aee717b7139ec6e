// The legacy JSON and JSONP bodies: PHP 8.2 `json_encode($data, JSON_UNESCAPED_UNICODE)` as
// CodeIgniter Rest Server 3.1.7 `Format::to_json` calls it, and its JSONP / Content-Type rules.
import { isPhpInt, phpFloatToJson, phpIntToString } from './php-float';
import type { LegacyObject, LegacyScalar, LegacyValue } from './types';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const JSONP_CONTENT_TYPE = 'application/javascript; charset=utf-8';

// Characters json_encode escapes under JSON_UNESCAPED_UNICODE, plus lone surrogates (u flag: a
// surrogate pair does not match), which UTF-8 text from MySQL cannot contain.
// biome-ignore lint/suspicious/noControlCharactersInRegex: json_encode escapes exactly these
const NEEDS_ESCAPE = /["\\/\u0000-\u001f\u2028\u2029\ud800-\udfff]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: json_encode escapes exactly these
const ESCAPES = /["\\/\u0000-\u001f\u2028\u2029]/g;
const HEX = '0123456789abcdef';

function escapeChar(ch: string): string {
  switch (ch) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '/':
      return '\\/';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\u2028':
      return '\\u2028';
    case '\u2029':
      return '\\u2029';
    default: {
      const code = ch.charCodeAt(0);
      return `\\u00${HEX[code >> 4]}${HEX[code & 15]}`;
    }
  }
}

// php_json_escape_string with JSON_UNESCAPED_UNICODE: `/` → `\/`, raw UTF-8 except U+2028/U+2029
// (no JSON_UNESCAPED_LINE_TERMINATORS), other controls as `\u00xx` with PHP's lowercase hex.
export function encodeJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  if (/[\ud800-\udfff]/u.test(text)) throw new TypeError('json_encode: malformed UTF-8 (lone surrogate)');
  return `"${text.replace(ESCAPES, escapeChar)}"`;
}

// json_encode($value, JSON_UNESCAPED_UNICODE): no whitespace, ints as digits, floats shortest
// round-trip (serialize_precision = -1) without JSON_PRESERVE_ZERO_FRACTION.
export function encodeJson(value: LegacyValue): string {
  if (value === null || typeof value !== 'object') return encodeScalar(value);
  const out: string[] = [];
  writeJson(out, value);
  return out.join('');
}

function encodeScalar(value: LegacyScalar): string {
  switch (typeof value) {
    case 'string':
      return encodeJsonString(value);
    case 'number':
      return isPhpInt(value) ? phpIntToString(value) : phpFloatToJson(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'null';
  }
}

// Member names repeat on every row: their encoding is memoized (bounded, names are few).
const encodedKeys = new Map<string, string>();
function encodeKey(key: string): string {
  let encoded = encodedKeys.get(key);
  if (encoded === undefined) {
    encoded = `${encodeJsonString(key)}:`;
    if (encodedKeys.size < 1024) encodedKeys.set(key, encoded);
  }
  return encoded;
}

// Appends to `out` rather than concatenating: large bodies would otherwise build deep ropes.
// A PHP array with string keys is a JSON object; an empty PHP array is a list, hence `[]`.
function writeJson(out: string[], value: LegacyValue): void {
  if (value === null || typeof value !== 'object') {
    out.push(encodeScalar(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      writeJson(out, value[i]!);
    }
    out.push(']');
  } else {
    let first = true;
    for (const key in value) {
      out.push(first ? '{' : ',', encodeKey(key));
      writeJson(out, value[key]!);
      first = false;
    }
    out.push(first ? '[]' : '}');
  }
}

// Rest Server 3.1.7 accepts a JSONP callback only if it is a dotted JavaScript identifier; `$`
// there is PCRE's, which also accepted one trailing newline: the contract anchors at the very end
// (JS `$` without the m flag does exactly that).
const VALID_CALLBACK = /^[a-z_$][a-z0-9$_]*(\.[a-z_$][a-z0-9$_]*)*$/i;

// Format::to_json + RestController::response for a `callback` parameter (CONTRACT §3.2):
// absent, empty or "0" → plain JSON; a valid callback → `cb(<json>);`; anything else → plain JSON
// with a trailing `"warning":"INVALID JSONP CALLBACK: <cb>"` member. The Content-Type is JavaScript
// when the parameter is present and `preg_match('/^' . $callback . '/', $body)` matches.
export function jsonpResponse(
  callback: string | undefined,
  value: LegacyObject,
): { body: string; contentType: string } {
  if (callback === undefined) return { body: encodeJson(value), contentType: JSON_CONTENT_TYPE };
  let body: string;
  if (callback === '' || callback === '0') body = encodeJson(value);
  else if (VALID_CALLBACK.test(callback)) body = `${callback}(${encodeJson(value)});`;
  else body = encodeJson({ ...value, warning: `INVALID JSONP CALLBACK: ${callback}` });
  return { body, contentType: callbackPrefixes(callback, body) ? JSONP_CONTENT_TYPE : JSON_CONTENT_TYPE };
}

// Quantifiers (`*`, `+`, `?` other than the one opening a `(?` group, `{n}`, `{n,}`, `{,n}`),
// alternation and escapes: the syntax that can backtrack catastrophically, or that PCRE and JS read
// differently. What remains (literals, `.`, classes, anchors, groups) matches in one linear pass.
const COMPLEX_PATTERN = /[*+|\\]|(?<!\()\?|\{,?[0-9]/;

/**
 * `preg_match('/^' . $callback . '/', $body)` with the callback pasted in unescaped.
 * - A valid callback is identifier characters, dots (any character, so itself) and `$` (end of
 *   subject, never reached since the body continues with `(`): it matches iff it has no `$`.
 * - An unescaped `/` ends the PCRE pattern early and the rest is an invalid modifier: no match.
 * - Other callbacks are evaluated as a JS RegExp when they use only syntax on which JS and PCRE
 *   agree and that cannot backtrack (no quantifier, alternation or escape); an invalid pattern does
 *   not match. Callbacks with such syntax are treated as not matching: running a client-supplied
 *   backtracking regex over a large body would be a ReDoS (PCRE stopped at its backtrack limit).
 */
function callbackPrefixes(callback: string, body: string): boolean {
  if (VALID_CALLBACK.test(callback)) return !callback.includes('$');
  if (callback.includes('/') || COMPLEX_PATTERN.test(callback)) return false;
  try {
    return new RegExp(`^${callback}`).test(body);
  } catch {
    return false;
  }
}
