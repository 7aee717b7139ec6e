// The legacy's JSONP: CodeIgniter Rest Server 3.1.7's `callback` parameter around the JSON body
// (php-json.ts) and the Content-Type it chose by running the callback as a regex over the body.
import { type Envelope, encodeJson, encodeJsonAround, JSON_CONTENT_TYPE } from './php-json';
import { compilePhpRegex, type PcreProgram, phpPregMatch } from './php-preg';
import type { LegacyObject, LegacyValue } from './types';

export const JSONP_CONTENT_TYPE = 'application/javascript; charset=utf-8';

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

/**
 * The Content-Type for a `callback` whose bytes are not UTF-8 (CONTRACT §3.2 is silent; this is the
 * legacy's answer). Such a callback is never valid, so the warning member quotes it, json_encode
 * refuses the malformed UTF-8 and returns false, and PHP sends false as an empty body: typed by
 * `preg_match('/^' . $callback . '/', '')` on the callback's bytes as they came.
 */
export function jsonpUnencodableContentType(callbackBytes: Uint8Array): string {
  const regex = new Uint8Array([...utf8.encode('/^'), ...callbackBytes, ...utf8.encode('/')]);
  return phpPregMatch(regex, new Uint8Array(0)) === 1 ? JSONP_CONTENT_TYPE : JSON_CONTENT_TYPE;
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
