// A draft built into the request sent and the statuses the contract allows for it, following its
// check order (openapi.yaml, "Errors"): unknown path 404, method 405, format 410/400, keys 401,
// allowance 429, parameters 400, ids 404.
import type { Tenants } from '../tenants';
import { type ParamSchema, removeZerosV1, type SpecOperation, specOperations } from './contract';
import { BAD_EXTENSIONS, type Draft, GONE_EXTENSIONS, GOOD_EXTENSIONS, idKindOf } from './drafts';
import { KEY_VARIANTS, type KeyVariant } from './keys';

export type Format = 'json' | 'xml' | 'csv';

export interface Built {
  op: SpecOperation;
  method: string;
  /** Path and query, raw. */
  target: string;
  headers: Record<string, string>;
  key: KeyVariant;
  /** The statuses the contract allows, or null when it does not pin one (see `why`). */
  statuses: number[] | null;
  why: string;
  /** The negotiated format (legacy operations), when the contract pins it. */
  format: Format | null;
  /** The decoded `callback` parameter when it is sent once. */
  callback: string | undefined;
  /** Whether that callback's bytes are not UTF-8 (the legacy answered an empty body). */
  callbackNotUtf8: boolean;
  version: 1 | 2;
  /** Whether a 200 is this operation's (false when the path may have reached another one). */
  sameOperation: boolean;
}

/** The decoding PHP and the Worker apply to a query value (`+` is a space). */
export function decodeQuery(raw: string): string {
  return decodeLoose(raw.replace(/\+/g, ' '));
}

/** Whether a query value's bytes, `%XX` decoded as PHP did (to any byte), are not UTF-8. */
export function notUtf8(raw: string): boolean {
  const bytes: number[] = [];
  for (const part of raw.replace(/\+/g, ' ').split(/(%[0-9A-Fa-f]{2})/)) {
    if (/^%[0-9A-Fa-f]{2}$/.test(part)) bytes.push(Number.parseInt(part.slice(1), 16));
    else bytes.push(...new TextEncoder().encode(part));
  }
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
    return false;
  } catch {
    return true;
  }
}

