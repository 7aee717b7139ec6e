// Requests generated from the contract (generated/openapi.ts) for the fuzz test, and what the
// contract says each one must get. Every operation, parameter, pattern and enum comes from the
// spec; the expected status follows the contract's check order (openapi.yaml, "Errors"): unknown
// path 404 → method 405 → format 410/400 → keys 401 → allowance 429 → parameters 400 → ids 404.
import fc from 'fast-check';
import type { z } from 'zod';
import { openapiDocument } from '../../generated/openapi';
import { operations } from '../../generated/routes';
import { KEYS } from '../workers/keys';
import type { KeyAlias, Tenants } from './tenants';

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

interface ParamSchema {
  pattern?: string;
  enum?: string[];
  format?: string;
}

export interface SpecParam {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: ParamSchema;
  /** The component it comes from (`Id`, `RemoveZerosVersioned`, …). */
  component: string;
}

export interface SpecOperation {
  operationId: string;
  /** The path template as in the spec (`/v{major}.{minor}/advertisers/{id}`). */
  template: string;
  /** The template without its version prefix (`/advertisers/{id}`). */
  bare: string;
  versioned: boolean;
  authenticated: boolean;
  /** Parameters other than the version prefix's. */
  params: SpecParam[];
  /** The content types of the 200 answer. */
  successTypes: string[];
  /** The 200 `application/json` schema (of the bare twin for v1, of the versioned operation for v2). */
  jsonSchema: { v1: z.ZodType | undefined; v2: z.ZodType | undefined };
}

type Json = Record<string, unknown>;
const doc = openapiDocument as Json;
const components = doc.components as Record<string, Record<string, Json>>;

function deref(node: Json): [Json, string] {
  const ref = node.$ref;
  if (typeof ref !== 'string') return [node, ''];
  const [, , section, name] = ref.split('/') as [string, string, string, string];
  return [components[section]![name]!, name];
}

const routeSchemas = new Map(
  operations.map(({ route }) => {
    const ok = (route.responses as Record<number, { content?: Record<string, { schema: z.ZodType }> }>)[200];
    return [route.operationId, ok?.content?.['application/json']?.schema] as const;
  }),
);

export const specOperations: SpecOperation[] = Object.entries(doc.paths as Record<string, { get: Json }>).map(
  ([template, item]) => {
    const op = item.get;
    const all = ((op.parameters as Json[]) ?? []).map((p) => {
      const [param, component] = deref(p);
      return { ...(param as Omit<SpecParam, 'component'>), required: Boolean(param.required), component };
    });
    const [ok] = deref((op.responses as Record<string, Json>)['200']!);
    const versioned = template.startsWith('/v{major}.{minor}/');
    const bare = versioned ? template.slice('/v{major}.{minor}'.length) : template;
    const bareId = Object.entries(doc.paths as Record<string, { get: Json }>).find(([t]) => t === bare)?.[1]
      .get.operationId as string;
    return {
      operationId: op.operationId as string,
      template,
      bare,
      versioned,
      // The document's security applies unless the operation overrides it with `security: []`.
      authenticated: !(Array.isArray(op.security) && op.security.length === 0),
      params: all.filter((p) => p.component !== 'VersionMajor' && p.component !== 'VersionMinor'),
      successTypes: Object.keys((ok.content as Json) ?? {}),
      jsonSchema: {
        v1: routeSchemas.get(bareId),
        v2: routeSchemas.get(op.operationId as string),
      },
    };
  },
);

export const versionPatterns = {
  major: new RegExp((components.parameters!.VersionMajor!.schema as ParamSchema).pattern!),
  minor: new RegExp((components.parameters!.VersionMinor!.schema as ParamSchema).pattern!),
};

/** The rule `removeZeros` follows under a `/v1.x/` prefix: the bare operations' (RemoveZerosVersioned). */
const removeZerosV1 = components.parameters!.RemoveZeros!.schema as ParamSchema;

// ---------------------------------------------------------------------------------------------
// Value generators (raw, as they appear in the URL: already percent-encoded, or deliberately not)
// ---------------------------------------------------------------------------------------------

const enc = encodeURIComponent;
/** A value sent encoded. */
const encoded = (arb: fc.Arbitrary<string>) => arb.map(enc);

