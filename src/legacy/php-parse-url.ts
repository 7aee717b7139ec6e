// PHP 8.2's parse_url($target, PHP_URL_PATH) (ext/standard/url.c, php_url_parse_ex2) for an
// origin-form request target (it starts with `/`, so it never has a scheme). The legacy routed
// what this gives: the path; nothing (null) when the target is `//host` alone; and nothing at all
// (false) when PHP did not take it for a URL, which its host and port rules decide: `//:1/x`,
// `//h:99999/x`, `//@/x` and `/a/1:2` (a colon before the query, followed by digits, reads as a
// port with an empty host) do not parse.

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** Where the first of `chars` is in `str[from, to)`, else `to` (binary_strcspn). */
function firstOf(str: string, from: number, to: number, chars: string): number {
  let end = to;
  for (const ch of chars) {
    const at = str.indexOf(ch, from);
    if (at !== -1 && at < end) end = at;
  }
  return end;
}

/**
 * Whether PHP accepts the text after a host's last colon as its port: empty, or at most 5
 * characters that ZEND_STRTOL reads as 0 to 65535 (blanks before, a sign, anything after digits).
 */
function acceptedPort(text: string): boolean {
  if (text === '') return true;
  if (text.length > 5) return false;
  const match = /^[\t\n\v\f\r ]*([+-]?)(\d+)/.exec(text);
  if (!match) return false;
  const value = Number(match[2]);
  return value <= 65535 && (match[1] !== '-' || value === 0);
}

/** The control characters of a path as php_replace_controlchars_ex leaves them: `_`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: iscntrl()'s characters, exactly these
const withoutControls = (path: string) => path.replace(/[\x00-\x1f\x7f]/g, '_');

/**
 * parse_url($target, PHP_URL_PATH) for a target starting with `/`: the path, null when the URL
 * has none, false when parse_url fails.
 */
export function phpParseUrlPath(target: string): string | null | false {
  const end = target.length;
  const networkPath = target.startsWith('//');
  const colon = target.indexOf(':');
  // The scheme check fails at the leading `/`; a colon before any `?` or `#`, with something after
  // it, is tried as a port (`a.com:80`): 1 to 5 digits, then `/` or the end.
  if (colon !== -1 && colon + 1 < end && colon < firstOf(target, 0, end, '?#')) {
    let digitsEnd = colon + 1;
    while (digitsEnd < end && digitsEnd - colon <= 6 && isDigit(target.charCodeAt(digitsEnd))) digitsEnd++;
    const digits = digitsEnd - colon - 1;
    if (digits > 0 && digits < 6 && (digitsEnd === end || target[digitsEnd] === '/')) {
      const port = Number(target.slice(colon + 1, digitsEnd));
      if (port > 65535) return false;
      return host(target, networkPath ? 2 : 0, port);
    }
  }
  return networkPath ? host(target, 2, undefined) : path(target, 0);
}

/** parse_host: the authority from `from` (user info, host, port), then the path after it. */
function host(target: string, from: number, port: number | undefined): string | null | false {
  const end = target.length;
  const e = firstOf(target, from, end, '/?#');
  // User info ends at the last `@`.
  const at = target.lastIndexOf('@', e - 1);
  const s = at >= from ? at + 1 : from;
  // An IPv6 literal (`[…]`) has no port; otherwise the last colon starts one.
  const colon = target[s] === '[' && target[e - 1] === ']' ? -1 : target.lastIndexOf(':', e - 1);
  let hostEnd = e;
  if (colon >= s) {
    hostEnd = colon;
    // A port already read (a nonzero one: PHP tests its value) is not read again.
    if (!port && !acceptedPort(target.slice(colon + 1, e))) return false;
  }
  // No host: not a URL.
  if (hostEnd - s < 1) return false;
  return e === end ? null : path(target, e);
}

/** just_path: what is left before any `#` and `?`. */
function path(target: string, from: number): string | null {
  const end = target.length;
  const hash = target.indexOf('#', from);
  let e = hash === -1 ? end : hash;
  const mark = target.indexOf('?', from);
  if (mark !== -1 && mark < e) e = mark;
  if (from < e || from === end) return withoutControls(target.slice(from, e));
  return null;
}
