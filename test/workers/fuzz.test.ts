// Property-based fuzzing from the contract (issue 8): requests generated from openapi.yaml for
// every operation — valid and invalid parameters, odd encodings, long values, repeated and unknown
// parameters, unicode and dot segments, good and bad version prefixes, every format by extension,
// parameter and Accept, JSONP callbacks, every kind of key — sent to the Worker in-process.
//
// Seeded and reproducible: VITE_FUZZ_SEED (default below) and VITE_FUZZ_REQUESTS (default 10,000)
// from the environment; a failure prints fast-check's seed and path, which replay it exactly:
//   VITE_FUZZ_SEED=<seed> npx vitest run --project workers test/workers/fuzz.test.ts
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProblemSchema } from '../../generated/schemas';
import { XML_PROLOG } from '../../src/legacy';
import { AllowanceBudget } from '../support/allowance';
import { bodyText, type Foreign, foreignTo, leaksIn, leavesOf } from '../support/bodies';
import { csvRecords, csvTwinMismatches, xmlMalformation, xmlTwinMismatches } from '../support/format-oracles';
import { runEnv } from '../support/run-env';
import {
  type Built,
  build,
  type Draft,
  decodeQuery,
  generators,
  specOperations,
} from '../support/spec-requests';
import { loadTenants, type Tenants } from '../support/tenants';
import { call } from './http';
import { KEYS } from './keys';

const SEED = Number(runEnv('VITE_FUZZ_SEED') ?? 20261122);
const REQUESTS = Number(runEnv('VITE_FUZZ_REQUESTS') ?? 10_000);

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  javascript: 'application/javascript; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  csv: 'application/csv; charset=utf-8',
};

/** What no body may ever contain: a stack frame, a source path, a driver error, a secret. */
const LEAKY = [
  /\n\s+at [^\n]+[(:]\d+/,
  /\.(?:ts|js|mjs):\d+/,
  /node_modules|\/work\/|file:\/\//,
  /mysql:\/\/|\bER_[A-Z_]{4,}|ECONNREFUSED|PROTOCOL_/,
  /local-dev-only/,
];
const SECRETS = Object.values(KEYS).flatMap((k) => [k.int_key, k.api_key]);
const VALID_CALLBACK = /^[a-z_$][a-z0-9$_]*(\.[a-z_$][a-z0-9$_]*)*$/i;

let tenants: Tenants;
let today: string;
const foreign = new Map<string, Foreign>();

beforeAll(async () => {
  tenants = await loadTenants(env);
  for (const account of new Set(tenants.advertisers.map((a) => a.accountId)))
    foreign.set(account, foreignTo(tenants, account));
  // Nobody's data: what a request without a valid key may see.
  foreign.set('', foreignTo(tenants, ''));
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
    new Date(env.TEST_CLOCK!),
  );
}, 120_000);

/** The exchange for a failure message, keys redacted (the suite fails on a key in its output). */
function describeExchange(b: Built, status: number, headers: Headers, text: string): string {
  const redact = (s: string) =>
    SECRETS.reduce((out, secret) => out.split(secret).join('<key>'), s).replace(
      /(integration_key|api_key)=[^&]*/g,
      '$1=<key>',
    );
  const shown = Object.entries(b.headers).filter(([name]) => !/-key$/i.test(name));
  return [
    redact(`${b.method} ${b.target}`),
    `  key: ${b.key.label}; headers: ${redact(JSON.stringify(shown)).slice(0, 300)}`,
    `  expected: ${b.statuses ? b.statuses.join('|') : 'any non-5xx'} (${b.why})`,
    `  got: ${status} ${headers.get('content-type')} ${text.slice(0, 300)}`,
  ].join('\n');
}

/**
 * The same request answered in JSON: the format's extension, `format` and `callback` taken off
 * (by decoded name, as the Worker reads them), then `format=json`, which beats Accept.
 */