/** Odd encodings that decode to something else or to nothing valid. */
const MALFORMED = [
  '%ZZ',
  '%E9',
  '%',
  '%%',
  '%C3',
  '%C3%28',
  '%ED%A0%80',
  '%00',
  '%0A',
  '%2',
  '%u0041',
  '%FF%FE',
];

const unicodeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const longText = fc
  .integer({ min: 256, max: 4096 })
  .chain((n) => fc.constantFrom('a', '9', 'é', '🚀', '%').map((c) => c.repeat(n)));

/** Values of a decimal id parameter: seed ids, and everything the id rule must refuse. */
function idValues(seedIds: string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seedIds);
  return fc.oneof(
    { weight: 60, arbitrary: seed.map(enc) },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), seed).map(([n, id]) => '0'.repeat(n) + id),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 1000, max: 4000 }), seed).map(([n, id]) => '0'.repeat(n) + id),
    },
    { weight: 6, arbitrary: fc.stringMatching(/^[0-9]{1,12}$/) },
    { weight: 3, arbitrary: fc.bigInt({ min: 4_294_967_290n, max: 4_294_967_300n }).map(String) },
    { weight: 2, arbitrary: fc.bigInt({ min: 10n ** 10n, max: 10n ** 40n }).map(String) },
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        '1e3',
        '+5',
        '%2B5',
        '-1',
        '0',
        '00',
        '1.0',
        '1%2E0',
        '0x1F',
        '11%0A',
        '11%20',
        '%2011',
        '11%00',
        '%31%31',
        '%EF%BC%91%EF%BC%91', // fullwidth digits
        '%D9%A1%D9%A1', // Arabic-Indic digits
        '11abc',
        'null',
        '%5B%5D',
        '4294967295',
        '4294967296',
        '18446744073709551616',
        'NaN',
        'Infinity',
      ),
    },
    { weight: 3, arbitrary: fc.tuple(seed, fc.constantFrom(...MALFORMED)).map(([id, bad]) => id + bad) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED) },
    { weight: 2, arbitrary: encoded(unicodeText) },
    { weight: 1, arbitrary: encoded(longText) },
  );
}

function dateString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const dates = fc.oneof(
  {
    weight: 24,
    arbitrary: fc
      .date({ min: new Date('2026-05-01'), max: new Date('2026-12-31'), noInvalidDate: true })
      .map(dateString),
  },
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('1970-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map(dateString),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-02-29',
      '2024-02-29',
      '2026-11-1',
      '20261101',
      '2026%2F11%2F01',
      '2026-13-01',
      '2026-00-10',
      '2026-11-00',
      '2026-11-31',
      '9999-12-31',
      '0001-01-01',
      '0050-03-01',
      '0099-12-31',
      '0100-01-01',
      '1000-02-29',
      '1900-02-29',
      '2000-02-29',
      '0000-01-01',
      '2026-11-01%0A',
      '2026-11-01%20',
      '2026-11-01T00%3A00%3A00',
      'yesterday',
      '-2026-11-01',
      '%EF%BC%92026-11-01',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED) },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

function enumValues(values: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom(...values) },
    { weight: 2, arbitrary: fc.constantFrom(...values).map((v) => v.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(...values).map((v) => `${v}%0A`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('', 'running', 'Active', 'act%C3%ADve', '%ZZ', 'active,paused', 'active%00'),
    },
    { weight: 1, arbitrary: encoded(unicodeText) },
    { weight: 1, arbitrary: encoded(longText) },
  );
}

const flagValues = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '0', 'true', 'false', 'TRUE', 'False', 'tRuE') },
  { weight: 3, arbitrary: fc.constantFrom('', 'yes', '2', '-1', '1%0A', 'true%20', 'on', '%ZZ', '%E9') },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

const formatValues = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom('json', 'xml', 'csv', 'JSON', 'Xml', 'cSv') },
  { weight: 2, arbitrary: fc.constantFrom('php', 'serialized', 'PHP') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'html',
      'jsonp',
      'array',
      'yaml',
      'json%0A',
      'js%C3%B6n',
      '%ZZ',
      '%E9',
      'json%00',
    ),
  },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

