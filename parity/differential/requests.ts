// The generated request list of a dataset: every endpoint × format (extension, `format`, Accept
// with q-values and several types, JSONP callbacks, some not UTF-8) × version prefix (valid,
// boundary, malformed) × parameters (valid, boundary, malformed, repeated, empty; names with
// brackets, dots or spaces; percent-encoding anywhere; slashes doubled or trailing) × keys
// (headers, query, both, wrong, revoked, other account, case and space variants) × methods, plus
// rate-limit sequences.
import { rawUrlEncode } from '../manifest.ts';
import { drawClock } from './clocks.ts';
import type { Dataset, Row } from './dataset.ts';
import type { Random } from './random.ts';

export interface DiffCase {
  id: string;
  method: string;
  /** The request-target exactly as sent (path and query, already encoded). */
  target: string;
  /** Header lines in order (keys included; the clocks are added when sent). */
  headers: Array<[string, string]>;
  /** The request clock (an instant, ISO 8601). */
  clock: string;
  /** A rate-limit sequence starts here: both origins' allowances are emptied first. */
  resetKey?: { int_key: string; api_key: string };
  sequence?: string;
}

const EXTENSIONS = [
  '.json',
  '.xml',
  '.csv',
  '.jsonp',
  '.php',
  '.serialized',
  '.html',
  '.array',
  '.JSON',
  '.Xml',
  '.txt',
];
const FORMATS = [
  'json',
  'xml',
  'csv',
  'JSON',
  'XML',
  'Csv',
  'php',
  'serialized',
  'html',
  'jsonp',
  'array',
  '',
  'yaml',
];
const ACCEPTS = [
  'application/json',
  'application/xml',
  'text/xml',
  'text/csv',
  'application/csv',
  'text/html',
  'APPLICATION/XML',
  '*/*',
  'application/xml;q=0.9, application/json',
  'application/json;q=0.1, text/csv;q=0.9',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'text/csv; q=0.5, application/xml',
  'application/jsonp',
  'application/php',
  'application/vnd.php.serialized',
  'text/plain',
  '',
];
const OTHER_HEADERS: ReadonlyArray<[string, string]> = [
  ['User-Agent', 'Mozilla/5.0 (compatible; Google-Apps-Script; beanserver)'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['Origin', 'https://lookerstudio.google.com'],
  ['Access-Control-Request-Method', 'GET'],
  ['Content-Type', 'application/json'],
  ['X-HTTP-Method-Override', 'DELETE'],
  ['X-Forwarded-For', '203.0.113.9'],
  ['Cookie', 'ci_session=abc; format=xml'],
  ['X-Requested-With', 'XMLHttpRequest'],
  ['Cache-Control', 'no-cache'],
  ['Range', 'bytes=0-9'],
  ['If-None-Match', '*'],
  ['If-Modified-Since', 'Sat, 01 Jan 2000 00:00:00 GMT'],
  ['Expect', '100-continue'],
];
const CALLBACKS = [
  'cb',
  'jQuery1234_5678',
  'a.b.c',
  '$',
  '_x$1',
  'A',
  '1abc',
  'a-b',
  'x(',
  '.*',
  '(a',
  'a|b',
  '',
  '0',
  '[',
  'a.',
  '.a',
  'alert(1)//',
  'cb\n',
  'é',
  'a'.repeat(300),
];
/** Callbacks whose bytes are not UTF-8, as sent (percent-encoded): the legacy's json_encode fails. */
const CALLBACKS_NOT_UTF8 = [
  '%FF',
  '%FF%3F',
  '(%FF)?',
  'cb%C3',
  '%C3%A9%FF',
  '%ED%A0%80',
  '%C0%AF',
  '%F4%90%80%80',
  'a%FF%2F',
  '%E2%82*',
];
const VERSIONS: ReadonlyArray<readonly [number, string]> = [
  [30, ''],
  [14, '/v1.0'],
  [20, '/v2.0'],
  [2, '/v2.5'],
  [2, '/v3.0'],
  [1, '/v1.1'],
  [1, '/v0.9'],
  [1, '/v0.0'],
  [1, '/v00.1'],
  [1, '/v10.0'],
  [1, '/v02.00'],
  [1, '/v1'],
  [1, '/v1.'],
  [1, '/v.1'],
  [1, '/V2.0'],
  [1, '/v2.0.1'],
  [1, '/v9999999999999999999.0'],
  [1, '/v-1.0'],
  [1, '/v1.0/v2.0'],
];
const METHODS: ReadonlyArray<readonly [number, string]> = [
  [88, 'GET'],
  [4, 'HEAD'],
  [3, 'OPTIONS'],
  [2, 'POST'],
  [1, 'PUT'],
  [1, 'DELETE'],
  [1, 'PATCH'],
  [1, 'TRACE'],
  [1, 'PROPFIND'],
  // Methods neither HTTP server knows: both answer 501 before any code of ours or the legacy's.
  [1, 'FOO'],
  [1, 'Get'],
];

/** A query component as a client might write it: encoded, over-encoded, `+` for spaces. */
function spell(r: Random, value: string): string {
  return r.weighted<() => string>([
    [10, () => rawUrlEncode(value)],
    [2, () => rawUrlEncode(value).replace(/%20/g, '+')],
    [
      1,
      () => [...new TextEncoder().encode(value)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    ],
    [1, () => (/^[A-Za-z0-9_.\-[\] ]*$/.test(value) ? value.replace(/ /g, '%20') : rawUrlEncode(value))],
  ])();
}

interface Ids {
  advertisers: Row[];
  campaigns: Row[];
}

/** An id as a caller might send it: one of the dataset's (any account, deleted or not) or not an id. */
function idValue(r: Random, ids: Row[]): string {
  return r.weighted<() => string>([
    [14, () => (ids.length ? String(r.pick(ids).id) : '1')],
    [2, () => String(r.int(1, 200))],
    [
      3,
      () =>
        r.pick([
          '0',
          '00',
          `00${ids.length ? r.pick(ids).id : 1}`,
          '-1',
          '+1',
          '1e3',
          ' 1',
          '1 ',
          '4294967295',
          '4294967296',
          '99999999999999999999',
          '',
          'abc',
          '١٢',
          '0x1A',
          '1.0',
          '1\n',
        ]),
    ],
  ])();
}

function dateValue(r: Random, clock: Date, year: number): string {
  const day = (offset: number) => new Date(clock.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return r.weighted<() => string>([
    [6, () => day(r.int(-150, 5))],
    [
      4,
      () =>
        `${r.pick([year - 1, year, year + 1])}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 31)).padStart(2, '0')}`,
    ],
    [
      2,
      () =>
        r.pick([
          `${year}-02-29`,
          '2024-02-29',
          '2028-02-29',
          `${year}-02-30`,
          `${year}-13-01`,
          `${year}-00-10`,
          `${year}-1-1`,
          `${year}0101`,
          `${year}-01-01T00:00`,
          ` ${year}-01-01`,
          `${year}-01-01\n`,
          '0000-00-00',
          '0001-01-01',
          '9999-12-31',
          '',
          'today',
        ]),
    ],
  ])();
}

type Param = [string, string];

function endpointParams(r: Random, endpoint: string, ids: Ids, clock: Date, year: number): Param[] {
  const params: Param[] = [];
  const maybe = (p: number, name: string, value: () => string) => {
    if (r.chance(p)) params.push([name, value()]);
  };
  const dates = (p: number) => {
    maybe(p, 'from', () => dateValue(r, clock, year));
    maybe(p, 'to', () => dateValue(r, clock, year));
  };
  switch (endpoint) {
    case 'campaigns':
      maybe(0.3, 'advertiser_id', () => idValue(r, ids.advertisers));
      maybe(0.2, 'status', () =>
        r.pick(['active', 'draft', 'paused', 'completed', 'archived', 'Active', '', 'x']),
      );
      dates(0.3);
      break;
    case 'analytics':
      dates(0.6);
      break;
    case 'clickthroughs':
      maybe(0.93, 'advertiser_id', () => idValue(r, ids.advertisers));
      maybe(0.4, 'campaign_id', () => idValue(r, ids.campaigns));
      dates(0.5);
      break;
    case 'connector':
    case 'dataconnector':
      maybe(endpoint === 'connector' ? 0.93 : 0.4, 'advertiser_id', () => idValue(r, ids.advertisers));
      dates(0.6);
      maybe(0.25, 'removeZeros', () => r.pick(['1', 'true', 'TRUE', '0', 'false', 'yes', '', '2']));
      maybe(0.25, 'data_connector', () => r.pick(['1', 'true', 'True', '0', 'false', '', 'yes']));
      break;
  }
  return params;
}

/**
 * Unknown, repeated, array-shaped and PHP-mangled names (dots and spaces become `_` in $_GET), names
 * nested deep, and queries of about a thousand pairs.
 */
function noiseParams(r: Random, params: Param[]): Param[] {
  const out = [...params];
  if (r.chance(0.1))
    out.push([r.pick(['foo', 'page', 'limit', 'sort', 'API_KEY', 'Format']), r.pick(['1', 'x', ''])]);
  if (r.chance(0.05) && out.length) {
    const [name, value] = r.pick(out);
    out.push([name, r.chance(0.5) ? value : '1']);
  }
  if (r.chance(0.04) && out.length) {
    const at = r.int(0, out.length - 1);
    const [name, value] = out[at]!;
    out[at] = [r.pick([`${name}[]`, `${name}[0]`, `${name}[a]`]), value];
  }
  if (r.chance(0.04) && out.length) {
    const at = r.int(0, out.length - 1);
    const [name, value] = out[at]!;
    out[at] = [name.replace('_', r.pick(['.', ' ', '['])), value];
  }
  // Around PHP's limits: 64 bracket levels (max_input_nesting_level), 1000 pairs (max_input_vars).
  if (r.chance(0.01) && out.length) {
    const [name, value] = r.pick(out);
    const nested: Param = [`${name}${'[x]'.repeat(r.int(63, 66))}${r.pick(['', '[y', 'y[y]'])}`, value];
    out.splice(r.int(0, out.length), 0, nested);
  }
  if (r.chance(0.005))
    out.unshift(...Array.from({ length: r.int(996, 1001) }, (_, i): Param => [`p${i}`, '1']));
  // A long value (URLs stay under the 16 KB Cloudflare's edge accepts).
  if (r.chance(0.01))
    out.push([r.pick(['q', 'callback', 'from']), r.pick(['x', 'é', 'a.']).repeat(r.int(1000, 2500))]);
  return out;
}

export function generateCases(ds: Dataset, root: Random, count: number): DiffCase[] {
  const r = root.fork('requests');
  const ids: Ids = { advertisers: ds.console.advertiser!, campaigns: ds.console.campaign! };
  const aliases = Object.keys(ds.keys);
  const live = aliases.filter((a) => ds.keys[a]!.kind === 'live');
  const cases: DiffCase[] = [];
  const limited = aliases.filter((a) => ds.keys[a]!.kind === 'limited');

  while (cases.length < count) {
    if (limited.length && r.chance(0.03)) {
      cases.push(...rateLimitSequence(r, ds, r.pick(limited), ids, cases.length));
      continue;
    }
    const clock = drawClock(r, ds.year);
    cases.push(oneCase(r, ds, r.pick(live), ids, clock, `c${cases.length}`));
  }
  return cases;
}

function oneCase(
  r: Random,
  ds: Dataset,
  alias: string,
  ids: Ids,
  clock: Date,
  id: string,
  exactKey = false,
): DiffCase {
  const endpoint = r.weighted<string>([
    [3, 'credentialscheck'],
    [5, 'advertisers'],
    [7, 'advertisers/{id}'],
    [6, 'campaigns'],
    [8, 'campaigns/{id}'],
    [8, 'analytics/{id}'],
    [6, 'clickthroughs'],
    [9, 'connector'],
    [9, 'dataconnector'],
    [1, 'unknown'],
  ]);
  let path = endpoint
    .replace('{id}', () =>
      encodePathId(r, idValue(r, endpoint.startsWith('advertisers') ? ids.advertisers : ids.campaigns)),
    )
    .replace('unknown', () =>
      r.pick(['nothing', 'advertiser', 'campaigns/1/sites', 'analytics', 'v2.0', '']),
    );
  path = `/${path}`;
  if (r.chance(0.3)) path += r.pick(EXTENSIONS);
  path = `${r.weighted(VERSIONS)}${path}`;
  if (r.chance(0.05)) path = mangleSlashes(r, path);
  if (r.chance(0.015)) path = withAuthorityLookalike(r, path);
  if (r.chance(0.03)) path = path.replace(/[a-z]/, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  if (r.chance(0.01))
    path = path.replace(/[a-z]/g, (ch) => (r.chance(0.3) ? `%${ch.charCodeAt(0).toString(16)}` : ch));

  const base = endpoint.replace(/\/\{id\}$/, '');
  let params = endpointParams(r, base, ids, clock, ds.year);
  if (r.chance(0.15)) params.push(['format', r.pick(FORMATS)]);
  if (r.chance(0.08)) params.push(['callback', r.pick(CALLBACKS)]);
  if (r.chance(0.05)) params.push(['callback', r.pick(CALLBACKS)], ['format', 'json']);
  params = noiseParams(r, params);

  const headers: Array<[string, string]> = [];
  let resetKey: DiffCase['resetKey'];
  if (r.chance(0.3)) headers.push([r.pick(['Accept', 'accept']), r.pick(ACCEPTS)]);
  // Headers callers send that the legacy never read: they change nothing.
  if (r.chance(0.1)) headers.push([...r.pick(OTHER_HEADERS)]);
  if (exactKey) {
    // The key itself, or a spelling its collation matches, in the headers or the query: the same
    // allowance either way.
    const key = ds.keys[alias]!;
    const same = (value: string) =>
      r.weighted<() => string>([
        [8, () => value],
        [1, () => value.toUpperCase()],
        [1, () => value.toLowerCase()],
      ])();
    if (r.chance(0.2)) params.push(['integration_key', same(key.int_key)], ['api_key', same(key.api_key)]);
    else headers.push(['X-Integration-Key', same(key.int_key)], ['X-Api-Key', same(key.api_key)]);
  } else {
    const chosen = withKeys(r, ds, alias, params, headers);
    params = chosen.params;
    // A limited key's allowance is counted in order: such a case starts from an empty one.
    if (ds.keys[chosen.alias]!.kind === 'limited') resetKey = ds.keys[chosen.alias]!;
  }

  // A header sent twice: the same value, or another (a wrong key, another format).
  if (headers.length && r.chance(0.03)) {
    const [name, value] = r.pick(headers);
    headers.push([name, r.pick([value, 'wrong', 'application/xml', ''])]);
  }
  const pairs = params.map(([n, v]) => `${spell(r, n)}=${spell(r, v)}`);
  if (r.chance(0.015)) pairs.push(`callback=${r.pick(CALLBACKS_NOT_UTF8)}`);
  // Query strings as hand-written URLs have them: empty pairs, a name without `=`, a value
  // without a name, `;` where PHP splits only on `&`.
  if (r.chance(0.03)) pairs.splice(r.int(0, pairs.length), 0, r.pick(['', 'flag', '=x', '==', '&']));
  const query = pairs.join(r.chance(0.01) ? ';' : '&');
  const target = query ? `${path}?${query}` : r.chance(0.03) ? `${path}?` : path;
  const c: DiffCase = { id, method: r.weighted(METHODS), target, headers, clock: clock.toISOString() };
  if (resetKey) c.resetKey = { int_key: resetKey.int_key, api_key: resetKey.api_key };
  return c;
}

function encodePathId(r: Random, id: string): string {
  return r.chance(0.1) ? rawUrlEncode(id).replace(/[0-9]/, (d) => `%3${d}`) : rawUrlEncode(id);
}

/**
 * Slashes doubled or trailing. Not dot segments (`/./`, `/%2e/`): the URL parser of the Workers
 * runtime (and Cloudflare's edge) resolves them before a Worker sees the path, so the Worker
 * cannot answer for them what PHP, which saw the raw path, answered.
 */
function mangleSlashes(r: Random, path: string): string {
  return r.weighted<() => string>([
    [3, () => `${path}/`],
    [3, () => path.replace(/\/(?=[^/]*$)/, '//')],
    [1, () => `/${path}`],
  ])();
}

/**
 * A colon or an `@` where PHP's parse_url reads a host or a port: `/campaigns/1:2` and `//:1/x`
 * do not parse (the legacy routed '', a 404), `//h:80/x` routes `/x`.
 */
function withAuthorityLookalike(r: Random, path: string): string {
  return r.weighted<() => string>([
    [3, () => `${path}:${r.pick(['1', '80', '65535', '65536', '123456', 'x', ''])}`],
    [2, () => `//${r.pick([':1', 'h:99999', 'h:80', '@', 'u@h', '[::1]'])}${path}`],
    [1, () => path.replace(/\/(?=[^/]*$)/, `/${r.pick(['a:1/', ':/', '@/'])}`)],
  ])();
}

/** The key pair as callers send it: headers, query or both; right, wrong, or spelled otherwise. */
function withKeys(
  r: Random,
  ds: Dataset,
  alias: string,
  params: Param[],
  headers: Array<[string, string]>,
): { params: Param[]; alias: string } {
  const others = Object.keys(ds.keys).filter((a) => a !== alias);
  const chosen = r.weighted<string>([
    [20, alias],
    [2, others.length ? r.pick(others) : alias],
  ]);
  const key = ds.keys[chosen]!;
  const variant = (value: string): string =>
    r.weighted<() => string>([
      [30, () => value],
      [2, () => value.toUpperCase()],
      [2, () => value.toLowerCase()],
      [1, () => `${value} `],
      [1, () => ` ${value}`],
      [1, () => value.replace('Ä', 'A').replace('x', 'X').replace('é', 'E')],
      // utf8mb4_unicode_ci weighs every emoji alike.
      [1, () => value.replace('😀', '🙃')],
      [1, () => `${value}x`],
      [1, () => ''],
    ])();
  const pair = { int: variant(key.int_key), api: variant(key.api_key) };
  const names = r.chance(0.1) ? ['x-integration-key', 'x-api-key'] : ['X-Integration-Key', 'X-Api-Key'];
  const via = r.weighted<string>([
    [60, 'header'],
    [25, 'query'],
    [5, 'both'],
    [3, 'int-only'],
    [3, 'none'],
    [4, 'mixed'],
  ]);
  const out = [...params];
  if (via === 'header' || via === 'both') headers.push([names[0]!, pair.int], [names[1]!, pair.api]);
  if (via === 'query' || via === 'both') out.push(['integration_key', pair.int], ['api_key', pair.api]);
  if (via === 'both' && r.chance(0.5)) out[out.length - 1] = ['api_key', 'wrong'];
  if (via === 'int-only') headers.push([names[0]!, pair.int]);
  if (via === 'mixed') {
    headers.push([names[0]!, pair.int]);
    out.push(['api_key', pair.api]);
  }
  return { params: out, alias: chosen };
}

/** rph + 2 requests of a limited key inside one UTC hour (sometimes one of them in the next). */
function rateLimitSequence(r: Random, ds: Dataset, alias: string, ids: Ids, at: number): DiffCase[] {
  const key = ds.keys[alias]!;
  const start = drawClock(r, ds.year);
  // Sometimes in the hour's last seconds: the window ends on the request clock within the sequence
  // or just after it, while real time runs on (an allowance must not be emptied before its hour).
  if (r.chance(0.3)) start.setUTCMinutes(59, r.int(50, 59), 0);
  else start.setUTCMinutes(r.int(0, 58), r.int(0, 59), 0);
  // The last request in the next hour, or the one before it there and the last back in the first
  // hour (each hour has its own count, as the legacy's counter file had).
  const crosses = r.weighted<'no' | 'last' | 'and-back'>([
    [7, 'no'],
    [2, 'last'],
    [1, 'and-back'],
  ]);
  const nextHourAt = crosses === 'last' ? key.rph + 1 : crosses === 'and-back' ? key.rph : -1;
  const cases: DiffCase[] = [];
  for (let i = 0; i < key.rph + 2; i++) {
    const clock = new Date(start.getTime() + i * 1000 + (i === nextHourAt ? 3600_000 : 0));
    const c = oneCase(r, ds, alias, ids, clock, `c${at + i}`, true);
    if (c.method !== 'GET' && c.method !== 'HEAD') c.method = 'GET';
    c.sequence = `${alias}@${at}`;
    if (i === 0) c.resetKey = { int_key: key.int_key, api_key: key.api_key };
    cases.push(c);
  }
  return cases;
}