/** Percent-decoding that leaves undecodable escapes as they are. */
export function decodeLoose(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** A proleptic Gregorian date from year 1 (PHP checkdate; year 0000 is unpinned, see `build`). */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Does a decoded value satisfy the parameter's schema in the spec? */
export function satisfies(schema: ParamSchema, value: string): boolean {
  if (schema.enum && !schema.enum.includes(value)) return false;
  // The spec's patterns are anchored with ^…$; the contract anchors at the very end (no newline).
  if (schema.pattern && !new RegExp(schema.pattern.replace(/\$$/, '(?![\\s\\S])')).test(value)) return false;
  if (schema.format === 'date' && !isCalendarDate(value)) return false;
  return true;
}

/** The format the Accept header selects (CONTRACT §1.3 step 3: the library's substring order). */
export function formatOfAccept(accept: string | null): Format {
  for (const name of ['json', 'array', 'csv', 'html', 'jsonp', 'php', 'serialized', 'xml']) {
    if (!accept?.includes(name)) continue;
    if (name === 'xml' && accept.includes('html')) continue;
    return name === 'csv' ? 'csv' : name === 'xml' ? 'xml' : 'json';
  }
  return 'json';
}

function applyMutation(path: string, mutation: string): string {
  const segments = path.split('/');
  const last = segments.length - 1;
  switch (mutation) {
    case 'dot-segment':
      return [...segments.slice(0, last), '.', segments[last]].join('/');
    case 'dot-dot-segment':
      return `/x/..${path}`;
    case 'encoded-dot-dot':
      return `/x/%2E%2E${path}`;
    case 'double-slash':
      return `/${path}`;
    case 'trailing-slash':
      return `${path}/`;
    case 'upper-case':
      return path.replace(/[a-z]/, (c) => c.toUpperCase());
    case 'encoded-letter':
      return path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case 'unicode-segment':
      return `${path}/%C3%BC%F0%9F%9A%80`;
    case 'unicode-last-segment':
      return [...segments.slice(0, last), '%E2%80%AE%D9%A1%D9%A1'].join('/');
    case 'matrix-parameter':
      return `${path};jsessionid=1`;
    case 'trailing-nul':
      return `${path}%00`;
    case 'trailing-newline':
      return `${path}%0A`;
    case 'trailing-malformed':
      return `${path}%ZZ`;
    case 'trailing-latin1':
      return `${path}%E9`;
    default:
      return path;
  }
}

export function build(draft: Draft, tenants: Tenants, today: string): Built {
  const op = specOperations.find((o) => o.operationId === draft.operationId)!;
  const key = KEY_VARIANTS[draft.keyVariant]!.variant;
  const major = /^\/v([^/.]*)\./.exec(draft.prefix.raw)?.[1];
  const version: 1 | 2 = major !== undefined && Number(major) >= 2 ? 2 : 1;

  // The path: prefix + template with raw values + suffix (+ mutation).
  let path =
    draft.prefix.raw + op.bare.replace(/\{([^}]+)\}/g, (_, name: string) => draft.pathValues[name] ?? '');
  path += draft.suffix;
  path = applyMutation(path, draft.mutation);

  const query: [string, string | null][] = [...draft.query];
  if (op.authenticated) query.push(...key.query);
  const target = query.length
    ? `${path}?${query.map(([n, v]) => (v === null ? n : `${n}=${v}`)).join('&')}`
    : path;
  const headers: Record<string, string> = { ...draft.extraHeaders, ...(op.authenticated ? key.headers : {}) };
  if (draft.accept !== null) headers.Accept = draft.accept;

  const decodedQuery = new Map<string, string[]>();
  // A repeated parameter keeps its last value, as PHP's $_GET did (src/request/query.ts).
  for (const [name, value] of query) {
    decodedQuery.set(decodeQuery(name), [value === null ? '' : decodeQuery(value)]);
  }
  const callbacks = decodedQuery.get('callback');
  const rawCallback = query.filter(([name]) => decodeQuery(name) === 'callback').at(-1)?.[1];
  const result = (
    statuses: number[] | null,
    why: string,
    format: Format | null = null,
    sameOperation = true,
  ): Built => ({
    op,
    method: draft.method,
    target,
    headers,
    key,
    statuses,
    why,
    format,
    callback: callbacks?.length === 1 ? callbacks[0] : undefined,
    callbackNotUtf8: rawCallback !== undefined && notUtf8(rawCallback ?? ''),
    version,
    sameOperation,
  });

  // 1. the path
  // A mutated path may reach another operation (`/advertisers/{id}/` with an empty id is the list,
  // as the legacy router trimmed outer slashes): its body is not checked against this one's schema.
  if (draft.mutation) return result(null, `path mutation ${draft.mutation}`, null, false);
  if (draft.prefix.kind === 'odd') return result(null, 'percent-encoded version prefix', null, false);
  if (draft.prefix.kind === 'unknown') return result([404], 'malformed version prefix');
  const extension = [...GOOD_EXTENSIONS, ...GONE_EXTENSIONS, ...BAD_EXTENSIONS].includes(draft.suffix)
    ? draft.suffix.slice(1)
    : undefined;
  const pathParams = op.params.filter((p) => p.in === 'path');
  const lastParam = /\{([^}]+)\}$/.exec(op.bare)?.[1];
  const pathValue = (name: string) => {
    const raw = draft.pathValues[name] ?? '';
    return extension === undefined && name === lastParam ? raw + draft.suffix : raw;
  };
  if (!extension && draft.suffix && !lastParam) return result([404], `"${draft.suffix}" is not an extension`);
  for (const p of pathParams) {
    const raw = pathValue(p.name);
    // An empty or dot segment changes the path itself.
    if (
      raw === '' ||
      /^(?:\.|%2e){1,2}$/i.test(raw) ||
      /\.(json|xml|csv|php|serialized|html|jsonp|array)$/.test(raw)
    )
      return result(null, 'path value that is a dot segment or ends like an extension', null, false);
  }

  // 2. the method
  if (draft.method === 'OPTIONS') return result([204], 'OPTIONS on a known path');
  if (draft.method !== 'GET' && draft.method !== 'HEAD') return result([405], 'method');
  if (!op.authenticated) return result([200], 'operational endpoint');

  // 3. the format
  let format: Format;
  const formats = decodedQuery.get('format');
  if (extension === 'json' || extension === 'xml' || extension === 'csv') format = extension;
  else if (extension === 'php' || extension === 'serialized') return result([410], 'gone extension');
  else if (extension) return result([400], 'extension that is not a format');
  else if (formats && formats.length > 1) return result(null, 'format sent twice');
  else if (formats) {
    const name = formats[0]!.toLowerCase();
    if (name === 'json' || name === 'xml' || name === 'csv') format = name;
    else if (name === 'php' || name === 'serialized') return result([410], 'gone format');
    else return result([400], 'bad format');
  } else format = formatOfAccept(draft.accept);

  // 4. the keys, 5. the allowance
  if (!key.valid) return result([401], `key: ${key.label}`);
  const throttled = key.alias === 'tight' ? [429] : [];

  // 6. the parameters
  const values = new Map<string, string | undefined>();
  for (const p of op.params) {
    let value: string | undefined;
    if (p.in === 'path') value = decodeLoose(pathValue(p.name));
    else {
      const sent = decodedQuery.get(p.name);
      if (sent && sent.length > 1) return result(null, `${p.name} sent twice`);
      value = sent?.[0];
    }
    values.set(p.name, value);
    if (p.name === 'format' || p.name === 'callback' || p.name === 'data_connector') continue;
    if (value === undefined) {
      if (p.required) return result([...throttled, 400], `${p.name} missing`);
      continue;
    }
    // Year 0000: ISO 8601 has it, PHP's checkdate() does not; the contract does not say.
    if (p.schema.format === 'date' && value.startsWith('0000-')) return result(null, 'year 0000');
    const schema = p.component === 'RemoveZerosVersioned' ? (version === 1 ? removeZerosV1 : {}) : p.schema;
    if (!satisfies(schema, value)) return result([...throttled, 400], `${p.name} invalid`);
  }
  const from = values.get('from');
  const to = values.get('to');
  if ((from !== undefined || to !== undefined) && (from ?? '') > (to ?? today) && from !== undefined)
    return result([...throttled, 400], 'from after to');

  // 7. the ids: 200 for the key's account's live rows, else 404
  const account = tenants.keyAccount[key.alias!];
  const own = (id: string | undefined, rows: { id: string; accountId: string; live: boolean }[]) =>
    id === undefined || rows.some((r) => r.id === String(Number(id)) && r.accountId === account && r.live);
  for (const p of op.params) {
    const kind = idKindOf(op, p);
    const value = values.get(p.name);
    if (!kind || value === undefined) continue;
    if (!own(value, kind === 'advertiser' ? tenants.advertisers : tenants.campaigns))
      return result([...throttled, 404], `${p.name} not a live row of the account`, format);
  }
  const campaignId = values.get('campaign_id');
  const advertiserId = values.get('advertiser_id');
  if (campaignId !== undefined && advertiserId !== undefined) {
    const campaign = tenants.campaigns.find((c) => c.id === String(Number(campaignId)));
    if (campaign?.advertiserId !== String(Number(advertiserId)))
      return result([...throttled, 404], 'campaign of another advertiser', format);
  }
  return result([...throttled, 200], 'valid request', format);
}
