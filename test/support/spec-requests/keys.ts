// The ways a request carries its keys (headers, query, both; case, accents, spaces; wrong,
// revoked, another account's), each with the seed key pair it resolves to and whether it is valid.

import { KEYS } from '../../workers/keys';
import type { KeyAlias } from '../tenants';
import { enc } from './values';

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
