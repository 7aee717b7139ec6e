// The capture format of fixtures/manifest.json and how the capture sent each case
// (fixtures/README.md). Shared by the in-workerd parity test and the `npm run parity` CLI, so
// it only uses TypeScript that Node can run by stripping types.

export type KeySpec = string | { int_key?: string; api_key?: string; via?: 'query' | 'header' };

export interface CaptureCase {
  id: string;
  method: string;
  path: string;
  query: Record<string, string>;
  key: KeySpec;
  headers: Record<string, string>;
  clock: string;
  status: number;
  content_type: string | null;
  body: string | null;
  retry_after?: number;
  sequence?: string;
  reset_rate_limit?: boolean;
}

export interface CaptureManifest {
  dataset: string;
  clock: string;
  timezone: string;
  keys: Record<string, { int_key: string; api_key: string }>;
  cases: CaptureCase[];
}

/** PHP rawurlencode (RFC 3986): every byte but A-Z a-z 0-9 - _ . ~ becomes %XX. */
export function rawUrlEncode(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const DAY_MS = 86_400_000;

/**
 * A capture's clock → the instant, as the oracle's `strtotime` reads it: a wall-clock time
 * ("2026-11-22 10:30:00") in the time zone; one with a zone of its own (`Z`, `+02:00`) as written.
 * A wall-clock time the zone skips (the spring-forward gap) is read with the offset before the
 * change (02:30 on the March change day in New York is 07:30Z), one it repeats (the autumn overlap)
 * as its first occurrence, as PHP does (parity/manifest-clock.cases.json holds PHP's answers).
 */
export function zonedInstant(local: string, timeZone: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    local.trim(),
  );
  if (!m) throw new Error(`clock "${local}" is not a date and time (YYYY-MM-DD HH:MM:SS)`);
  // strtotime() gives whole seconds: a fraction is dropped, missing seconds are :00.
  const time = `${m[2]}:${m[3] ?? '00'}`;
  if (m[4]) return new Date(`${m[1]}T${time}${m[4]}`);
  const asUtc = Date.parse(`${m[1]}T${time}Z`);
  if (Number.isNaN(asUtc)) throw new Error(`clock "${local}" is not a calendar date and time`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  /** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
  const offsetAt = (instant: number) => {
    const parts = format.formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return wall - Math.floor(instant / 1000) * 1000;
  };
  // The offsets in force a day either side; a wall time read with one is that instant if the zone
  // then has that offset. Two such instants: the overlap, the earlier one; none: the gap.
  const before = offsetAt(asUtc - DAY_MS);
  const readings = [before, offsetAt(asUtc + DAY_MS)]
    .map((offset) => asUtc - offset)
    .filter((instant) => offsetAt(instant) === asUtc - instant);
  return new Date(readings.length ? Math.min(...readings) : asUtc - before);
}

export interface CaseRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded). */
  target: string;
  /** Header lines in the order the capture sent them. */
  headers: Array<[string, string]>;
}

/**
 * The request of a case: the query in order, then `integration_key` and `api_key` for query
 * keys; the case's headers, then the key headers; and the pinned clock (test hooks, honoured
 * only by a Worker with the test clock binding and by the legacy oracle).
 */
export function requestOf(manifest: CaptureManifest, c: CaptureCase): CaseRequest {
  const pairs = Object.entries(c.query).map(
    ([name, value]) => `${rawUrlEncode(name)}=${rawUrlEncode(value)}`,
  );
  const headers: Array<[string, string]> = Object.entries(c.headers);
  if (typeof c.key === 'string') {
    if (c.key !== 'none') {
      const key = manifest.keys[c.key];
      if (!key) throw new Error(`${c.id}: unknown key alias ${c.key}`);
      headers.push(['X-Integration-Key', key.int_key], ['X-Api-Key', key.api_key]);
    }
  } else if (c.key.via === 'header') {
    if (c.key.int_key !== undefined) headers.push(['X-Integration-Key', c.key.int_key]);
    if (c.key.api_key !== undefined) headers.push(['X-Api-Key', c.key.api_key]);
  } else {
    if (c.key.int_key !== undefined) pairs.push(`integration_key=${rawUrlEncode(c.key.int_key)}`);
    if (c.key.api_key !== undefined) pairs.push(`api_key=${rawUrlEncode(c.key.api_key)}`);
  }
  // The pinned clock for both origins: the Worker's test hook (an instant) and the oracle's
  // (a wall-clock time in America/New_York). Each ignores the other's header.
  headers.push(['x-test-clock', zonedInstant(c.clock, manifest.timezone).toISOString()]);
  headers.push(['X-Oracle-Now', c.clock]);
  return { method: c.method, target: `${c.path}${pairs.length ? `?${pairs.join('&')}` : ''}`, headers };
}

/**
 * The control request that empties the allowance of a case's key before a rate-limit sequence
 * starts (the capture used the oracle's /__oracle/reset-rate-limit). A test hook: a Worker with
 * the test clock binding answers it 204 and does not count it.
 */
export function resetRequestOf(manifest: CaptureManifest, c: CaptureCase): CaseRequest {
  const control = requestOf(manifest, {
    ...c,
    method: 'GET',
    path: '/credentialscheck',
    query: {},
    headers: {},
  });
  control.headers.push(['x-test-reset-allowance', '1']);
  return control;
}

/** The legacy oracle's control request that empties every key's allowance (oracle only). */
export const ORACLE_RESET: CaseRequest = { method: 'GET', target: '/__oracle/reset-rate-limit', headers: [] };

/**
 * What the oracle's reset emptied, as the Worker's test hook can: the reset of the case's key,
 * then one for every other key pair the capture uses (its aliases, and the pairs its cases spell
 * out), sent by header. The oracle's control empties every key's counters; the hook empties one
 * pair's. The case's own reset answers 204; a pair that is not valid answers 401 (it has none).
 */
export function resetRequestsOf(manifest: CaptureManifest, c: CaptureCase): CaseRequest[] {
  const pairs = new Map<string, { int_key: string; api_key: string }>();
  for (const pair of Object.values(manifest.keys)) pairs.set(`${pair.int_key}\n${pair.api_key}`, pair);
  for (const { key } of manifest.cases)
    if (typeof key === 'object' && key.int_key !== undefined && key.api_key !== undefined)
      pairs.set(`${key.int_key}\n${key.api_key}`, { int_key: key.int_key, api_key: key.api_key });
  const own = resetRequestOf(manifest, c);
  const others = [...pairs.values()].map((pair) =>
    resetRequestOf(manifest, { ...c, key: { ...pair, via: 'header' } }),
  );
  return [own, ...others];
}

/** The endpoint of a case for reports: `/advertisers/{id}`-style, prefix and extension removed. */
export function endpointOf(path: string): string {
  const bare = path
    .replace(/^\/v[^/]*\.[^/]*(?=\/)/, '')
    .replace(/\.(json|xml|csv|php|serialized|html|jsonp|array)$/, '');
  return bare.replace(/\/[^/]+$/, (segment) =>
    /^\/[0-9]/.test(segment) || segment.includes('%') ? '/{id}' : segment,
  );
}

export function versionOf(path: string): 'v1' | 'v2' {
  const m = /^\/v([0-9]+)\./.exec(path);
  return m && Number(m[1]) >= 2 ? 'v2' : 'v1';
}

export function formatOf(c: CaptureCase): string {
  if (c.content_type?.startsWith('application/xml')) return 'xml';
  if (c.content_type?.startsWith('application/csv')) return 'csv';
  if (c.content_type?.startsWith('application/javascript')) return 'jsonp';
  if (c.content_type?.startsWith('application/json')) return 'json';
  return 'error';
}
