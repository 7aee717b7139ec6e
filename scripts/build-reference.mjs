#!/usr/bin/env node
// The reader's view of openapi.yaml that /docs renders (public/docs/reference.json, a gitignored
// build output). openapi.yaml describes every path twice, bare and under /v{major}.{minor}, because
// the Worker, the generated code and the tests need both; a reader needs each endpoint once and the
// version prefix explained once (in the introduction). So the view keeps the bare operations, and
// where v2 answers differently (/analytics, /connector, /dataconnector) the bare operation shows the
// versioned answer with both its v1 and v2 examples. Parameters whose rule is stated in words
// (`x-rule`) drop their regular expression. Nothing else changes: /openapi.json stays the contract.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REFERENCE_OUT = join(root, 'public/docs/reference.json');
const PREFIX = '/v{major}.{minor}';

const deref = (doc, node) =>
  node.$ref ? doc.components.responses[node.$ref.slice('#/components/responses/'.length)] : node;

/** The view of `spec` (a parsed openapi.yaml) that the reference shows. */
export function readerView(spec) {
  const doc = structuredClone(spec);
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(`${PREFIX}/`)) continue;
    const bare = doc.paths[path.slice(PREFIX.length)];
    if (!bare) throw new Error(`${path} has no bare path`);
    const versionedOk = item.get.responses['200'];
    const bareOk = bare.get.responses['200'];
    if (versionedOk.$ref !== bareOk.$ref) {
      const merged = structuredClone(deref(doc, versionedOk));
      for (const [media, content] of Object.entries(merged.content)) {
        const v1 = deref(doc, bareOk).content[media]?.examples ?? {};
        for (const [name, example] of Object.entries(v1)) {
          content.examples[name in content.examples ? `${name}V1` : name] = example;
        }
      }
      bare.get.responses['200'] = merged;
    }
    delete doc.paths[path];
  }
  for (const parameter of Object.values(doc.components.parameters)) {
    if (!parameter['x-rule']) continue;
    delete parameter['x-rule'];
    delete parameter.schema.pattern;
  }
  return doc;
}

export function buildReference() {
  const spec = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
  mkdirSync(dirname(REFERENCE_OUT), { recursive: true });
  writeFileSync(REFERENCE_OUT, JSON.stringify(readerView(spec)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildReference();