function jsonTwinOf(d: Draft): Draft {
  const formatPicked = (name: string) => ['format', 'callback'].includes(decodeQuery(name));
  return {
    ...d,
    suffix: ['.json', '.xml', '.csv'].includes(d.suffix) ? '' : d.suffix,
    query: [...d.query.filter(([name]) => !formatPicked(name)), ['format', 'json']],
  };
}

interface Verdict {
  problems: string[];
  text: string;
  /** The records papaparse read from a 200 CSV body. */
  csv?: string[][];
}

/** Every contract property of one exchange; returns the violations (empty when it holds). */
async function violations(b: Built, response: Response): Promise<Verdict> {
  const problems: string[] = [];
  let csv: string[][] | undefined;
  const status = response.status;
  const contentType = response.headers.get('content-type');
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = bodyText(bytes, contentType);
  const head = b.method === 'HEAD';

  if (status >= 500) problems.push(`a ${status}`);
  if (b.statuses && !b.statuses.includes(status))
    problems.push(`status ${status}, contract says ${b.statuses.join('|')}`);
  // The operational endpoints serve the spec and Redoc's bundle, whose text is not the Worker's.
  if (b.op.authenticated || status >= 400)
    for (const pattern of LEAKY) if (pattern.test(text)) problems.push(`body matches ${pattern}`);
  for (const secret of SECRETS) if (text.includes(secret)) problems.push('body contains a key');

  if (status >= 400) {
    if (contentType !== 'application/problem+json') problems.push(`error typed ${contentType}`);
    if (head) {
      if (bytes.length) problems.push('HEAD error with a body');
    } else {
      let problem: unknown;
      try {
        problem = JSON.parse(text);
      } catch {
        problems.push('error body is not JSON');
      }
      const parsed = ProblemSchema.safeParse(problem);
      if (!parsed.success) problems.push(`not a problem document: ${parsed.error.message.slice(0, 200)}`);
      else {
        if (parsed.data.status !== status) problems.push(`problem status ${parsed.data.status} ≠ ${status}`);
        if (!parsed.data.title || !parsed.data.detail || !parsed.data.type)
          problems.push('empty problem member');
        const pathname = new URL(`http://api.test${b.target}`).pathname;
        if (parsed.data.instance !== pathname)
          problems.push(`instance ${parsed.data.instance} ≠ ${pathname}`);
      }
    }
    if (status === 405 && !response.headers.get('allow')) problems.push('405 without Allow');
    if (status === 429) {
      const retry = Number(response.headers.get('retry-after'));
      if (!Number.isInteger(retry) || retry < 1 || retry > 3600) problems.push(`429 Retry-After ${retry}`);
    }
    return { problems, text };
  }

  if (status === 204 || head) {
    if (bytes.length) problems.push(`${status} ${b.method} with a body`);
    if (status === 204) return { problems, text };
  }
  if (status !== 200) {
    problems.push(`unexpected success status ${status}`);
    return { problems, text };
  }

  if (!b.op.authenticated) {
    if (!b.op.successTypes.some((type) => contentType?.startsWith(type)))
      problems.push(`${contentType} is not one of ${b.op.successTypes.join(', ')}`);
    return { problems, text };
  }
  if (!b.key.valid) problems.push('200 without a valid key');

  // The negotiated Content-Type, and a body that is what the contract describes.
  const format =
    b.format ??
    (contentType === CONTENT_TYPES.xml ? 'xml' : contentType === CONTENT_TYPES.csv ? 'csv' : 'json');
  if (format === 'xml') {
    if (contentType !== CONTENT_TYPES.xml) problems.push(`XML typed ${contentType}`);
    if (!head && !(text.startsWith(`${XML_PROLOG}<xml>`) && text.endsWith('</xml>\n')))
      problems.push('not a legacy XML document');
    // What a consumer's XML parser would say.
    const malformed = head ? undefined : xmlMalformation(text);
    if (malformed) problems.push(malformed);
  } else if (format === 'csv') {
    if (contentType !== CONTENT_TYPES.csv) problems.push(`CSV typed ${contentType}`);
    if (bytes.length % 2) problems.push('CSV body is not UTF-16LE');
    // What a consumer's CSV parser would read (its shape is compared with the JSON twin's).
    else if (!head) {
      const read = csvRecords(text);
      problems.push(...read.problems);
      csv = read.records;
    }
  } else if (!head && b.callbackNotUtf8) {
    // The legacy's json_encode refused the warning member quoting such a callback: an empty body.
    if (text !== '') problems.push('a body for a callback that is not UTF-8');
    if (contentType !== CONTENT_TYPES.json && contentType !== CONTENT_TYPES.javascript)
      problems.push(`JSON(P) typed ${contentType}`);
  } else if (!head) {
    const callback = b.callback;
    let json = text;
    if (callback === undefined) {
      if (contentType !== CONTENT_TYPES.json) problems.push(`JSON typed ${contentType}`);
    } else if (contentType !== CONTENT_TYPES.json && contentType !== CONTENT_TYPES.javascript) {
      problems.push(`JSON(P) typed ${contentType}`);
    } else if (callback !== '' && callback !== '0' && VALID_CALLBACK.test(callback)) {
      if (!(text.startsWith(`${callback}(`) && text.endsWith(');'))) problems.push('JSONP body not wrapped');
      else json = text.slice(callback.length + 1, -2);
      if (!callback.includes('$') && contentType !== CONTENT_TYPES.javascript)
        problems.push(`JSONP typed ${contentType}`);
    }
    try {
      const body = JSON.parse(json) as Record<string, unknown>;
      const schema = b.version === 2 ? b.op.jsonSchema.v2 : b.op.jsonSchema.v1;
      const parsed = b.sameOperation ? schema?.safeParse(body) : undefined;
      if (parsed && !parsed.success)
        problems.push(`body does not match the contract: ${parsed.error.message.slice(0, 300)}`);
      if (callback !== undefined && callback !== '' && callback !== '0' && !VALID_CALLBACK.test(callback)) {
        const keys = Object.keys(body);
        if (keys.at(-1) !== 'warning' || body.warning !== `INVALID JSONP CALLBACK: ${callback}`)
          problems.push('invalid callback without its warning member');
      }
    } catch {
      problems.push('JSON body does not parse');
    }
  }
  // (An empty body, the legacy's answer to a callback that is not UTF-8, holds nothing.)
  if (!head && bytes.length) {
    try {
      const account = b.key.valid && b.key.alias ? (tenants.keyAccount[b.key.alias] ?? '') : '';
      const leaks = leaksIn(leavesOf(bytes, contentType), foreign.get(account)!);
      if (leaks.length) problems.push(`another account's data: ${leaks.slice(0, 5).join(', ')}`);
    } catch (error) {
      problems.push(`body unreadable as ${contentType}: ${String(error).slice(0, 100)}`);
    }
  }
  return { problems, text, csv };
}

