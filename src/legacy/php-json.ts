// The legacy JSON bodies: PHP 8.2 `json_encode($data, JSON_UNESCAPED_UNICODE)` as CodeIgniter
// Rest Server 3.1.7 `Format::to_json` calls it (its JSONP rules: php-jsonp.ts).
import { isPhpInt, phpFloatToJson, phpIntToString } from './php-float';
import {
  isPhpArray,
  type LegacyObject,
  type LegacyPartRules,
  type LegacyScalar,
  type LegacyValue,
  PhpFloat,
} from './types';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

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
  if (!isPhpArray(value)) return encodeScalar(value);
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
  if (!isPhpArray(value)) return encodeScalar(value);
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
      // A PhpFloat lies in [1e14, 2^53): its toJSON number is written as json_encode writes it.
      if (value instanceof PhpFloat) return true;
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
    case 'object':
      return value === null ? 'null' : phpFloatToJson(value.value);
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
  if (!isPhpArray(value)) {
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
