import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without type declarations
import { COLLECTION_PATH, generate, projectRoot } from '../../scripts/generate-postman.mjs';

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { path: string[]; query?: { key: string; value: string; disabled?: boolean }[] } };
  event?: { listen: string; script: { exec: string[] } }[];
}

const doc = parse(readFileSync(join(projectRoot, 'openapi.yaml'), 'utf8'));
const files: Record<string, string> = generate();
const collection = JSON.parse(files[COLLECTION_PATH]!);

function requests(items: Item[]): Item[] {
  return items.flatMap((i) => (i.item ? requests(i.item) : [i]));
}
const all = requests(collection.item);
const pathOf = (r: Item) => `/${r.request!.url.path.join('/')}`;
const expectedStatus = (r: Item) =>
  Number(
    /to\.have\.status\((\d+)\)/.exec(r.event!.find((e) => e.listen === 'test')!.script.exec.join('\n'))![1],
  );

/** A spec path as a regex over concrete paths; the version prefix by its own parameter patterns. */
function matcher(template: string): RegExp {
  const { VersionMajor, VersionMinor } = doc.components.parameters;
  const segment: Record<string, string> = {
    major: VersionMajor.schema.pattern,
    minor: VersionMinor.schema.pattern,
  };
  const body = template
    .replace(/\./g, '\\.')
    .replace(/\{(\w+)\}/g, (_, name: string) =>
      segment[name] ? `(?:${segment[name].replace(/^\^|\$$/g, '')})` : '[^/.]+',
    );
  return new RegExp(`^${body}$`);
}

describe('postman/', () => {
  it('is what `npm run postman` makes from openapi.yaml today', () => {
    expect(Object.keys(files).sort()).toEqual([
      'postman/adventive-public-api.json',
      'postman/env/dev.postman_environment.json',
      'postman/env/local.postman_environment.json',
      'postman/env/prd.postman_environment.json',
      'postman/env/stg.postman_environment.json',
    ]);
    for (const [path, contents] of Object.entries(files)) {
      const onDisk = readFileSync(join(projectRoot, path), 'utf8');
      expect(onDisk === contents, `${path} is stale: run npm run postman`).toBe(true);
    }
  });

  it('has a successful request for every operation of the spec, each format of its 200 response', () => {
    for (const [template, item] of Object.entries<Record<string, { operationId: string; responses: object }>>(
      doc.paths,
    )) {
      for (const op of Object.values(item)) {
        const hits = all.filter((r) => expectedStatus(r) === 200 && matcher(template).test(pathOf(r)));
        expect(hits.length, `${op.operationId} (${template}) has no request`).toBeGreaterThan(0);
        const formats = hits.flatMap((r) => r.request!.url.query ?? []).filter((q) => q.key === 'format');
        if (formats.length)
          expect(formats.map((q) => q.value).sort()).toEqual(expect.arrayContaining(['csv', 'json', 'xml']));
      }
    }
  });

  it('expects only statuses the spec documents for the operation', () => {
    for (const r of all) {
      const template = Object.keys(doc.paths).find((t) => matcher(t).test(pathOf(r)));
      if (!template) continue; // an unknown path is the error case itself (404)
      expect(Object.keys(doc.paths[template].get.responses), r.name).toContain(String(expectedStatus(r)));
    }
  });

  it('has unique, stable ids and the error cases the contract lists', () => {
    const ids = JSON.stringify(collection).match(/"(?:id|_postman_id)":"[^"]+"/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    const errors = collection.item.find((i: Item) => i.name === 'Errors');
    expect(requests(errors.item).map(expectedStatus)).toEqual(expect.arrayContaining([400, 401, 404, 410]));
  });

  it('takes each environment from `servers`; only local carries the seed keys', () => {
    for (const server of doc.servers as { url: string; description: string }[]) {
      const env = server.description.split(/\s/)[0];
      const values = JSON.parse(files[`postman/env/${env}.postman_environment.json`]!).values as {
        key: string;
        value: string;
      }[];
      const value = (key: string) => values.find((v) => v.key === key)?.value;
      expect(value('baseUrl')).toBe(server.url);
      if (env === 'local') expect(value('integrationKey')).not.toBe('');
      else expect([value('integrationKey'), value('apiKey')]).toEqual(['', '']);
    }
  });
});
