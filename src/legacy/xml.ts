// The legacy XML body: CodeIgniter Rest Server 3.1.7 `Format::to_xml` (SimpleXML) of the whole PHP
// array, CONTRACT §3.4. Hand-written on purpose: no XML library reproduces the chain PHP applied to
// every value (html_entity_decode, htmlspecialchars, then libxml re-parsing entities on addChild and
// escaping only & < > and CR on output), nor CodeIgniter's singular() element names.
import { htmlEntityDecode } from './html-entities';
import { singular } from './inflector';
import { phpStrval } from './php-string';
import {
  isPhpArray,
  type LegacyObject,
  type LegacyPartRules,
  type LegacyScalar,
  type LegacyValue,
} from './types';

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** What SimpleXML's asXML() writes before the root element. */
export const XML_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';

// Format::to_xml + asXML(): `<?xml …?>` LF `<xml>…</xml>` LF, members in order, no whitespace.
export function toXml(value: LegacyObject): string {
  const out = [XML_PROLOG];
  writeElement(out, 'xml', value);
  out.push('\n');
  return out.join('');
}

// One element as to_xml writes it for `$key => $value` (`name` already cleaned): arrays become child
// elements recursively, list items named xmlItemName(name); an empty array or empty text → `<name/>`.
export function xmlElement(name: string, value: LegacyValue): string {
  const out: string[] = [];
  writeElement(out, name, value);
  return out.join('');
}

// Appends to `out` rather than concatenating: large documents would otherwise build deep ropes.
// `hole` (see xmlAround): that list, by identity, is written without its items: split leaves a
// marker between its tags, empty writes it as an empty list.
function writeElement(out: string[], name: string, value: LegacyValue, hole?: XmlHole): void {
  if (!isPhpArray(value)) {
    const text = xmlText(value);
    out.push(text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`);
    return;
  }
  const open = out.length;
  out.push(`<${name}>`);
  if (Array.isArray(value)) {
    const itemName = xmlItemName(name);
    const isHole = value === hole?.list;
    if (isHole && hole.split) {
      hole.at = out.length;
      hole.itemName = itemName;
      out.push(`</${name}>`);
      return;
    }
    if (!isHole) for (const item of value) writeElement(out, itemName, item, hole);
  } else {
    // (A member named `_attributes` would become attributes in to_xml; this API has none.)
    for (const key in value) writeElement(out, xmlMemberName(key, name), value[key]!, hole);
  }
  if (out.length === open + 1) out[open] = `<${name}/>`;
  else out.push(`</${name}>`);
}

/**
 * The member elements of an object as to_xml writes them inside its element `name` ('' when it
 * has none). An element given in parts (LegacyRowParts), its parts' members written by
 * xmlPartRules(name), is the bytes xmlElement gives for the merged object.
 */
export function xmlMembers(name: string, value: LegacyObject): string {
  const out: string[] = [];
  for (const key in value) writeElement(out, xmlMemberName(key, name), value[key]!);
  return out.join('');
}

/** The element `name` from its parts' members (xmlMembers); none at all is an empty element. */
export function xmlPartRules(name: string): LegacyPartRules {
  return { open: `<${name}>`, separator: '', close: `</${name}>`, empty: `<${name}/>` };
}

interface XmlHole {
  list: LegacyValue[];
  split: boolean;
  at: number;
  itemName: string;
}

/**
 * toXml of `value` split around `list` (one of its lists, by identity; its items are ignored), for
 * a renderer that writes that list's items itself: for one item or more,
 * `head + items.map((item) => xmlElement(itemName, item)).join('') + tail` is toXml of `value` with
 * `list` holding them. Without items the list is an empty element (`<data/>`), which changes the
 * bytes before it: that whole body is `empty`.
 */
export function xmlAround(
  value: LegacyObject,
  list: LegacyValue[],
): { head: string; itemName: string; tail: string; empty: string } {
  const write = (split: boolean) => {
    const out = [XML_PROLOG];
    const hole: XmlHole = { list, split, at: -1, itemName: '' };
    writeElement(out, 'xml', value, hole);
    out.push('\n');
    return { out, hole };
  };
  const { out, hole } = write(true);
  if (hole.at < 0) throw new TypeError('xmlAround: the list is not part of the value');
  return {
    head: out.slice(0, hole.at).join(''),
    itemName: hole.itemName,
    tail: out.slice(hole.at).join(''),
    empty: write(false).out.join(''),
  };
}

// to_xml names numeric keys (list items) singular(parent) when that differs, else `item`; CI treats
// `data` as uncountable, so the rows under <data> are <item>.
export function xmlItemName(parent: string): string {
  return memoize(itemNames, parent, (p) => {
    const name = singular(p);
    return name === p ? 'item' : name;
  });
}

// PHP is_numeric() for a string key (PHP 8: leading and trailing whitespace allowed).
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/;
const CLEAN_NAME = /^[A-Za-z0-9_-]+$/;

// Names repeat on every row: member names (null for numeric keys) and item names are memoized,
// bounded because keys could in principle come from data.
const memberNames = new Map<string, string | null>();
const itemNames = new Map<string, string>();
function memoize<V>(cache: Map<string, V>, key: string, compute: (key: string) => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute(key);
  if (cache.size < 1024) cache.set(key, value);
  return value;
}

// to_xml element name for a member: numeric keys are list items, others keep [A-Za-z0-9_-] only.
function xmlMemberName(key: string, parent: string): string {
  const name = memoize(memberNames, key, (k) =>
    NUMERIC.test(k) ? null : CLEAN_NAME.test(k) ? k : k.replace(/[^A-Za-z0-9_-]/g, ''),
  );
  return name ?? xmlItemName(parent);
}

// What a scalar becomes as element text: bools as 1/0 (to_xml casts them to int), other scalars
// through strval(), then htmlspecialchars(html_entity_decode(…)) re-parsed by libxml (net effect:
// entities decoded) and libxml's text escaping on output.
export function xmlText(value: LegacyScalar): string {
  let text = typeof value === 'boolean' ? (value ? '1' : '0') : phpStrval(value);
  text = htmlEntityDecode(text);
  // addChild() hands libxml a C string: anything after a NUL byte is lost.
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  return escapeXmlText(text);
}

const XML_SPECIAL = /[&<>\r]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

// libxml2 xmlEscapeContent (document encoding utf-8): & < > and CR escaped; quotes, tab, LF and
// non-ASCII written as they are.
function escapeXmlText(text: string): string {
  return /[&<>\r]/.test(text) ? text.replace(XML_SPECIAL, (ch) => XML_ESCAPES[ch]!) : text;
}
