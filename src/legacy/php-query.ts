// How PHP 8.2 saw a request line: the path as `rawurldecode(parse_url($uri, PHP_URL_PATH))` and
// the query as `$_GET` (main/php_variables.c: php_default_treat_data, php_register_variable_ex).
// Strings here are PHP's byte strings held one byte per UTF-16 unit (latin1); latin1ToUtf8 gives
// the text a byte string spells when it is UTF-8.

import { phpParseUrlPath } from './php-parse-url';

/** A `$_GET` value: a byte string, or an array (a name with brackets: `a[]=1`, `a[x]=1`). */
export type PhpGetValue = string | { readonly array: true };
export const PHP_ARRAY: PhpGetValue = Object.freeze({ array: true as const });

const HEX = /^[0-9A-Fa-f]{2}$/;

function percentDecode(raw: string, plusIsSpace: boolean): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%' && HEX.test(raw.slice(i + 1, i + 3))) {
      out += String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

/** The bytes of a URL component as sent (UTF-8 for anything a client did not percent-encode). */
function bytesOf(raw: string): string {
  return !/[\u0080-\uffff]/.test(raw) ? raw : String.fromCharCode(...new TextEncoder().encode(raw));
}

/** rawurldecode(): `%XX` → the byte, anything else (`+` included) kept. */
export function rawUrlDecode(raw: string): string {
  return raw.includes('%') ? percentDecode(bytesOf(raw), false) : bytesOf(raw);
}

/** urldecode(): rawurldecode plus `+` → space (query names and values). */
export function urlDecode(raw: string): string {
  return percentDecode(bytesOf(raw), true);
}

/**
 * The path the legacy routed for a request target (path and query, as sent):
 * `parse_url($target, PHP_URL_PATH) ?? '/'`, where a target PHP could not parse gave false, which
 * rawurldecode made '' (404).
 */
export function phpUrlPath(target: string): string {
  const path = phpParseUrlPath(target);
  return path === false ? '' : (path ?? '/');
}

/**
 * php.ini's `max_input_vars` (1000, the default, as the legacy ran): pairs past it are dropped
 * (with a warning nobody saw), so a parameter after the 1000th pair was never read.
 */
export const PHP_MAX_INPUT_VARS = 1000;
/**
 * php.ini's `max_input_nesting_level` (64, the default): a name with more bracket levels than that
 * is not registered and deletes what its base name held (php_register_variable_ex).
 */
export const PHP_MAX_INPUT_NESTING_LEVEL = 64;

/**
 * `$_GET` of a raw query string: pairs split on `&`, names and values urldecoded; a name loses its
 * leading spaces and is cut at a NUL; before its first `[`, ` ` and `.` become `_`; a `[` with a
 * `]` after it makes an array, one without makes the rest a plain name (` `, `.`, `[` → `_`); an
 * empty name is dropped; a later pair of the same name replaces the earlier value. Only the first
 * PHP_MAX_INPUT_VARS non-empty pairs count, empty names included; a name nested deeper than
 * PHP_MAX_INPUT_NESTING_LEVEL removes its base name.
 */
export function phpParseQuery(query: string): Map<string, PhpGetValue> {
  const get = new Map<string, PhpGetValue>();
  let pairs = 0;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    if (++pairs > PHP_MAX_INPUT_VARS) break;
    const equals = pair.indexOf('=');
    let name = urlDecode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : urlDecode(pair.slice(equals + 1));
    name = name.replace(/^ +/, '');
    const nul = name.indexOf('\0');
    if (nul !== -1) name = name.slice(0, nul);
    const bracket = name.indexOf('[');
    const head = (bracket === -1 ? name : name.slice(0, bracket)).replace(/[ .]/g, '_');
    if (head === '') continue;
    if (bracket === -1) {
      get.set(head, value);
    } else if (name.indexOf(']', bracket + 1) !== -1) {
      if (nestingTooDeep(name, bracket)) get.delete(head);
      else get.set(head, PHP_ARRAY);
    } else {
      get.set(`${head}_${name.slice(bracket + 1).replace(/[ .[]/g, '_')}`, value);
    }
  }
  return get;
}

/**
 * Whether PHP gave up on the name's brackets from the one at `bracket`: each level (`[…]`, and a
 * `[` right after a level's `]` even without its own `]`) counts before it is read, and the level
 * past PHP_MAX_INPUT_NESTING_LEVEL ends the name.
 */
function nestingTooDeep(name: string, bracket: number): boolean {
  let open = bracket;
  for (let level = 1; level <= PHP_MAX_INPUT_NESTING_LEVEL; level++) {
    const close = name.indexOf(']', open + 1);
    if (close === -1 || name[close + 1] !== '[') return false;
    open = close + 1;
  }
  return true;
}

/** The bytes a byte string holds (one per UTF-16 unit). */
export function latin1Bytes(bytes: string): Uint8Array {
  return Uint8Array.from(bytes, (ch) => ch.charCodeAt(0));
}

/** A byte string's text when it is UTF-8 (the usual case), else undefined. */
export function latin1ToUtf8(bytes: string): string | undefined {
  if (!/[\u0080-\uffff]/.test(bytes)) return bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(latin1Bytes(bytes));
  } catch {
    return undefined;
  }
}

/** A byte string percent-encoded (every byte but A-Z a-z 0-9 - _ . ~), so that decoding gives it back. */
export function rawUrlEncodeBytes(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    out += /[A-Za-z0-9\-_.~]/.test(ch)
      ? ch
      : `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