const callbackValues = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('cb', 'jQuery123_456', 'a.b.c', '_', 'ns.fn_2', 'My.ns_1.%24fn', '%24'),
  },
  { weight: 2, arbitrary: fc.constantFrom('', '0') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'cb%0A',
      'alert(1)',
      '%3Cscript%3E',
      '1abc',
      'a..b',
      'a.',
      'cb%2F',
      '%ZZ',
      '%E9',
      'a%20b',
    ),
  },
  // Pasted into preg_match('/^<callback>/') for the Content-Type (CONTRACT §3.2): regex syntax.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%7B',
      '%5B%7B%5D',
      '.',
      '(',
      '(%7B',
      '(%3F%3D%7B)',
      '%5E',
      '%5C',
      '(a%2B)%2Bb',
      'a%7B1%2C99999%7D',
      '%5B%5E%5D',
      '(%3F%3C%3Dx)',
      '%7B%22data%22',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z_$][a-zA-Z0-9$_]{0,20}$/).map(enc) },
  { weight: 1, arbitrary: encoded(unicodeText) },
  { weight: 1, arbitrary: encoded(longText) },
);

const ACCEPTS = [
  'application/json',
  'text/csv',
  'application/xml',
  'text/xml',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  '*/*',
  '',
  'application/x-php',
  'text/javascript',
  'application/jsonp',
  'text/xml, text/csv',
  'text/html, text/csv',
  'array, xml',
  'application/problem+json',
  'image/png',
  `text/csv;${'q=1;'.repeat(1000)}`,
];

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

export interface KeyVariant {
  label: string;
  /** The seed key pair it resolves to (the collation ignores case, accents, trailing spaces). */
  alias: KeyAlias | null;
  /** Valid for this alias? (`revoked` and `deadacct` resolve to a row but are refused.) */
  valid: boolean;
  headers: Record<string, string>;
  query: [string, string][];
}

const H_INT = 'X-Integration-Key';
const H_API = 'X-Api-Key';

function pair(alias: 'main' | 'tight' | 'other' | 'revoked' | 'deadacct') {
  return KEYS[alias];
}

function headerKeys(alias: Parameters<typeof pair>[0], transform = (k: string) => k): Record<string, string> {
  return { [H_INT]: transform(pair(alias).int_key), [H_API]: transform(pair(alias).api_key) };
}

function queryKeys(alias: Parameters<typeof pair>[0], transform = (k: string) => k): [string, string][] {
  return [
    ['integration_key', enc(transform(pair(alias).int_key))],
    ['api_key', enc(transform(pair(alias).api_key))],
  ];
}

const accents = (k: string) => k.replace('i', 'í').replace('a', 'à');

