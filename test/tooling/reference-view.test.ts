// The reader's view of openapi.yaml that /docs renders (scripts/build-reference.mjs): each
// endpoint once, by its bare path, nothing of the contract lost for the reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without type declarations
import { readerView } from '../../scripts/build-reference.mjs';

const root = join(import.meta.dirname, '../..');
const spec = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
const view = readerView(spec);
const PREFIX = '/v{major}.{minor}';

describe('the reference view of openapi.yaml', () => {
  it('lists every endpoint once, by its bare path, with the bare operation', () => {
    const bare = Object.keys(spec.paths).filter((path) => !path.startsWith(PREFIX));
    expect(Object.keys(view.paths)).toEqual(bare);
    for (const path of bare) expect(view.paths[path].get.operationId).toBe(spec.paths[path].get.operationId);
    // Every prefixed path of the contract has its bare twin there.
    for (const path of Object.keys(spec.paths).filter((p) => p.startsWith(PREFIX))) {
      expect(bare).toContain(path.slice(PREFIX.length));
    }
  });

  it.each(['/analytics/{campaignId}', '/connector', '/dataconnector'])(
    '%s shows the v1 and the v2 answer, with examples of both',
    (path) => {
      const ok = view.paths[path].get.responses['200'];
      const versioned = spec.paths[`${PREFIX}${path}`].get.responses['200'].$ref.split('/').pop();
      expect(ok.content['application/json'].schema).toEqual(
        spec.components.responses[versioned].content['application/json'].schema,
      );
      for (const content of Object.values(ok.content) as Array<{
        examples: Record<string, { summary: string }>;
      }>) {
        const summaries = Object.values(content.examples).map((e) => e.summary);
        expect(
          summaries.some((s) => s.includes('/v2.0/')),
          path,
        ).toBe(true);
        expect(
          summaries.some((s) => !s.includes('/v2.0/')),
          path,
        ).toBe(true);
      }
    },
  );

  it('states id rules in words, without their regular expressions', () => {
    for (const [name, parameter] of Object.entries(view.components.parameters) as Array<
      [string, { 'x-rule'?: string; schema: { pattern?: string } }]
    >) {
      expect(parameter['x-rule'], name).toBeUndefined();
      if (spec.components.parameters[name]['x-rule']) expect(parameter.schema.pattern, name).toBeUndefined();
    }
    // The contract itself keeps them (the Worker validates with them).
    expect(spec.components.parameters.Id.schema.pattern).toMatch(/^\^0\*/);
  });

  it('leaves the document it was given alone', () => {
    expect(Object.keys(spec.paths).some((path) => path.startsWith(PREFIX))).toBe(true);
  });

  it('links every guide from its introduction, and reads without implementation detail', () => {
    const guides = readFileSync(join(root, 'docs/guides/index.md'), 'utf8');
    for (const [, name] of guides.matchAll(/\]\(([a-z0-9-]+)\.md\)/g)) {
      expect(view.info.description).toContain(`/docs/guides/${name}.html`);
    }
    const text = JSON.stringify(view);
    for (const word of [
      'utf8mb4',
      'kpi_daily',
      'strtotime',
      'fputcsv',
      'json_encode',
      'PHP `round',
      'api.api_key',
    ]) {
      expect(text, word).not.toContain(word);
    }
  });
});
