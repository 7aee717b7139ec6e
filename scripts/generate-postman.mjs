#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Turns openapi.yaml into a Postman collection (v2.1) and one environment per `servers` entry:
//   postman/adventive-public-api.json            every endpoint × prefix form × format, the error cases
//   postman/env/<env>.postman_environment.json   baseUrl + the key pair (filled in only for local)
//
// Everything comes from the spec: folders are its tags, example values its parameter examples
// (a path id is the id of the documented 200 example, so `/campaigns/{id}` asks for a campaign
// that exists), formats the media types of the 200 response, the `/v2.0/` form only where the
// versioned 200 response differs from the bare one (v2 changes only those endpoints). Ids are
// derived from names so the output is stable and `npm run postman` is a no-op on a clean tree.
//
// Usage: node scripts/generate-postman.mjs          write postman/
//        node scripts/generate-postman.mjs --check  exit 1 when postman/ is stale
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { writeGenerated } from './write-generated.mjs';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const COLLECTION_PATH = 'postman/adventive-public-api.json';
const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const VERSION_PREFIX = '/v{major}.{minor}';
const FORMAT_OF_MEDIA = { 'application/json': 'json', 'application/xml': 'xml', 'application/csv': 'csv' };
const MEDIA_OF_FORMAT = Object.fromEntries(Object.entries(FORMAT_OF_MEDIA).map(([m, f]) => [f, m]));
const PROBLEM = 'application/problem+json';
// The extension example of each endpoint (the extension wins over `format`).
const EXTENSION_FORMAT = 'xml';

/** A UUID-shaped id derived from a name (SHA-1, version/variant bits as in RFC 4122 v5). */
export function stableId(...names) {
  const hex = createHash('sha1').update(names.join('\u0000')).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const refName = (ref, kind) => {
  const prefix = `#/components/${kind}/`;
  if (!ref?.startsWith(prefix)) throw new Error(`unsupported $ref ${ref} (expected ${prefix}…)`);
  return ref.slice(prefix.length);
};
const deref = (doc, node, kind) => (node?.$ref ? doc.components[kind][refName(node.$ref, kind)] : node);

/** The operations of the spec, bare ones paired with their `/v{major}.{minor}` twin. */
function endpoints(doc) {
  const list = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith(VERSION_PREFIX)) continue;
    for (const [method, op] of Object.entries(item)) {
      const versioned = doc.paths[`${VERSION_PREFIX}${path}`]?.[method];
      list.push({ path, method: method.toUpperCase(), op, versioned });
    }
  }
  // Every versioned path must have its bare twin, or it would silently vanish from the collection.
  for (const path of Object.keys(doc.paths)) {
    if (path.startsWith(VERSION_PREFIX) && !doc.paths[path.slice(VERSION_PREFIX.length)]) {
      throw new Error(`${path} has no bare twin ${path.slice(VERSION_PREFIX.length)}`);
    }
  }
  return list;
}

function parameters(doc, op) {
  return (op.parameters ?? []).map((p) => deref(doc, p, 'parameters'));
}