export const KEY_VARIANTS: { weight: number; variant: KeyVariant }[] = [
  {
    weight: 30,
    variant: { label: 'main', alias: 'main', valid: true, headers: headerKeys('main'), query: [] },
  },
  {
    weight: 3,
    variant: {
      label: 'main upper-case',
      alias: 'main',
      valid: true,
      headers: headerKeys('main', (k) => k.toUpperCase()),
      query: [],
    },
  },
  {
    weight: 5,
    variant: {
      label: 'main in the query',
      alias: 'main',
      valid: true,
      headers: {},
      query: queryKeys('main'),
    },
  },
  {
    weight: 2,
    variant: {
      label: 'main, accents, query',
      alias: 'main',
      valid: true,
      headers: {},
      query: queryKeys('main', accents),
    },
  },
  {
    weight: 2,
    variant: {
      label: 'main, trailing space, query',
      alias: 'main',
      valid: true,
      headers: {},
      query: queryKeys('main', (k) => `${k} `),
    },
  },
  {
    weight: 2,
    variant: {
      label: 'main, empty headers then query',
      alias: 'main',
      valid: true,
      headers: { [H_INT]: '', [H_API]: '' },
      query: queryKeys('main'),
    },
  },
  {
    weight: 2,
    variant: {
      label: 'main headers win over other in the query',
      alias: 'main',
      valid: true,
      headers: headerKeys('main'),
      query: queryKeys('other'),
    },
  },
  {
    weight: 22,
    variant: { label: 'other', alias: 'other', valid: true, headers: headerKeys('other'), query: [] },
  },
  {
    weight: 4,
    variant: {
      label: 'other in the query',
      alias: 'other',
      valid: true,
      headers: {},
      query: queryKeys('other'),
    },
  },
  {
    weight: 2,
    variant: {
      label: 'other upper-case',
      alias: 'other',
      valid: true,
      headers: headerKeys('other', (k) => k.toUpperCase()),
      query: [],
    },
  },
  // rph 5: after five requests in the pinned hour every answer is 429 (deliberately exceeded).
  {
    weight: 1,
    variant: { label: 'tight', alias: 'tight', valid: true, headers: headerKeys('tight'), query: [] },
  },
  { weight: 3, variant: { label: 'no keys', alias: null, valid: false, headers: {}, query: [] } },
  {
    weight: 1,
    variant: {
      label: 'no api key',
      alias: null,
      valid: false,
      headers: { [H_INT]: pair('main').int_key },
      query: [],
    },
  },
  {
    weight: 1,
    variant: {
      label: 'no integration key',
      alias: null,
      valid: false,
      headers: { [H_API]: pair('main').api_key },
      query: [],
    },
  },
  {
    weight: 2,
    variant: {
      label: 'wrong api key',
      alias: null,
      valid: false,
      headers: { [H_INT]: pair('main').int_key, [H_API]: 'api-acct1-main-9999' },
      query: [],
    },
  },
  {
    weight: 2,
    variant: {
      label: 'main integration key with the other api key',
      alias: null,
      valid: false,
      headers: { [H_INT]: pair('main').int_key, [H_API]: pair('other').api_key },
      query: [],
    },
  },
  {
    weight: 2,
    variant: { label: 'revoked', alias: 'revoked', valid: false, headers: headerKeys('revoked'), query: [] },
  },
  {
    weight: 2,
    variant: {
      label: 'deadacct',
      alias: 'deadacct',
      valid: false,
      headers: headerKeys('deadacct'),
      query: [],
    },
  },
  {
    weight: 1,
    variant: {
      label: 'leading space, query',
      alias: null,
      valid: false,
      headers: {},
      query: queryKeys('main', (k) => ` ${k}`),
    },
  },
  {
    weight: 1,
    variant: {
      label: 'malformed escapes, query',
      alias: null,
      valid: false,
      headers: {},
      query: [
        ['integration_key', '%E9%ZZ'],
        ['api_key', '%C3%28'],
      ],
    },
  },
  {
    weight: 1,
    variant: {
      label: 'very long keys',
      alias: null,
      valid: false,
      headers: { [H_INT]: 'k'.repeat(4096), [H_API]: 'a'.repeat(4096) },
      query: [],
    },
  },
  {
    weight: 1,
    variant: {
      label: 'SQL-looking keys',
      alias: null,
      valid: false,
      headers: { [H_INT]: "' OR '1'='1", [H_API]: "x' OR 1=1 -- " },
      query: [],
    },
  },
];

// ---------------------------------------------------------------------------------------------
// A generated request
// ---------------------------------------------------------------------------------------------

type Kind = 'known' | 'unknown' | 'odd';

export interface Draft {
  operationId: string;
  method: string;
  /** Raw version prefix (`/v2.0`), or '' for a bare operation. */
  prefix: { raw: string; kind: Kind };
  /** Raw values of the path parameters. */
  pathValues: Record<string, string>;
  /** A format extension (`.xml`), or a suffix that is not one (`.JSON`), or ''. */
  suffix: string;
  /** A change to the finished path whose outcome the contract does not pin (dot segments…). */
  mutation: string;
  /** Raw query pairs in order; a null value is a name without `=`. */
  query: [string, string | null][];
  accept: string | null;
  /** Other headers the Worker reads: traceparent, Origin (CORS). */
  extraHeaders: Record<string, string>;
  keyVariant: number;
}

const TRACEPARENTS = [
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
  '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
  'garbage',
  '',
  `00-${'f'.repeat(4000)}`,
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 00-ffffffffffffffffffffffffffffffff-00f067aa0ba902b7-01',
];
const ORIGINS = [
  'https://lookerstudio.google.com',
  'https://evil.example',
  'null',
  '',
  'http://localhost:8787',
];