/** The Worker's log lines of the run, kept in memory (10,000 requests would flood the output). */
function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ['log', 'warn', 'error'] as const)
    console[level] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
  return {
    lines,
    restore() {
      Object.assign(console, originals);
    },
  };
}

describe('fuzzing from the contract', () => {
  it(`${REQUESTS} generated requests: no 5xx, problem+json errors, negotiated types, no leaks (seed ${SEED})`, async () => {
    const { draft } = generators(tenants);
    const budget = new AllowanceBudget(450);
    const statuses = new Map<number, number>();
    const oracle = { pinned: 0, open: 0 };
    const operationsSeen = new Set<string>();
    // 200 bodies read by the independent parsers, and what became of their JSON twins.
    const parsed = { xml: 0, csv: 0 };
    const twins = { xml: 0, csv: 0, throttled: 0, unpinned: 0 };
    const logs = captureLogs();
    const started = Date.now();
    const spend = async (b: Built) => {
      if (b.op.authenticated && b.key.valid && b.key.alias && b.key.alias !== 'tight')
        await budget.spend(b.key.alias === 'other' ? 'other' : 'main');
    };
    const fail = (problems: string[], exchanges: string[]): never => {
      const logged = logs.lines.filter((line) => line.includes('"level":"error"')).slice(-3);
      throw new Error(
        `${problems.join('; ')}\n${exchanges.join('\n')}${logged.length ? `\n  error log: ${logged.join('\n  ')}` : ''}`,
      );
    };
    try {
      await fc.assert(
        fc.asyncProperty(draft, async (d: Draft) => {
          const b = build(d, tenants, today);
          await spend(b);
          const response = await call(b.target, { method: b.method, headers: b.headers });
          const { problems, text, csv } = await violations(b, response);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          oracle[b.statuses ? 'pinned' : 'open'] += 1;
          operationsSeen.add(b.op.operationId);
          const exchange = describeExchange(b, response.status, response.headers, text);
          if (problems.length) fail(problems, [exchange]);
          const xml =
            response.status === 200 &&
            b.method !== 'HEAD' &&
            b.op.authenticated &&
            response.headers.get('content-type') === CONTENT_TYPES.xml;
          const format = csv ? 'csv' : xml ? 'xml' : undefined;
          if (!format) return;
          parsed[format] += 1;
          // A twin only where the contract pins this request to that format (no path mutation…).
          if (b.format !== format) {
            twins.unpinned += 1;
            return;
          }
          const t = build(jsonTwinOf(d), tenants, today);
          if (t.format !== 'json' || !t.statuses?.includes(200))
            fail([`JSON twin not a JSON 200 by the contract (${t.why})`], [exchange]);
          await spend(t);
          const twinResponse = await call(t.target, { method: t.method, headers: t.headers });
          const twin = await violations(t, twinResponse);
          const twinExchange = `JSON twin: ${describeExchange(t, twinResponse.status, twinResponse.headers, twin.text)}`;
          if (twin.problems.length) fail(twin.problems, [exchange, twinExchange]);
          // Out of allowance (the `tight` key): no twin to compare with.
          if (twinResponse.status === 429) {
            twins.throttled += 1;
            return;
          }
          if (twinResponse.status !== 200)
            fail([`JSON twin answered ${twinResponse.status}`], [exchange, twinExchange]);
          const body = JSON.parse(twin.text) as Record<string, unknown>;
          const mismatches = csv ? csvTwinMismatches(csv, body) : xmlTwinMismatches(text, body);
          if (mismatches.length) fail(mismatches, [exchange, twinExchange]);
          twins[format] += 1;
        }),
        { seed: SEED, numRuns: REQUESTS },
      );
    } finally {
      logs.restore();
    }
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${REQUESTS} requests in ${elapsed}s (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; status pinned by the contract for ${oracle.pinned}, open for ${oracle.open}; ${operationsSeen.size}/${specOperations.length} operations; 200 bodies parsed: ${parsed.xml} XML, ${parsed.csv} CSV (JSON twins compared: ${twins.xml} XML, ${twins.csv} CSV; ${twins.throttled} throttled, ${twins.unpinned} format not pinned)`,
    );
    // Twins of both formats were compared (a short run may draw none).
    if (REQUESTS >= 1000) {
      expect(twins.xml).toBeGreaterThan(0);
      expect(twins.csv).toBeGreaterThan(0);
    }
    expect(operationsSeen.size).toBe(specOperations.length);
    // The Worker's own log: no unhandled error, no 5xx, never a key.
    const errors = logs.lines.filter((line) => line.includes('"level":"error"'));
    expect(errors.slice(0, 5)).toEqual([]);
    expect(logs.lines.filter((line) => SECRETS.some((secret) => line.includes(secret)))).toEqual([]);
  }, 900_000);
});