/** The `data.id` of the documented 200 JSON example (the first of named ones), when it has one. */
function exampleId(doc, op) {
  const ok = deref(doc, op.responses?.['200'], 'responses');
  const json = ok?.content?.['application/json'];
  const id = (json?.example ?? Object.values(json?.examples ?? {})[0]?.value)?.data?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Path with its `{name}` parameters replaced by example values. */
function concretePath(doc, path, op) {
  const params = parameters(doc, op);
  return path.replace(/\{(\w+)\}/g, (_, name) => {
    const param = params.find((p) => p.in === 'path' && p.name === name);
    if (!param) throw new Error(`${path}: no parameter ${name}`);
    const value = (name === 'id' && exampleId(doc, op)) || param.example;
    if (value === undefined) throw new Error(`${path}: parameter ${name} has no example`);
    return String(value);
  });
}

/** Query entries: required parameters on, optional ones present but disabled (toggle in Postman). */
function queryOf(doc, op, format) {
  const query = [];
  for (const p of parameters(doc, op)) {
    if (p.in !== 'query') continue;
    if (p.name === 'format') {
      if (format) query.push({ key: 'format', value: format });
      continue;
    }
    // The first sentence of the parameter's description, on one line.
    const text = p.description?.replace(/\s+/g, ' ').trim();
    const description = text && (/^(.+?\.)(?=\s|$)/.exec(text)?.[1] ?? text);
    const entry = { key: p.name, value: String(p.example ?? '') };
    if (!p.required) entry.disabled = true;
    if (description) entry.description = description;
    query.push(entry);
  }
  return query;
}

function url(path, query = []) {
  const enabled = query.filter((q) => !q.disabled);
  const search = enabled.length ? `?${enabled.map((q) => `${q.key}=${q.value}`).join('&')}` : '';
  const out = { raw: `{{baseUrl}}${path}${search}`, host: ['{{baseUrl}}'], path: path.split('/').slice(1) };
  if (query.length) out.query = query;
  return out;
}

const lit = (value) => JSON.stringify(value);

/** The per-request tests: the status code and the media type of Content-Type. */
function tests(id, status, media) {
  const lines = [
    `pm.test(${lit(`status is ${status}`)}, () => pm.response.to.have.status(${status}));`,
    `pm.test(${lit(`Content-Type is ${media}`)}, () => {`,
    "  const type = (pm.response.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();",
    `  pm.expect(type).to.equal(${lit(media)});`,
    '});',
  ];
  if (media === PROBLEM) {
    lines.push(
      `pm.test('problem names the status', () => pm.expect(pm.response.json().status).to.equal(${status}));`,
    );
  }
  return [{ listen: 'test', script: { id, type: 'text/javascript', exec: lines } }];
}

function request(scope, { name, path, query = [], status, media, description, noKeys, headers = [] }) {
  const id = stableId(...scope, name);
  const req = { method: 'GET', header: headers, url: url(path, query) };
  if (noKeys) req.auth = { type: 'noauth' };
  if (description) req.description = description;
  return { id, name, event: tests(stableId(id, 'test'), status, media), request: req, response: [] };
}

function folder(scope, name, description, item) {
  const out = { id: stableId(...scope, name), name };
  if (description) out.description = description;
  out.item = item;
  return out;
}

/** The requests of one endpoint: each prefix form × each format, then one extension example. */
function endpointItems(doc, scope, { path, method, op, versioned }) {
  if (method !== 'GET') throw new Error(`${method} ${path}: only GET operations are expected`);
  const ok = deref(doc, op.responses['200'], 'responses');
  const okMedia = Object.keys(ok.content ?? {});
  const takesFormat = parameters(doc, op).some((p) => p.name === 'format');
  const items = [];
  if (!takesFormat) {
    // Operational endpoints: no keys (security: []), one documented media type.
    const noKeys = Array.isArray(op.security) && op.security.length === 0;
    items.push(request(scope, { name: `GET ${path}`, path, status: 200, media: okMedia[0], noKeys }));
    return items;
  }
  const formats = okMedia.map((m) => FORMAT_OF_MEDIA[m]).filter(Boolean);
  const forms = [{ prefix: '', op }];
  if (versioned) {
    forms.push({ prefix: '/v1.0', op: versioned });
    // v2 differs only where the versioned 200 response is not the bare one.
    if (versioned.responses['200'].$ref !== op.responses['200'].$ref)
      forms.push({ prefix: '/v2.0', op: versioned });
  }
  for (const form of forms) {
    const concrete = form.prefix + concretePath(doc, path, form.op);
    for (const format of formats) {
      const query = queryOf(doc, form.op, format);
      const shown = query.filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`);
      items.push(
        request(scope, {
          name: `GET ${concrete}?${shown.join('&')}`,
          path: concrete,
          query,
          status: 200,
          media: MEDIA_OF_FORMAT[format],
        }),
      );
    }
  }
  const concrete = `${concretePath(doc, path, op)}.${EXTENSION_FORMAT}`;
  const query = queryOf(doc, op, undefined);
  const shown = query.filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`);
  items.push(
    request(scope, {
      name: `GET ${concrete}${shown.length ? `?${shown.join('&')}` : ''}`,
      path: concrete,
      query,
      status: 200,
      media: MEDIA_OF_FORMAT[EXTENSION_FORMAT],
      description: `The \`.${EXTENSION_FORMAT}\` extension chooses the format (it wins over \`format\`).`,
    }),
  );
  return items;
}

/** Error cases, each on a real endpoint of the spec (checked) unless the path itself is the error. */
function errorItems(doc, scope) {
  // The id the spec's own 404 example of GET /advertisers/{id} asks for.
  const notFound = deref(doc, doc.paths['/advertisers/{id}'].get.responses['404'], 'responses');
  const unknownIdPath = Object.values(notFound.content[PROBLEM].examples)[0].value.instance;
  const required = endpoints(doc).find(({ op }) =>
    parameters(doc, op).some((p) => p.in === 'query' && p.required),
  );
  const cases = [
    { name: 'Missing keys → 401', path: '/advertisers', status: 401, noKeys: true },
    {
      name: 'Invalid keys → 401',
      path: '/credentialscheck',
      status: 401,
      headers: [
        { key: 'X-Integration-Key', value: 'postman-invalid' },
        { key: 'X-Api-Key', value: 'postman-invalid' },
      ],
    },
    { name: 'Bad id → 400', path: '/advertisers/abc', status: 400 },
    { name: 'Bad parameter (status) → 400', path: '/campaigns', query: { status: 'Active' }, status: 400 },
    { name: 'Impossible date → 400', path: '/campaigns', query: { from: '2026-02-30' }, status: 400 },
    { name: 'Missing required parameter → 400', path: required.path, status: 400 },
    { name: 'Unknown format → 400', path: '/advertisers', query: { format: 'yaml' }, status: 400 },
    { name: 'Unknown id → 404', path: unknownIdPath, status: 404 },
    { name: 'format=php → 410', path: '/advertisers', query: { format: 'php' }, status: 410 },
    { name: '.php extension → 410', path: '/advertisers.php', status: 410, unknownPath: true },
    { name: 'Version 0 prefix → 404', path: '/v0.1/advertisers', status: 404, unknownPath: true },
    { name: 'Malformed version prefix → 404', path: '/v2/advertisers', status: 404, unknownPath: true },
    { name: 'Extension is case-sensitive → 404', path: '/advertisers.JSON', status: 404, unknownPath: true },
  ];
  // A path is known when it matches a spec path; the version prefix must match its own patterns
  // (a malformed prefix is an unknown path), any other parameter is any segment (a bad id is a 400).
  const { VersionMajor, VersionMinor } = doc.components.parameters;
  const segment = { major: VersionMajor.schema.pattern, minor: VersionMinor.schema.pattern };
  const templates = Object.keys(doc.paths).map(
    (p) =>
      new RegExp(
        `^${p.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_, n) => (segment[n] ? `(?:${segment[n].replace(/^\^|\$$/g, '')})` : '[^/]+'))}$`,
      ),
  );
  return cases.map((c) => {
    const known = templates.some((t) => t.test(c.path));
    if (known === Boolean(c.unknownPath)) throw new Error(`error case ${c.name}: ${c.path} known=${known}`);
    const query = Object.entries(c.query ?? {}).map(([key, value]) => ({ key, value }));
    const shown = query.map((q) => `${q.key}=${q.value}`).join('&');
    return request(scope, {
      name: `${c.name}: GET ${c.path}${shown ? `?${shown}` : ''}`,
      path: c.path,
      query,
      status: c.status,
      media: PROBLEM,
      noKeys: c.noKeys,
      headers: c.headers,
    });
  });
}

// Collection-level pre-request script: the key pair from the environment, unless the request
// says "No Auth" (operational endpoints, the missing-keys case) or sends its own key headers.
const PRE_REQUEST = [
  '// Adds X-Integration-Key / X-Api-Key from the environment (integrationKey, apiKey), unless the',
  '// request is set to "No Auth" or already sends its own key headers.',
  "const auth = pm.request.auth && pm.request.auth.type === 'noauth' ? 'none' : 'keys';",
  "if (auth === 'keys') {",
  "  for (const [header, variable] of [['X-Integration-Key', 'integrationKey'], ['X-Api-Key', 'apiKey']]) {",
  '    if (!pm.request.headers.has(header)) {',
  "      pm.request.headers.add({ key: header, value: pm.variables.get(variable) || '' });",
  '    }',
  '  }',
  '}',
];

function collection(doc) {
  const name = doc.info.title;
  const tagItems = new Map(doc.tags.map((t) => [t.name, []]));
  for (const endpoint of endpoints(doc)) {
    const tag = endpoint.op.tags?.[0];
    if (!tagItems.has(tag)) throw new Error(`${endpoint.path}: tag ${tag} is not declared`);
    const title = `${endpoint.op.summary} — ${endpoint.path}`;
    const scope = [name, tag, title];
    const description = [endpoint.op.description?.trim(), `operationId: \`${endpoint.op.operationId}\``]
      .concat(endpoint.versioned ? [`versioned: \`${endpoint.versioned.operationId}\``] : [])
      .filter(Boolean)
      .join('\n\n');
    tagItems.get(tag).push(folder([name, tag], title, description, endpointItems(doc, scope, endpoint)));
  }
  const items = doc.tags.map((t) => folder([name], t.name, t.description, tagItems.get(t.name)));
  items.push(
    folder(
      [name],
      'Errors',
      'RFC 9457 problem+json answers: keys, parameters, ids, formats and version prefixes.',
      errorItems(doc, [name, 'Errors']),
    ),
  );
  return {
    info: {
      _postman_id: stableId(name),
      name,
      description: [
        `${doc.info.summary}`,
        `Generated from openapi.yaml (${doc.info.version}) by scripts/generate-postman.mjs; do not edit, run \`npm run postman\`.`,
        'Pick an environment from postman/env/ (baseUrl, integrationKey, apiKey). The collection pre-request script sends the key pair as X-Integration-Key / X-Api-Key unless a request is set to "No Auth" or sends its own key headers.',
      ].join('\n\n'),
      schema: SCHEMA,
    },
    item: items,
    event: [
      {
        listen: 'prerequest',
        script: { id: stableId(name, 'prerequest'), type: 'text/javascript', exec: PRE_REQUEST },
      },
    ],
    variable: [{ id: stableId(name, 'baseUrl'), key: 'baseUrl', value: doc.servers[0].url, type: 'string' }],
  };
}

/** One environment per `servers` entry, named by the first word of its description. */
function environments(doc, keys) {
  const files = {};
  for (const server of doc.servers) {
    const env = server.description.split(/\s/)[0];
    const local = env === 'local';
    const name = `${doc.info.title} (${env})`;
    files[`postman/env/${env}.postman_environment.json`] = {
      id: stableId(name),
      name,
      values: [
        { key: 'baseUrl', value: server.url, type: 'default', enabled: true },
        // Only the local seed's key pair is public; other environments' keys are typed in Postman.
        { key: 'integrationKey', value: local ? keys.int_key : '', type: 'secret', enabled: true },
        { key: 'apiKey', value: local ? keys.api_key : '', type: 'secret', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    };
  }
  return files;
}

/** Biome's JSON formatting, so `npm run lint` accepts the committed files as they are generated. */
function format(path, value, root) {
  const result = spawnSync(join(root, 'node_modules/.bin/biome'), ['format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: `${JSON.stringify(value, null, 2)}\n`,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`biome format ${path}: ${result.stderr}`);
  return result.stdout;
}

export function generate(root = projectRoot) {
  const doc = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(root, 'fixtures/manifest.json'), 'utf8'));
  const files = { [COLLECTION_PATH]: collection(doc), ...environments(doc, manifest.keys.main) };
  return Object.fromEntries(Object.entries(files).map(([path, value]) => [path, format(path, value, root)]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeGenerated(projectRoot, generate(), { command: 'npm run postman', what: 'postman/' });
}
