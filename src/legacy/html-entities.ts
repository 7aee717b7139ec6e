// PHP 8.2 `html_entity_decode($s, ENT_QUOTES | ENT_HTML401, 'UTF-8')` (ext/standard/html.c
// `traverse_for_entities`), which the legacy XML writer applied to every value before escaping it.

// The 252 named character references of HTML 4.01 (PHP's ent_ht_html4 table; `&apos;` is not one
// of them). Names are case-sensitive.
const LATIN1_FROM_160 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde ' +
  'Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute ' +
  'Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde ' +
  'auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ' +
  'ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const SYMBOLS_AND_SPECIALS =
  // HTMLspecial
  'quot:34 amp:38 lt:60 gt:62 OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 circ:710 tilde:732 ' +
  'ensp:8194 emsp:8195 thinsp:8201 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 ndash:8211 mdash:8212 ' +
  'lsquo:8216 rsquo:8217 sbquo:8218 ldquo:8220 rdquo:8221 bdquo:8222 dagger:8224 Dagger:8225 ' +
  'permil:8240 lsaquo:8249 rsaquo:8250 euro:8364 ' +
  // HTMLsymbol: Latin, Greek
  'fnof:402 Alpha:913 Beta:914 Gamma:915 Delta:916 Epsilon:917 Zeta:918 Eta:919 Theta:920 Iota:921 ' +
  'Kappa:922 Lambda:923 Mu:924 Nu:925 Xi:926 Omicron:927 Pi:928 Rho:929 Sigma:931 Tau:932 Upsilon:933 ' +
  'Phi:934 Chi:935 Psi:936 Omega:937 alpha:945 beta:946 gamma:947 delta:948 epsilon:949 zeta:950 ' +
  'eta:951 theta:952 iota:953 kappa:954 lambda:955 mu:956 nu:957 xi:958 omicron:959 pi:960 rho:961 ' +
  'sigmaf:962 sigma:963 tau:964 upsilon:965 phi:966 chi:967 psi:968 omega:969 thetasym:977 upsih:978 ' +
  'piv:982 ' +
  // punctuation, letterlike, arrows
  'bull:8226 hellip:8230 prime:8242 Prime:8243 oline:8254 frasl:8260 weierp:8472 image:8465 ' +
  'real:8476 trade:8482 alefsym:8501 larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 crarr:8629 ' +
  'lArr:8656 uArr:8657 rArr:8658 dArr:8659 hArr:8660 ' +
  // mathematical operators, technical, geometric, suits
  'forall:8704 part:8706 exist:8707 empty:8709 nabla:8711 isin:8712 notin:8713 ni:8715 prod:8719 ' +
  'sum:8721 minus:8722 lowast:8727 radic:8730 prop:8733 infin:8734 ang:8736 and:8743 or:8744 cap:8745 ' +
  'cup:8746 int:8747 there4:8756 sim:8764 cong:8773 asymp:8776 ne:8800 equiv:8801 le:8804 ge:8805 ' +
  'sub:8834 sup:8835 nsub:8836 sube:8838 supe:8839 oplus:8853 otimes:8855 perp:8869 sdot:8901 ' +
  'lceil:8968 rceil:8969 lfloor:8970 rfloor:8971 lang:9001 rang:9002 loz:9674 spades:9824 clubs:9827 ' +
  'hearts:9829 diams:9830';

/** Entity name → decoded text. */
export const HTML401_ENTITIES: ReadonlyMap<string, string> = new Map([
  ...LATIN1_FROM_160.split(' ').map((name, i): [string, string] => [name, String.fromCharCode(160 + i)]),
  ...SYMBOLS_AND_SPECIALS.split(' ').map((pair): [string, string] => {
    const [name, code] = pair.split(':') as [string, string];
    return [name, String.fromCharCode(Number(code))];
  }),
]);

// unicode_cp_is_allowed(cp, ENT_HTML_DOC_HTML401): which numeric references may be decoded. As
// PHP 8.2 answers for every code point (src/legacy/php-ports.test.ts): noncharacters (U+FDD0,
// U+FFFE, U+10FFFF…) are decoded, C0 controls but tab, LF and CR, DEL, C1 and surrogates are not.
function allowedInHtml401(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x0a ||
    cp === 0x09 ||
    cp === 0x0d ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0x10ffff)
  );
}

// `&name;`, `&#NNN;`, `&#xHHH;` (x or X). Each candidate is resolved alone; an invalid one stays
// literal, and since it cannot contain another `&`, scanning resumes exactly where PHP resumes.
const REFERENCE = /&(?:#(?:([0-9]+)|[xX]([0-9A-Fa-f]+))|([A-Za-z0-9]+));/g;

function decodeReference(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return HTML401_ENTITIES.get(name) ?? match;
  // strtol: an overflowing run of digits exceeds 0x10FFFF like any large value.
  const cp = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
  return cp <= 0x10ffff && allowedInHtml401(cp) ? String.fromCodePoint(cp) : match;
}

// html_entity_decode(ENT_QUOTES | ENT_HTML401, 'UTF-8'): named HTML 4.01 references and numeric
// references to characters HTML 4.01 allows, in one pass (`&amp;lt;` → `&lt;`).
export function htmlEntityDecode(text: string): string {
  return text.includes('&') ? text.replace(REFERENCE, decodeReference) : text;
}
