import { describe, expect, it } from 'vitest';
import type { LegacyObject, LegacyScalar } from './types';
import { toXml, xmlAround, xmlElement, xmlItemName, xmlText } from './xml';

// [value, what Format::to_xml writes between <name> and </name>]
const TEXT: [LegacyScalar, string][] = [
  ['Acme & Sons', 'Acme &amp; Sons'],
  ['Bistro <Le Gourmet>', 'Bistro &lt;Le Gourmet&gt;'],
  ['R&amp;D &eacute;quipe', 'R&amp;D équipe'], // entities in the data are decoded first
  ['&lt;b&gt;', '&lt;b&gt;'], // decoded, then escaped again
  ['&amp;lt;', '&amp;lt;'],
  ['&apos; &nbsp;', '&amp;apos; \u00a0'],
  ['Launch "Director"', 'Launch "Director"'], // quotes literal
  ["O'Connor &quot;&#39;", `O'Connor "'`],
  ['a\r\nb\tc', 'a&#13;\nb\tc'], // only CR becomes a character reference
  ['&#13;', '&#13;'],
  ['x ]]> y', 'x ]]&gt; y'],
  ['C:\\Campaigns\\"2027" ]]>', 'C:\\Campaigns\\"2027" ]]&gt;'],
  ['Rocket 🚀 Labs ⚡ Café', 'Rocket 🚀 Labs ⚡ Café'], // raw UTF-8
  ['https://x.example/?a=1&b=2', 'https://x.example/?a=1&amp;b=2'],
  ['a\u0000b', 'a'], // addChild() takes a C string
  ['\u0001', '\u0001'],
  [true, '1'],
  [false, '0'],
  [null, ''],
  [0, '0'],
  [5_000_000_000, '5000000000'],
  [1.01, '1.01'],
  [0.1 + 0.2, '0.3'], // strval, precision 14
  ['', ''],
];

describe('XML text of a scalar', () => {
  it.each(TEXT)('%j → %j', (value, text) => {
    expect(xmlText(value)).toBe(text);
  });

  it('writes an empty value as a self-closing element', () => {
    expect(xmlElement('website', null)).toBe('<website/>');
    expect(xmlElement('name', '')).toBe('<name/>');
    expect(xmlElement('flag', false)).toBe('<flag>0</flag>');
    expect(xmlElement('cut', '\u0000tail')).toBe('<cut/>');
  });
});

describe('Format::to_xml structure', () => {
  it('writes the document: prolog, <xml> root, no whitespace, trailing LF', () => {
    expect(toXml({ status: true })).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<xml><status>1</status></xml>\n',
    );
    expect(toXml({ data: [] })).toBe('<?xml version="1.0" encoding="utf-8"?>\n<xml><data/></xml>\n');
    expect(toXml({})).toBe('<?xml version="1.0" encoding="utf-8"?>\n<xml/>\n');
  });

  it('names list items singular(parent), or item when that is the parent', () => {
    const doc = toXml({
      data: [
        {
          id: '1',
          contacts: [{ id: '2' }],
          sites: [{ placements: [{ ad_units: [{ delivery_groups: [{ id: '3' }, {}] }] }] }],
        },
      ],
    });
    expect(doc).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<xml><data><item><id>1</id><contacts><contact><id>2</id></contact></contacts>' +
        '<sites><site><placements><placement><ad_units><ad_unit><delivery_groups><delivery_group><id>3</id>' +
        '</delivery_group><delivery_group/></delivery_groups></ad_unit></ad_units></placement></placements></site>' +
        '</sites></item></data></xml>\n',
    );
    expect(xmlItemName('xml')).toBe('item');
    expect(xmlItemName('data')).toBe('item');
    expect(xmlItemName('statuses')).toBe('status');
  });

  it('treats numeric keys as list items and strips other characters from names', () => {
    expect(xmlElement('contacts', { '0': 'a', ' 1.5e3 ': 'b', 'x y:z-é_1': 'c' })).toBe(
      '<contacts><contact>a</contact><contact>b</contact><xyz-_1>c</xyz-_1></contacts>',
    );
  });
});

describe('xmlAround: the document split around a list, for a streamed renderer', () => {
  it('head + items + tail is toXml; without items, `empty` is', () => {
    const list: LegacyObject[] = [];
    const value = { status: true, data: list, note: 'R&amp;D' };
    const around = xmlAround(value, list);
    expect(around.itemName).toBe('item');
    expect(around.empty).toBe(toXml({ ...value, data: [] }));
    const rows = [
      { id: '1', name: 'Acme & Sons' },
      { id: '2', name: '' },
    ];
    for (const items of [rows.slice(0, 1), rows]) {
      const streamed =
        around.head + items.map((item) => xmlElement(around.itemName, item)).join('') + around.tail;
      expect(streamed).toBe(toXml({ ...value, data: items }));
    }
  });
});
