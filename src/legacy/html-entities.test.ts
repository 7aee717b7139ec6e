import { describe, expect, it } from 'vitest';
import { HTML401_ENTITIES, htmlEntityDecode } from './html-entities';

// [text, html_entity_decode($text, ENT_QUOTES | ENT_HTML401, 'UTF-8')]
const DECODE: [string, string][] = [
  ['no entities', 'no entities'],
  ['R&amp;D &eacute;quipe', 'R&D équipe'],
  ['&lt;b&gt; &quot;q&quot; &#39;s&#039;', `<b> "q" 's'`], // ENT_QUOTES: both quotes
  ['&apos;', '&apos;'], // not an HTML 4.01 entity
  ['&Eacute; &EACUTE;', 'É &EACUTE;'], // names are case-sensitive
  ['&nbsp;&euro;&hellip;&there4;&frac14;', '\u00a0€…∴¼'],
  ['&amp;lt;', '&lt;'], // one pass only
  ['&#65;&#x42;&#X43;&#0000068;', 'ABCD'],
  ['&#x1F680; &#128640;', '🚀 🚀'],
  ['&#13;&#x0D;&#10;&#9;', '\r\r\n\t'],
  ['&#0;&#1;&#127;&#128;&#159;', '&#0;&#1;&#127;&#128;&#159;'], // not allowed in HTML 4.01
  ['&#xD800;&#x110000;&#127;&#x80;', '&#xD800;&#x110000;&#127;&#x80;'],
  // Noncharacters are decoded (PHP 8.2, whatever unicode_cp_is_allowed's comments say).
  ['&#xFFFE;&#xFDD0;&#1114111;', '\uFFFE\uFDD0\u{10FFFF}'],
  ['&#99999999999999999999;', '&#99999999999999999999;'], // strtol overflow
  ['&#65 &#x; &; &bogus; & &amp', '&#65 &#x; &; &bogus; & &amp'], // unterminated or unknown
  ['&&amp;;', '&&;'],
];

describe('html_entity_decode(ENT_QUOTES | ENT_HTML401)', () => {
  it.each(DECODE)('%j → %j', (text, decoded) => {
    expect(htmlEntityDecode(text)).toBe(decoded);
  });

  it('knows the 252 named references of HTML 4.01', () => {
    expect(HTML401_ENTITIES.size).toBe(252);
    expect(HTML401_ENTITIES.get('yuml')).toBe('ÿ');
    expect(HTML401_ENTITIES.get('Yuml')).toBe('Ÿ');
    expect(HTML401_ENTITIES.get('diams')).toBe('♦');
    expect(HTML401_ENTITIES.has('constructor')).toBe(false);
  });
});
