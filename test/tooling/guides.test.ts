// The guides' pages as scripts/build-guides.mjs renders them from docs/guides/*.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { GUIDES_DIR, guideNames, renderGuidePage } from '../../scripts/build-guides.mjs';

describe('the guides', () => {
  it('are the ones the issue asks for, and the index links them all', () => {
    const names = guideNames() as string[];
    for (const name of [
      'looker-studio',
      'google-sheets',
      'tapclicks',
      'windsor-ai',
      'authentication',
      'rate-limits',
      'formats',
      'versions',
      'quickstart',
      'migrating',
    ]) {
      expect(names).toContain(name);
    }
    const index = readFileSync(join(GUIDES_DIR, 'index.md'), 'utf8');
    for (const name of names.filter((n) => n !== 'index')) expect(index).toContain(`(${name}.md)`);
  });

  it('render offline: links between guides become .html, test directions are left out', () => {
    const html = renderGuidePage(
      '# Title\n\nSee [the keys](authentication.md#what-a-401-says).\n\n<!-- example: key=tight, spent -->\n```sh\ncurl -s x\n```\n',
    );
    expect(html).toContain('<title>Title · Adventive Public API</title>');
    expect(html).toContain('<a href="authentication.html#what-a-401-says">the keys</a>');
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).not.toContain('example:');
    expect(html).not.toMatch(/<script|https?:\/\/(?:cdn|unpkg|fonts)/);
  });

  it('hold no key: examples read them from the environment', () => {
    for (const name of guideNames() as string[]) {
      const text = readFileSync(join(GUIDES_DIR, `${name}.md`), 'utf8');
      expect(text, name).not.toMatch(/\b(?:int|api)-acct\d/);
    }
  });
});
