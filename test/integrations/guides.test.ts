// The guides (docs/guides/*.md) as their readers meet them: every `sh` and `ts` example is run
// against both Workers under wrangler dev (the production URL replaced by the local one, the
// keys from ADVENTIVE_INTEGRATION_KEY / ADVENTIVE_API_KEY as the guides say), and a `text` block
// right after an example is the output it must print. `<!-- example: key=tight, spent -->`
// before an example runs it with the seed's `tight` pair after its allowance is spent. The built
// pages are then fetched over HTTP, with every link in them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexer, type Token } from 'marked';
import { describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { GUIDES_DIR, guideNames, slug } from '../../scripts/build-guides.mjs';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';

const baseUrl = inject('integrationsBaseUrl');
const PRODUCTION = 'https://api.adventive.com';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
  keys: Record<string, { int_key: string; api_key: string }>;
};

interface Example {
  guide: string;
  lang: 'sh' | 'ts';
  code: string;
  output?: string;
  key: string;
  spent: boolean;
}

function examplesOf(guide: string): Example[] {
  const tokens = lexer(readFileSync(join(GUIDES_DIR, `${guide}.md`), 'utf8')).filter(
    (t: Token) => t.type !== 'space',
  );
  const examples: Example[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'code' || (token.lang !== 'sh' && token.lang !== 'ts')) return;
    const next = tokens[i + 1];
    const previous = tokens[i - 1];
    const directive =
      previous?.type === 'html' ? /^<!-- example: (.*) -->/.exec(previous.raw.trim())?.[1] : undefined;
    examples.push({
      guide,
      lang: token.lang,
      code: token.text,
      output: next?.type === 'code' && next.lang === 'text' ? next.text : undefined,
      key: /key=(\w+)/.exec(directive ?? '')?.[1] ?? 'main',
      spent: /\bspent\b/.test(directive ?? ''),
    });
  });
  return examples;
}

const examples = (guideNames() as string[]).flatMap(examplesOf);

async function spend(alias: string) {
  const { int_key, api_key } = manifest.keys[alias]!;
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${baseUrl}/credentialscheck`, {
      headers: { 'X-Integration-Key': int_key, 'X-Api-Key': api_key },
    });
    if (response.status === 429) return;
  }
  throw new Error(`the ${alias} allowance was never spent`);
}

/** Runs one example as a reader would after `export ADVENTIVE_…=…`; returns what it printed. */
function run(example: Example): string {
  const { int_key, api_key } = manifest.keys[example.key]!;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ADVENTIVE_INTEGRATION_KEY: int_key,
    ADVENTIVE_API_KEY: api_key,
  };
  const code = example.code.replaceAll(PRODUCTION, baseUrl);
  if (example.lang === 'sh') {
    return execFileSync('bash', ['-eo', 'pipefail', '-c', code], { env, encoding: 'utf8', timeout: 30_000 });
  }
  // The typed client example imports ./generated/client.ts from the repository's root.
  const dir = join(projectRoot, '.local/guide-examples');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${example.guide}.ts`);
  writeFileSync(
    file,
    code.replace("'./generated/client.ts'", `'${join(projectRoot, 'generated/client.ts')}'`),
  );
  return execFileSync(join(projectRoot, 'node_modules/.bin/node'), [file], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the guides’ examples, run against the Worker', () => {
  it('every guide that shows a request has examples the suite runs, all against the production URL', () => {
    const requests = examples.filter((example) => example.code.includes(PRODUCTION));
    expect(requests.length).toBeGreaterThan(15);
    for (const example of examples) expect(example.code, example.guide).not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it.each(examples.map((example, i) => [`${example.guide} #${i}`, example] as const))(
    '%s',
    async (_name, example) => {
      if (example.spent) await spend(example.key);
      const printed = run(example);
      // A request id is each request's own: the guides show one, and any is that one here.
      const normalised = printed.replace(/"request_id":"[0-9a-f]{16}"/g, '"request_id":"00f067aa0ba902b7"');
      if (example.output !== undefined) expect(normalised.replace(/\n$/, '')).toBe(example.output);
    },
  );
});

describe('the guides as served', () => {
  /** Every href of a page, with the page it is on. */
  const linksOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

  it.each(guideNames() as string[])(
    '/docs/guides/%s.html: served offline, every link answers',
    async (guide) => {
      const response = await fetch(`${baseUrl}/docs/guides/${guide}.html`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).not.toMatch(/<script|<!-- example:/);
      for (const href of linksOf(html)) {
        if (/^https?:\/\//.test(href)) continue;
        const target = new URL(href, `${baseUrl}/docs/guides/${guide}.html`);
        const linked = await fetch(target);
        expect(linked.status, `${guide}: ${href}`).toBe(200);
        if (target.hash && target.pathname.startsWith('/docs/guides/')) {
          const ids = [...(await linked.text()).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
          expect(ids, `${guide}: ${href}`).toContain(target.hash.slice(1));
        }
      }
    },
  );

  it('the reference and its surroundings, as a browser reaches them', async () => {
    // The root stays the legacy's 404, pointing to the reference.
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(404);
    expect(home.headers.get('link')).toBe('</docs>; rel="help"');
    // The asset server answers /docs/* before the Worker; public/_redirects sends /docs/ to /docs.
    const slash = await fetch(`${baseUrl}/docs/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(new URL(slash.headers.get('location')!, baseUrl).pathname).toBe('/docs');
    const docs = await (await fetch(`${baseUrl}/docs`)).text();
    for (const asset of [
      '/docs/reference.json',
      '/docs/redoc.standalone.js',
      '/favicon.ico',
      '/openapi.yaml',
    ]) {
      expect(docs).toContain(`"${asset}"`);
      expect((await fetch(`${baseUrl}${asset}`)).status, asset).toBe(200);
    }
    const view = (await (await fetch(`${baseUrl}/docs/reference.json`)).json()) as { paths: object };
    expect(Object.keys(view.paths)).not.toContain('/v{major}.{minor}/advertisers');
  });

  it('anchors are the headings’ slugs', () => {
    expect(slug('What a 401 says')).toBe('what-a-401-says');
    expect(slug('Rate limits and `Retry-After`')).toBe('rate-limits-and-retry-after');
  });
});
