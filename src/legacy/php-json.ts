// The legacy JSON and JSONP bodies: PHP 8.2 `json_encode($data, JSON_UNESCAPED_UNICODE)` as
// CodeIgniter Rest Server 3.1.7 `Format::to_json` calls it, and its JSONP / Content-Type rules.
import { isPhpInt, phpFloatToJson, phpIntToString } from './php-float';
import { compilePhpRegex, type PcreProgram } from './php-preg';
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
  // Most bodies are objects of strings, nulls and small numbers, which JSON.stringify (native,
  // several times faster than writing them part by part) writes as json_encode does but for the
  // escapes PHP adds: `/` and U+2028/U+2029, only ever inside strings, so replaced in its output.
  // A lone surrogate, which json_encode refuses, is one JSON.stringify writes as `\udxxx`: any
  // `\ud` in its output (an escaped backslash before "ud" too) sends the value the long way.
  if (stringifiesAsPhp(value)) {
    const json = JSON.stringify(value);
    if (!json.includes('\\ud')) return json.replace(PHP_ONLY_ESCAPES, escapeChar);
  }
  return encodeJsonByParts(value);
}

/** encodeJson without the JSON.stringify shortcut: every value written by this module's rules. */
export function encodeJsonByParts(value: LegacyValue): string {
  if (value === null || typeof value !== 'object') return encodeScalar(value);
  const out: string[] = [];
  writeJson(out, value);
  return out.join('');
}

// What json_encode escapes and JSON.stringify does not.
const PHP_ONLY_ESCAPES = /[/\u2028\u2029]/g;

/**
 * Whether JSON.stringify writes `value` as json_encode does, escapes aside (see encodeJson):
 * strings, booleans, null, and numbers both write as JavaScript's shortest digits (not -0,
 * not an exponent: 0 or 1e-4 ≤ |n| < 1e17, phpFloatToJson), in lists and non-empty objects (an
 * empty one is PHP's empty array, `[]`). Not bigints or undefined.
 */
function stringifiesAsPhp(value: LegacyValue): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number': {
      if (value === 0) return !Object.is(value, -0);
      const abs = Math.abs(value);
      return abs >= 1e-4 && abs < 1e17;
    }
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!stringifiesAsPhp(value[i]!)) return false;
        return true;
      }
      let members = false;
      for (const key in value) {
        if (!stringifiesAsPhp(value[key]!)) return false;
        members = true;
      }
      return members;
    }
    default:
      return false;
  }
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
 * The Content-Type of a JSON body for a `callback` parameter (CONTRACT §3.2): JavaScript when
 * `preg_match('/^' . $callback . '/', $body)` matches. `bodyStart` is the body or any prefix of it at
 * least jsonpContentTypeReach(callback) UTF-8 bytes long: the decision never reads further, so a
 * streamed body can be typed before it is complete.
 */
export function jsonpContentType(callback: string | undefined, bodyStart: string): string {
  if (callback === undefined) return JSON_CONTENT_TYPE;
  const program = callbackProgram(callback);
  if (program === null) return JSON_CONTENT_TYPE;
  const reach = programReach(program);
  // reach + 1 UTF-16 code units hold at least reach + 1 bytes (a pair split at the end included).
  const bytes = utf8.encode(bodyStart.slice(0, reach + 1));
  const complete = bytes.length <= reach;
  const subject = complete
    ? { bytes, complete, limit: bytes.length }
    : { bytes: bytes.subarray(0, reach), complete, limit: reach - 2 };
  return program.match(subject) === true ? JSONP_CONTENT_TYPE : JSON_CONTENT_TYPE;
}

/** How many leading UTF-8 bytes of the body jsonpContentType needs (0: none). */
export function jsonpContentTypeReach(callback: string | undefined): number {
  if (callback === undefined) return 0;
  const program = callbackProgram(callback);
  return program === null ? 0 : programReach(program);
}

/**
 * The type regex reads at most this many bytes of the body. The legacy ran the caller's callback
 * as a regex with PCRE's backtracking over the whole body; here it runs in bounded time (see
 * php-preg/match.ts: a linear-time NFA, or a backtracker under a step budget for what no NFA can
 * run) over the body's first 64 KiB: a match must lie within them (a pattern that can only match
 * further, say `.*x` with the first x past 64 KiB, is taken as not matching, as is one that runs
 * out of budget). PCRE gave up too, at pcre.backtrack_limit or its JIT stack (`(.)*$` fails from
 * 8 KiB of body): such patterns are beyond what the legacy reliably answered. The opening of a
 * streamed body holds this much before its Content-Type is chosen.
 */
export const JSONP_TYPE_BOUND = 64 * 1024;

// The bytes a pattern needs: what it can read (its reach, counting the two bytes an anchor after
// the last consumed one looks at: `$` asks whether "\n" then the end follow), up to the bound.
function programReach(program: PcreProgram): number {
  return Math.min(program.reach, JSONP_TYPE_BOUND + 2);
}

const utf8 = new TextEncoder();
let lastCallback: string | undefined;
let lastProgram: PcreProgram | null = null;

/**
 * The legacy's `'/^' . $callback . '/'` as PHP compiles it, or null when preg_match returns false
 * before matching: the first `/` not escaped by a backslash ends the pattern, and what follows it
 * (the rest of the callback, then the closing `/`) is read as modifiers, where `/` is an unknown
 * one; a callback ending in an odd backslash escapes the closing `/` (no ending delimiter); a
 * pattern PCRE2 cannot compile fails. The last callback's program is kept: a response asks twice.
 */
function callbackProgram(callback: string): PcreProgram | null {
  if (callback === lastCallback) return lastProgram;
  const compiled = compilePhpRegex(utf8.encode(`/^${callback}/`));
  lastCallback = callback;
  lastProgram = compiled.ok ? compiled.program : null;
  return lastProgram;
}
