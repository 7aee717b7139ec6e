// Every example in openapi.yaml is what the Worker answers. A response example's `summary` is the
// request it shows (`GET /advertisers/31`), optionally followed by one condition from CONDITIONS
// (`GET /dataconnector without keys`); the request is made with the seed's `main` pair at the
// fixtures' clock and the answer must equal the example: the same status, media type and body
// (JSON compared as written, member order included; XML, CSV and JSONP byte for byte, CSV read
// as UTF-16LE). Parameter examples must be accepted (never a 400).
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { openapiDocument } from '../../generated/openapi';
import { app } from '../../src/app';
import { AllowanceBudget } from '../support/allowance';
import { call } from './http';
import { freshHour, type KEYS, keyHeaders } from './keys';

type Json = Record<string, unknown>;
const doc = openapiDocument as {
  paths: Record<
    string,
    { get: { operationId: string; parameters?: Json[]; responses: Record<string, Json> } }
  >;
  components: {
    responses: Record<string, Json>;
    parameters: Record<string, Json>;
    headers: Record<string, Json>;
  };
};

const deref = (node: Json, kind: 'responses' | 'parameters'): Json =>
  typeof node.$ref === 'string'
    ? (doc.components[kind][node.$ref.slice(`#/components/${kind}/`.length)] as Json)
    : node;

/** How a condition of an example's summary is made: keys, and bindings that break a backend. */
const CONDITIONS: Record<string, { keys?: keyof typeof KEYS | null; spent?: boolean; env?: () => Json }> = {
  'without keys': { keys: null },
  'with a revoked key pair': { keys: 'revoked' },
  'over the hourly allowance': { keys: 'tight', spent: true },
  'while the database is unreachable': {
    env: () => ({ DB_CONSOLE: env.DB_CLOSED, DB_AGGREGATE: env.DB_CLOSED }),
  },
  // The isolate's cache of confirmed pairs would answer without the key service.
  'while the key service is unreachable': { env: () => ({ AUTH: env.AUTH_BROKEN, AUTH_CACHE_TTL_MS: '0' }) },
  'while the database is too slow': { env: () => ({ DB_QUERY_TIMEOUT_MS: '1' }) },
};

interface Example {
  where: string;
  summary: string;
  status: number;
  media: string;
  value: unknown;
  retryAfter?: number;
}

/** Every response example of the document: the operations' own responses and the components'. */
function collect(): Example[] {
  const found = new Map<string, Example>();
  const visit = (where: string, status: string, response: Json) => {
    const retry = ((response.headers ?? {}) as Record<string, Json>)['Retry-After'];
    const retryHeader = retry?.$ref ? doc.components.headers[String(retry.$ref).split('/').pop()!] : retry;
    for (const [media, content] of Object.entries((response.content ?? {}) as Record<string, Json>)) {
      if ('example' in content)
        throw new Error(`${where} ${media}: use \`examples\` with a request as summary`);
      for (const [name, example] of Object.entries((content.examples ?? {}) as Record<string, Json>)) {
        found.set(`${where} ${status} ${media} ${name}`, {
          where: `${where} ${status} ${media} ${name}`,
          summary: String(example.summary),
          status: Number(status),
          media,
          value: example.value,
          retryAfter: retryHeader?.example as number | undefined,
        });
      }
    }
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [status, response] of Object.entries(item.get.responses)) {
      if (!response.$ref) visit(`GET ${path}`, status, response);
    }
  }
  for (const [name, response] of Object.entries(doc.components.responses)) {
    const status = name.endsWith('Ok') ? '200' : name === 'MethodNotAllowed' ? '405' : '';
    if (response.content) visit(name, status, response);
  }
  return [...found.values()];
}

const examples = collect();
const budget = new AllowanceBudget(400);

