#!/usr/bin/env node
// Renders the guides (docs/guides/*.md) to HTML pages in the Worker's static assets
// (public/docs/guides/, a gitignored build output) with marked, so /docs/guides/… is served
// offline beside the API reference: no CDN, no script, one small stylesheet inline.
// Links between guides are written `name.md` (they work on GitHub too) and become `name.html`.
// `<!-- example: … -->` comments are directions for the tests that run the examples; they are
// left out of the pages.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GUIDES_DIR = join(root, 'docs/guides');
export const GUIDES_OUT = join(root, 'public/docs/guides');

/** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces → `-`. */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .trim()
    .replace(/ /g, '-');
}

const escapeHtml = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function markedForGuides() {
  const marked = new Marked({ gfm: true });
  marked.use({
    walkTokens(token) {
      if (token.type === 'link' && /^[a-z0-9-]+\.md(?:#|$)/.test(token.href)) {
        token.href = token.href.replace(/\.md(?=#|$)/, '.html');
      }
    },
    renderer: {
      heading({ tokens, depth, text }) {
        return `<h${depth} id="${slug(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
    },
  });
  return marked;
}

const STYLE = `
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
header { background: #32329f; color: #fff; padding: 0.6rem 1.5rem; }
header a { color: #fff; margin-right: 1.2rem; text-decoration: none; font-weight: 600; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
code, pre { font: 0.9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
:not(pre) > code { background: #f0f1f4; padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 0.8rem 1rem; overflow-x: auto; border-radius: 6px; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
a { color: #32329f; }
`;

/** One guide as a complete HTML page. */
export function renderGuidePage(markdown) {
  const source = markdown.replace(/^<!-- example:[^>]*-->\n/gm, '');
  const title = /^# (.+)$/m.exec(source)?.[1] ?? 'Guide';
  const body = markedForGuides().parse(source);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} · Adventive Public API</title>
    <link rel="icon" href="/favicon.ico" />
    <style>${STYLE}</style>
  </head>
  <body>
    <header><a href="/docs">API reference</a><a href="/docs/guides/index.html">Guides</a></header>
    <main>
${body}    </main>
  </body>
</html>
`;
}

/** The guides' names (file names without `.md`). */
export function guideNames() {
  return readdirSync(GUIDES_DIR)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.slice(0, -3))
    .sort();
}

export function buildGuides() {
  rmSync(GUIDES_OUT, { recursive: true, force: true });
  mkdirSync(GUIDES_OUT, { recursive: true });
  for (const name of guideNames()) {
    const markdown = readFileSync(join(GUIDES_DIR, `${name}.md`), 'utf8');
    writeFileSync(join(GUIDES_OUT, `${name}.html`), renderGuidePage(markdown));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildGuides();
