// Strings that production holds and that the output formats escape, decode or mangle: XML entities
// (the legacy XML decodes entities before encoding; numeric ones to noncharacters too), `]]>`,
// control characters, CR/LF, tab, quotes, commas, backslashes, slashes (JSON escapes them),
// U+2028/2029 (json_encode escapes them even unescaped), noncharacters, a BOM, C1 controls,
// zero-width and combining characters, non-BMP emoji, non-Latin scripts, formula
// leaders, numeric-looking text, empty and very long values, and spellings equal under
// utf8mb4_unicode_ci (ORDER BY ties).
import type { Random } from './random.ts';

const WORDS = [
  'Acme',
  'acme',
  'ACME',
  'Ácme',
  'acme ',
  'Blue Fin',
  'Zeta',
  'zeta',
  'Ärger',
  'Oak & Co',
  'été',
  'ete',
];

const SPECIALS = [
  '',
  ' ',
  'a,b',
  '"quoted"',
  "it's",
  'back\\slash',
  'a/b/c',
  'http://example.com/path?x=1&y=2',
  'tab\there',
  'line\nbreak',
  'cr\rlf\r\n',
  '<b>bold</b>',
  '&amp;',
  '&amp;amp;',
  '&lt;tag&gt;',
  '&#39;&#x41;&#0;',
  '&#xFFFE;&#xFDD0;&#1114111;&#127;',
  '&copy; &nbsp; &unknown; &AMP;',
  '&',
  ']]>',
  '<![CDATA[x]]>',
  'ctl\u0001\u001f\u007f',
  'nul\u0000byte',
  'sep\u2028\u2029',
  'nonchar\uFFFE\uFFFF\uFDD0',
  '\uFEFFbom',
  'c1\u0080\u0085\u009f',
  'zero\u200bwidth\u200d',
  'nfd e\u0301 vs \u00e9',
  '\u{10FFFF}\u{E0001}',
  '😀 emoji 🎉',
  'Привет мир',
  '日本語の名前',
  'עברית',
  'مرحبا',
  '=SUM(A1:A2)',
  '+1 555',
  '-42',
  '@handle',
  '123',
  '0012',
  '1e3',
  '1.50',
  '  padded  ',
  'percent %20 +plus',
  '{"json":true}',
  'Array',
  'null',
  'trailing space ',
  'x'.repeat(255),
  'é'.repeat(120),
];

export function nastyString(r: Random, maxLength = 255): string {
  const s = r.weighted<() => string>([
    [5, () => `${r.pick(WORDS)} ${r.int(1, 99)}`],
    [3, () => r.pick(WORDS)],
    [6, () => r.pick(SPECIALS)],
    [2, () => `${r.pick(WORDS)}${r.pick(SPECIALS)}`],
  ])();
  // VARCHAR(n) counts characters; keep within the column.
  return [...s].slice(0, maxLength).join('');
}

export function maybeNull<T>(r: Random, p: number, value: () => T): T | null {
  return r.chance(p) ? null : value();
}
