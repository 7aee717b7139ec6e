// The legacy JSON and JSONP bodies: PHP 8.2 `json_encode($data, JSON_UNESCAPED_UNICODE)` as
// CodeIgniter Rest Server 3.1.7 `Format::to_json` calls it, and its JSONP / Content-Type rules.
import { isPhpInt, phpFloatToJson, phpIntToString } from './php-float';
import type { LegacyObject, LegacyPartRules, LegacyScalar, LegacyValue } from './types';

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
      // Counts are small integers: the common case first (-0 is a float, `-0`).
      if ((value | 0) === value && !Object.is(value, -0)) return `${value}`;
      return isPhpInt(value) ? phpIntToString(value) : phpFloatToJson(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'null';
  }
}

/** json_encode of one member's name with its colon (`"name":`). */
export function encodeJsonName(key: string): string {
  return encodeKey(key);
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
// `hole` (see encodeJsonAround): that list, by identity, is written as `[` then a marker, `]`.
function writeJson(out: string[], value: LegacyValue, hole?: Hole): void {
  if (value === null || typeof value !== 'object') {
    out.push(encodeScalar(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    if (value === hole?.list) hole.at = out.length;
    else {
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out.push(',');
        writeJson(out, value[i]!, hole);
      }
    }
    out.push(']');
  } else {
    let first = true;
    for (const key in value) {
      out.push(first ? '{' : ',', encodeKey(key));
      writeJson(out, value[key]!, hole);
      first = false;
    }
    out.push(first ? '[]' : '}');
  }
}

/**
 * The members of an object as json_encode writes them between its braces (`"a":1,"b":"x"`), or
 * undefined when it has none. A row given in parts (LegacyRowParts), its parts' members written
 * by JSON_PART_RULES, is the bytes encodeJson gives for the merged object.
 */
export function encodeJsonMembers(value: LegacyObject): string | undefined {
  let members: string | undefined;
  for (const key in value) {
    const encoded = encodeKey(key) + encodeJson(value[key]!);
    members = members === undefined ? encoded : `${members},${encoded}`;
  }
  return members;
}

/** An object from its parts' members (encodeJsonMembers); none at all is PHP's empty array. */
export const JSON_PART_RULES: LegacyPartRules = { open: '{', separator: ',', close: '}', empty: '[]' };

interface Hole {
  list: LegacyValue[];
  at: number;
}

/** A body split around one of its lists: the bytes before its first item and after its last. */
export interface Envelope {
  head: string;
  tail: string;
}

/**
 * json_encode of `value` split around `list` (one of its lists, by identity; its items are
 * ignored), for a renderer that writes that list's items itself: for any items,
 * `head + items.map(encodeJson).join(',') + tail` is encodeJson of `value` with `list` holding
 * them (no items: `head + tail`).
 */
export function encodeJsonAround(value: LegacyObject, list: LegacyValue[]): Envelope {
  const out: string[] = [];
  const hole: Hole = { list, at: -1 };
  writeJson(out, value, hole);
  if (hole.at < 0) throw new TypeError('encodeJsonAround: the list is not part of the value');
  return { head: out.slice(0, hole.at).join(''), tail: out.slice(hole.at).join('') };
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
  const { wrapped, before, after } = jsonpWrapping(callback, value);
  const body = before + encodeJson(wrapped) + after;
  return { body, contentType: jsonpContentType(callback, body) };
}

/**
 * jsonpResponse's body of `value` split around `list` (see encodeJsonAround), for a renderer that
 * writes the list's items as they come; its Content-Type is jsonpContentType of the body's start.
 */
export function jsonpAround(
  callback: string | undefined,
  value: LegacyObject,
  list: LegacyValue[],
): Envelope {
  const { wrapped, before, after } = jsonpWrapping(callback, value);
  const { head, tail } = encodeJsonAround(wrapped, list);
  return { head: before + head, tail: tail + after };
}

// The one decision of how a `callback` wraps the JSON of `value` (both renderers use it). The
// warning member is assigned like PHP does: in place when present, else last.
function jsonpWrapping(
  callback: string | undefined,
  value: LegacyObject,
): { wrapped: LegacyObject; before: string; after: string } {
  if (callback === undefined || callback === '' || callback === '0')
    return { wrapped: value, before: '', after: '' };
  if (VALID_CALLBACK.test(callback)) return { wrapped: value, before: `${callback}(`, after: ');' };
  return { wrapped: { ...value, warning: `INVALID JSONP CALLBACK: ${callback}` }, before: '', after: '' };
}

/**
 * The Content-Type of a JSON body for a `callback` parameter (CONTRACT §3.2). `bodyStart` is the
 * body or any prefix of it at least jsonpContentTypeReach(callback) characters long: the decision
 * never reads further (see callbackPrefixes), so a streamed body can be typed before it is complete.
 */
export function jsonpContentType(callback: string | undefined, bodyStart: string): string {
  if (callback === undefined) return JSON_CONTENT_TYPE;
  return callbackPrefixes(callback, bodyStart) ? JSONP_CONTENT_TYPE : JSON_CONTENT_TYPE;
}

/**
 * How many leading characters of the body jsonpContentType needs. A pattern callbackPrefixes
 * evaluates has no quantifier, alternation or escape, so each of its atoms reads at most one
 * character: matching reads characters before index `callback.length` only, and `$` asks whether
 * the body ends at an index ≤ `callback.length`, which one more character answers.
 */
export function jsonpContentTypeReach(callback: string | undefined): number {
  return callback === undefined ? 0 : callback.length + 1;
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
