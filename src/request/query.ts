/**
 * PHP fills $_GET left to right, so a repeated parameter keeps its LAST value (`a=1&a=2` → 2);
 * Hono's validators would see an array and answer 400. Keeps only the last raw pair of each
 * name, untouched (percent-encoding included), and leaves requests without repeats as they are.
 */
export function lastValueWins(request: Request): Request {
  const url = request.url;
  const start = url.indexOf('?');
  if (start === -1) return request;
  const pairs = url.slice(start + 1).split('&');
  if (pairs.length < 2) return request;
  const lastIndexOf = new Map<string, number>();
  pairs.forEach((pair, index) => {
    const equals = pair.indexOf('=');
    lastIndexOf.set(decodeName(equals === -1 ? pair : pair.slice(0, equals)), index);
  });
  if (lastIndexOf.size === pairs.length) return request;
  const kept = pairs.filter((pair, index) => {
    const equals = pair.indexOf('=');
    return lastIndexOf.get(decodeName(equals === -1 ? pair : pair.slice(0, equals))) === index;
  });
  return new Request(`${url.slice(0, start)}?${kept.join('&')}`, request);
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}