const extraHeaders = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(...TRACEPARENTS) },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(...ORIGINS) },
    ),
  )
  .map(([traceparent, origin]) => {
    const headers: Record<string, string> = {};
    if (traceparent !== undefined) headers.traceparent = traceparent;
    if (origin !== undefined) headers.Origin = origin;
    return headers;
  });

const prefixes = fc.oneof(
  {
    weight: 14,
    arbitrary: fc
      .tuple(
        fc.constantFrom('1', '2', '3', '9', '10', '123', '01', '002'),
        fc.constantFrom('0', '00', '1', '9', '10', '007'),
      )
      .map(([major, minor]) => ({ raw: `/v${major}.${minor}`, kind: 'known' as Kind })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        '/v0.0',
        '/v0.1',
        '/v00.0',
        '/v2',
        '/vx.1',
        '/V1.0',
        '/v1.',
        '/v.1',
        '/v1.0.0',
        '/v-1.0',
        '/v1e3.0',
        '/v%EF%BC%91.0',
        '/v1.-1',
        '/v%201.0',
        '/v1.0/v1.0',
        '/v1.0%0A',
      )
      .map((raw) => ({ raw, kind: 'unknown' as Kind })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/v%31.0', '/v1.%30').map((raw) => ({ raw, kind: 'odd' as Kind })),
  },
);

const GOOD_EXTENSIONS = ['.json', '.xml', '.csv'];
const GONE_EXTENSIONS = ['.php', '.serialized'];
const BAD_EXTENSIONS = ['.html', '.jsonp', '.array'];
/** Suffixes that are not extensions: part of the last segment (`/advertisers.JSON` → 404). */
const NON_EXTENSIONS = ['.JSON', '.Xml', '.yaml', '.', '.json.', '.txt', '.json%0A'];

const suffixes = fc.oneof(
  { weight: 40, arbitrary: fc.constant('') },
  { weight: 8, arbitrary: fc.constantFrom(...GOOD_EXTENSIONS) },
  { weight: 2, arbitrary: fc.constantFrom(...GONE_EXTENSIONS) },
  { weight: 2, arbitrary: fc.constantFrom(...BAD_EXTENSIONS) },
  { weight: 2, arbitrary: fc.constantFrom(...NON_EXTENSIONS) },
);

const MUTATIONS = [
  'dot-segment',
  'dot-dot-segment',
  'encoded-dot-dot',
  'double-slash',
  'trailing-slash',
  'upper-case',
  'encoded-letter',
  'unicode-segment',
  'unicode-last-segment',
  'matrix-parameter',
  'trailing-nul',
  'trailing-newline',
  'trailing-malformed',
  'trailing-latin1',
];

const methods = fc.oneof(
  { weight: 88, arbitrary: fc.constant('GET') },
  { weight: 5, arbitrary: fc.constant('HEAD') },
  { weight: 2, arbitrary: fc.constant('OPTIONS') },
  { weight: 5, arbitrary: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE') },
);

const UNKNOWN_NAMES = [
  'foo',
  'from',
  'to',
  'id',
  'Format',
  'FORMAT',
  'advertiserId',
  'x[]',
  'status',
  'removeZeros',
  'data_connector',
  'campaign_id',
  'advertiser_id',
  'q',
  '%ZZ',
  '%E9',
  'n%C3%A4me',
  '_',
  'callback_',
  'x'.repeat(1024),
  '%66rom',
  '%74o',
  '%66ormat',
  'advertiser%5Fid',
  'call%62ack',
];

export interface Generators {
  draft: fc.Arbitrary<Draft>;
}

export function generators(tenants: Tenants): Generators {
  const advertiserIds = tenants.advertisers.map((a) => a.id);
  const campaignIds = tenants.campaigns.map((c) => c.id);
  const ids = {
    advertiser: idValues(advertiserIds),
    campaign: idValues(campaignIds),
  };

  function valueFor(op: SpecOperation, param: SpecParam): fc.Arbitrary<string | null> {
    const kind = idKindOf(op, param);
    const value = (() => {
      if (kind) return ids[kind];
      if (param.schema.format === 'date') return dates;
      if (param.schema.enum) return enumValues(param.schema.enum);
      switch (param.name) {
        case 'format':
          return formatValues;
        case 'callback':
          return callbackValues;
        case 'removeZeros':
        case 'data_connector':
          return flagValues;
        default:
          return fc.oneof(encoded(unicodeText), fc.constantFrom(...MALFORMED));
      }
    })();
    return fc.oneof({ weight: 12, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
  }

  const keyVariants = fc.oneof(
    ...KEY_VARIANTS.map(({ weight }, i) => ({ weight, arbitrary: fc.constant(i) })),
  );

  // Legacy operations get most of the draws: they are where the parameters and the data are.
  const operation = fc.oneof(
    ...specOperations.map((op) => ({ weight: op.authenticated ? 8 : 1, arbitrary: fc.constant(op) })),
  );
  const draft = operation.chain((op) => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const declared = new Set(queryParams.map((p) => p.name));
    const query = fc
      .tuple(
        // Each declared parameter: absent (often, so defaults are exercised too) or a value.
        fc.tuple(
          ...queryParams.map((p) =>
            fc.oneof(
              {
                weight: p.name === 'format' || p.name === 'callback' ? 3 : p.required ? 1 : 2,
                arbitrary: fc.constant(undefined),
              },
              {
                weight: p.name === 'format' || p.name === 'callback' ? 1 : p.required ? 12 : 3,
                arbitrary: valueFor(op, p),
              },
            ),
          ),
        ),
        // Unknown parameters (ignored: CONTRACT §1.4).
        fc.array(
          fc.tuple(
            fc.constantFrom(...UNKNOWN_NAMES.filter((n) => !declared.has(n))),
            fc.oneof(
              encoded(unicodeText),
              fc.constantFrom(...MALFORMED),
              encoded(longText),
              fc.constant(null),
            ),
          ),
          { maxLength: 3 },
        ),
        // A declared parameter sent twice.
        queryParams.length
          ? fc.oneof(
              { weight: 15, arbitrary: fc.constant(undefined) },
              {
                weight: 1,
                arbitrary: fc
                  .constantFrom(...queryParams)
                  .chain((p) => fc.tuple(fc.constant(p.name), valueFor(op, p))),
              },
            )
          : fc.constant(undefined),
      )
      .map(([values, unknown, repeated]) => {
        const pairs: [string, string | null][] = [];
        queryParams.forEach((p, i) => {
          const value = values[i];
          if (value !== undefined) pairs.push([p.name, value]);
        });
        pairs.push(...unknown);
        if (repeated) pairs.push(repeated);
        return pairs;
      });
    return fc.record({
      operationId: fc.constant(op.operationId),
      method: methods,
      prefix: op.versioned ? prefixes : fc.constant({ raw: '', kind: 'known' as Kind }),
      pathValues: fc.record(
        Object.fromEntries(pathParams.map((p) => [p.name, valueFor(op, p).map((v) => v ?? '')])) as Record<
          string,
          fc.Arbitrary<string>
        >,
      ),
      suffix: op.authenticated ? suffixes : fc.constant(''),
      mutation: fc.oneof(
        { weight: 12, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom(...MUTATIONS) },
      ),
      query,
      accept: fc.option(fc.constantFrom(...ACCEPTS), { freq: 2, nil: null }),
      extraHeaders,
      keyVariant: op.authenticated ? keyVariants : fc.constant(0),
    });
  });
  return { draft };
}

/** Which table a parameter's id is looked up in (the spec names it: `Id` under /advertisers or /campaigns). */
export function idKindOf(op: SpecOperation, param: SpecParam): 'advertiser' | 'campaign' | undefined {
  if (!param.schema.pattern?.startsWith('^0*(?:')) return undefined;
  if (param.name === 'advertiser_id') return 'advertiser';
  if (param.name === 'campaign_id' || param.name === 'campaignId') return 'campaign';
  return op.bare.startsWith('/advertisers') ? 'advertiser' : 'campaign';
}

// ---------------------------------------------------------------------------------------------
// Building the request and its expectation
// ---------------------------------------------------------------------------------------------

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
  version: 1 | 2;
  /** Whether a 200 is this operation's (false when the path may have reached another one). */
  sameOperation: boolean;
}

/** The decoding PHP and the Worker apply to a query value (`+` is a space). */
export function decodeQuery(raw: string): string {
  return decodeLoose(raw.replace(/\+/g, ' '));
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
