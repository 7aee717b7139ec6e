// A generated request before it is built: operation, method, version prefix, path values, suffix,
// query pairs, Accept, extra headers and keys, drawn by fast-check from the contract's values.

import fc from 'fast-check';
import type { Tenants } from '../tenants';
import { type SpecOperation, type SpecParam, specOperations } from './contract';
import { KEY_VARIANTS } from './keys';
import {
  ACCEPTS,
  callbackValues,
  dates,
  encoded,
  enumValues,
  flagValues,
  formatValues,
  idValues,
  longText,
  MALFORMED,
  unicodeText,
} from './values';

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

export const GOOD_EXTENSIONS = ['.json', '.xml', '.csv'];
export const GONE_EXTENSIONS = ['.php', '.serialized'];
export const BAD_EXTENSIONS = ['.html', '.jsonp', '.array'];
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