async function answer(example: Example): Promise<Response> {
  const match = /^([A-Z]+) (\S+)(?: (.+))?$/.exec(example.summary);
  if (!match) throw new Error(`${example.where}: summary "${example.summary}" is not a request`);
  const [, method, path, conditionName] = match as unknown as [string, string, string, string | undefined];
  const condition = conditionName === undefined ? {} : CONDITIONS[conditionName];
  if (!condition) throw new Error(`${example.where}: unknown condition "${conditionName}"`);
  const alias = condition.keys === undefined ? 'main' : condition.keys;
  if (alias === 'main') await budget.spend('main');
  const headers: Record<string, string> = alias ? keyHeaders(alias) : {};
  if (condition.spent) {
    // A fresh hour at :30, so the window resets in 1800 s; the allowance spent first.
    headers['x-test-clock'] = freshHour(30);
    for (let i = 0; i < 10; i++) {
      if ((await call('/credentialscheck', { headers })).status === 429) break;
    }
  }
  if (condition.env) {
    return app.request(path, { method, headers }, { ...env, ...condition.env() }, createExecutionContext());
  }
  return call(path, { method, headers });
}

describe('every example in openapi.yaml is what the Worker answers', () => {
  it('the document has examples for every operation’s answers and every format', () => {
    expect(examples.length).toBeGreaterThan(100);
    for (const media of [
      'application/json',
      'application/xml',
      'application/csv',
      'application/javascript',
    ]) {
      expect(examples.some((e) => e.media === media && e.status === 200)).toBe(true);
    }
  });

  it.each(examples.map((e) => [`${e.where}: ${e.summary}`, e] as const))('%s', async (_name, example) => {
    const response = await answer(example);
    expect(response.status).toBe(example.status);
    expect(response.headers.get('content-type')?.split(';')[0]).toBe(example.media);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    if (example.media === 'application/csv') {
      expect(new TextDecoder('utf-16le').decode(bytes)).toBe(example.value);
    } else if (example.summary === 'GET /__health') {
      // The build and the deployment differ by environment: the example shows prd's shape.
      const health = JSON.parse(text);
      expect(Object.keys(health)).toEqual(Object.keys(example.value as Json));
      expect(health.status).toBe((example.value as Json).status);
    } else if (example.media === 'application/json') {
      // The legacy's JSON writes `/` as `\/`; JSON.stringify keeps every other escape the same.
      expect(text).toBe(JSON.stringify(example.value).replaceAll('/', '\\/'));
    } else if (example.media === 'application/problem+json') {
      // The request id is this request's own: checked by its shape, then compared as the example's.
      const id = (example.value as Json).request_id as string;
      expect(text).toMatch(/"request_id":"[0-9a-f]{16}"}$/);
      expect(text.replace(/"request_id":"[0-9a-f]{16}"/, `"request_id":"${id}"`)).toBe(
        JSON.stringify(example.value),
      );
    } else {
      expect(new TextDecoder().decode(bytes)).toBe(example.value);
    }
    if (example.retryAfter !== undefined) {
      expect(response.headers.get('retry-after')).toBe(String(example.retryAfter));
    }
  });
});

describe('parameter examples are values the API accepts', () => {
  const bare = Object.entries(doc.paths).filter(([path]) => !path.startsWith('/v{'));
  it.each(bare.filter(([, item]) => item.get.parameters?.length))(
    'GET %s with every parameter’s example',
    async (path, item) => {
      const query = new URLSearchParams();
      let concrete = path;
      for (const ref of item.get.parameters ?? []) {
        const parameter = deref(ref, 'parameters');
        expect(parameter.example, `${path} ${parameter.name}`).toBeDefined();
        if (parameter.in === 'path')
          concrete = concrete.replace(`{${parameter.name}}`, String(parameter.example));
        else query.set(String(parameter.name), String(parameter.example));
      }
      await budget.spend('main');
      const response = await call(`${concrete}?${query}`, { headers: keyHeaders('main') });
      expect(response.status, await response.clone().text()).not.toBe(400);
    },
  );
});
