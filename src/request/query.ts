// The request as the legacy PHP saw it (src/legacy/php-query.ts): the decoded path it routed and
// its `$_GET`. Computed once per request and kept beside it.

import {
  latin1Bytes,
  latin1ToUtf8,
  PHP_ARRAY,
  type PhpGetValue,
  phpParseQuery,
  phpUrlPath,
  rawUrlDecode,
  rawUrlEncodeBytes,
} from '../legacy/php-query';
import { ApiError } from '../shared/errors/api-error';

export interface PhpView {
  /** `rawurldecode(parse_url($uri, PHP_URL_PATH))`, as bytes (one per UTF-16 unit). */
  path: string;
  /** `$_GET`: names and values as bytes. */
  get: Map<string, PhpGetValue>;
}

const views = new WeakMap<Request, PhpView>();
/** The URL a rewritten request came with (withPhpQuery), for what must see the request as sent. */
const originalUrls = new WeakMap<Request, string>();

/** The URL as the caller sent it (before withPhpQuery rewrote the query). */
export function originalUrlOf(request: Request): string {
  return originalUrls.get(request) ?? request.url;
}

/** The raw (still percent-encoded) path and query of a URL. */
export function rawTargetOf(url: string): { path: string; query: string | undefined } {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const mark = url.indexOf('?', start);
  return mark === -1
    ? { path: url.slice(start), query: undefined }
    : { path: url.slice(start, mark), query: url.slice(mark + 1) };
}

function viewOf(url: string): PhpView {
  const { path, query } = rawTargetOf(url);
  const target = query === undefined ? path : `${path}?${query}`;
  return { path: rawUrlDecode(phpUrlPath(target)), get: phpParseQuery(query ?? '') };
}

export function phpView(request: Request): PhpView {
  let view = views.get(request);
  if (!view) {
    view = viewOf(request.url);
    views.set(request, view);
  }
  return view;
}

/**
 * The request with its query rewritten as `$_GET` holds it, for the validators that read the
 * query through Hono: PHP's names (`advertiser.id` → `advertiser_id`, `a[` → `a_`), one value per
 * name (the last pair wins), and an array-valued name given twice and empty, which no
 * single-valued parameter's schema accepts (the legacy's "must be a single value", 400).
 */
export function withPhpQuery(request: Request): Request {
  const view = phpView(request);
  const { query } = rawTargetOf(request.url);
  if (query === undefined) return request;
  const pairs: string[] = [];
  for (const [name, value] of view.get) {
    const encoded = rawUrlEncodeBytes(name);
    if (value === PHP_ARRAY && !readAsSingleValue(name, view.path)) continue;
    if (value === PHP_ARRAY) pairs.push(`${encoded}=`, `${encoded}=`);
    else pairs.push(`${encoded}=${rawUrlEncodeBytes(value as string)}`);
  }
  const canonical = pairs.join('&');
  if (canonical === query) return request;
  const url = request.url;
  const rewritten = new Request(
    `${url.slice(0, url.indexOf('?'))}${canonical ? `?${canonical}` : ''}`,
    request,
  );
  views.set(rewritten, view);
  originalUrls.set(rewritten, url);
  return rewritten;
}

/**
 * Whether the legacy read a parameter with q() (a list is a 400) rather than ignoring a list:
 * `callback` was tested with is_string() (a list is no callback), `format` only when no extension
 * chose the format (negotiateFormat reads it), and v2 never read `removeZeros`.
 */
function readAsSingleValue(name: string, path: string): boolean {
  if (name === 'callback' || name === 'format') return false;
  if (name === 'removeZeros') return /^\/v0*1\./.test(path) || !/^\/v[0-9]+\./.test(path);
  return true;
}

/**
 * `q($name)` of the legacy: undefined when absent, the value's text, and 400 when it is an array
 * (`callback` and `format` read it otherwise: see `jsonpCallback` and `phpGetString`).
 */
export function phpQueryParameter(request: Request, name: string): string | undefined {
  const value = phpView(request).get.get(name);
  if (value === undefined) return undefined;
  if (value === PHP_ARRAY) throw new ApiError(400, `Parameter "${name}" must be a single value, not a list.`);
  return textOf(value as string);
}

/** `$_GET[$name]` where the legacy tested is_string(): an array is `PHP_ARRAY`. */
export function phpGetString(request: Request, name: string): string | undefined | typeof PHP_ARRAY {
  const value = phpView(request).get.get(name);
  return value === undefined || value === PHP_ARRAY ? value : textOf(value as string);
}

// Bytes that are not UTF-8 stay percent-encoded (as Hono left them): such a value is no id, date
// or enum, and no key. A JSONP callback is the one place they reach a body: see jsonpCallback.
const textOf = (bytes: string): string => latin1ToUtf8(bytes) ?? rawUrlEncodeBytes(bytes);

/**
 * The `callback` parameter as the JSON renderer read it: its text, or its bytes when they are not
 * UTF-8 (the legacy's json_encode failed on those: src/response/formats/jsonp.ts); a list is not a
 * string, so none.
 */
export function jsonpCallback(request: Request): string | Uint8Array | undefined {
  const value = phpView(request).get.get('callback');
  if (value === undefined || value === PHP_ARRAY) return undefined;
  return latin1ToUtf8(value as string) ?? latin1Bytes(value as string);
}
