#!/usr/bin/env node
// Records PHP 8.2's own answers for the preg_match emulation (src/legacy/php-preg/), once, into
// committed files the tests read without PHP:
//   src/legacy/php-preg/unicode.ts  which bytes each \p{name} matches (PCRE2 8-bit, no UTF)
//   src/legacy/php-preg/cases.json  preg_match($regex, $subject) for generated regexes and subjects,
//                                   and the legacy's render_json (body, Content-Type) for JSONP
//                                   callbacks (../shared/legacy/oracle/lib/format.php)
// Run: node scripts/php-preg-record.mjs   (needs php 8.2 with PCRE2 10.42: installed with apt
// when missing, as the differential parity run does). Deterministic: seeded generators.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePhp, oracleDir } from './legacy-oracle.mjs';
import { projectRoot } from './local-db.mjs';

// PCRE2 10.42's property names (pcre2_ucptables.c utt_names), as get_ucp looks them up.
const PROPERTY_NAMES =
  `adlam adlm aghb ahex ahom alpha alphabetic anatolianhieroglyphs any arab arabic armenian armi armn
ascii asciihexdigit avestan avst bali balinese bamu bamum bass bassavah batak batk beng bengali
bhaiksuki bhks bidial bidian bidib bidibn bidic bidicontrol bidics bidien bidies bidiet bidifsi
bidil bidilre bidilri bidilro bidim bidimirrored bidinsm bidion bidipdf bidipdi bidir bidirle
bidirli bidirlo bidis bidiws bopo bopomofo brah brahmi brai braille bugi buginese buhd buhid c cakm
canadianaboriginal cans cari carian cased caseignorable caucasianalbanian cc cf chakma cham
changeswhencasefolded changeswhencasemapped changeswhenlowercased changeswhentitlecased
changeswhenuppercased cher cherokee chorasmian chrs ci cn co common copt coptic cpmn cprt cs
cuneiform cwcf cwcm cwl cwt cwu cypriot cyprominoan cyrillic cyrl dash defaultignorablecodepoint dep
deprecated deseret deva devanagari di dia diacritic diak divesakuru dogr dogra dsrt dupl duployan
ebase ecomp egyp egyptianhieroglyphs elba elbasan elym elymaic emod emoji emojicomponent
emojimodifier emojimodifierbase emojipresentation epres ethi ethiopic ext extendedpictographic
extender extpict geor georgian glag glagolitic gong gonm goth gothic gran grantha graphemebase
graphemeextend graphemelink grbase greek grek grext grlink gujarati gujr gunjalagondi gurmukhi guru
han hang hangul hani hanifirohingya hano hanunoo hatr hatran hebr hebrew hex hexdigit hira hiragana
hluw hmng hmnp hung idc idcontinue ideo ideographic ids idsb idsbinaryoperator idst idstart
idstrinaryoperator imperialaramaic inherited inscriptionalpahlavi inscriptionalparthian ital java
javanese joinc joincontrol kaithi kali kana kannada katakana kayahli khar kharoshthi
khitansmallscript khmer khmr khoj khojki khudawadi kits knda kthi l l& lana lao laoo latin latn lc
lepc lepcha limb limbu lina linb lineara linearb lisu ll lm lo loe logicalorderexception lower
lowercase lt lu lyci lycian lydi lydian m mahajani mahj maka makasar malayalam mand mandaic mani
manichaean marc marchen masaramgondi math mc me medefaidrin medf meeteimayek mend mendekikakui merc
mero meroiticcursive meroitichieroglyphs miao mlym mn modi mong mongolian mro mroo mtei mult multani
myanmar mymr n nabataean nand nandinagari narb nbat nchar nd newa newtailue nko nkoo nl no
noncharactercodepoint nshu nushu nyiakengpuachuehmong ogam ogham olchiki olck oldhungarian olditalic
oldnortharabian oldpermic oldpersian oldsogdian oldsoutharabian oldturkic olduyghur oriya orkh orya
osage osge osma osmanya ougr p pahawhhmong palm palmyrene patsyn patternsyntax patternwhitespace
patws pauc paucinhau pc pcm pd pe perm pf phag phagspa phli phlp phnx phoenician pi plrd po
prependedconcatenationmark prti ps psalterpahlavi qaac qaai qmark quotationmark radical
regionalindicator rejang ri rjng rohg runic runr s samaritan samr sarb saur saurashtra sc sd
sentenceterminal sgnw sharada shavian shaw shrd sidd siddham signwriting sind sinh sinhala sk sm so
softdotted sogd sogdian sogo sora sorasompeng soyo soyombo space sterm sund sundanese sylo
sylotinagri syrc syriac tagalog tagb tagbanwa taile taitham taiviet takr takri tale talu tamil taml
tang tangsa tangut tavt telu telugu term terminalpunctuation tfng tglg thaa thaana thai tibetan tibt
tifinagh tirh tirhuta tnsa toto ugar ugaritic uideo unifiedideograph unknown upper uppercase vai
vaii variationselector vith vithkuqi vs wancho wara warangciti wcho whitespace wspace xan xidc
xidcontinue xids xidstart xpeo xps xsp xsux xuc xwd yezi yezidi yi yiii z zanabazarsquare zanb zinh
zl zp zs zyyy zzzz`.split(/\s+/);

function php(script, input) {
  return execFileSync('php', ['-d', 'display_errors=stderr', '-r', script], {
    input,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
}

// A JS string as the bytes PHP sees (UTF-8), each byte one char: the tables store binary strings.
const binary = (text) => Buffer.from(text, 'utf8').toString('latin1');

// ---- Unicode properties ----------------------------------------------------------------------

function recordProperties() {
  const masks = JSON.parse(
    php(
      `$out = [];
       foreach (json_decode(stream_get_contents(STDIN)) as $key) {
         if (@preg_match('/\\p{' . $key . '}/', 'x') === false) { $out[$key] = null; continue; }
         $mask = '';
         for ($b = 0; $b < 256; $b++) $mask .= @preg_match('/^\\p{' . $key . '}/', chr($b)) ? '1' : '0';
         $out[$key] = $mask;
       }
       echo json_encode($out);`,
      JSON.stringify(PROPERTY_NAMES.flatMap((n) => [n, `sc:${n}`])),
    ),
  );
  const hexes = [];
  const entries = [];
  for (const name of PROPERTY_NAMES) {
    const bits = masks[name];
    if (bits === null) throw new Error(`PHP does not know \\p{${name}}: not PCRE2 10.42?`);
    const script = masks[`sc:${name}`];
    if (script !== null && script !== bits)
      throw new Error(`\\p{sc:${name}} differs from \\p{${name}} below 256`);
    let hex = '';
    for (let i = 0; i < 256; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
    if (!hexes.includes(hex)) hexes.push(hex);
    entries.push(`${name}=${hexes.indexOf(hex)}${script !== null ? '*' : ''}`);
  }
  const lines = [];
  let line = '';
  for (const entry of entries) {
    if (line && line.length + entry.length + 1 > 95) {
      lines.push(`${line} `);
      line = '';
    }
    line += (line ? ' ' : '') + entry;
  }
  lines.push(line);
  const source = `// Generated by scripts/php-preg-record.mjs from PHP 8.2 (PCRE2 10.42, Unicode 14): which bytes
// \\p{name} matches in PCRE2's 8-bit non-UTF mode (a byte is the code point U+0000-U+00FF).
// Do not edit.

/** 256-bit masks, 64 hex digits, byte 0 first (the high bit of the first digit). */
export const PROPERTY_MASKS: readonly string[] = [
${hexes.map((h) => `  '${h}',`).join('\n')}
];

/** PCRE2's property names (lower case, no separators): \`name=mask\`, \`*\` for a script (sc:, scx:). */
export const PROPERTY_NAMES =
${lines.map((l) => `  '${l}'`).join(' +\n')};
`;
  writeFileSync(join(projectRoot, 'src/legacy/php-preg/unicode.ts'), source);
  return entries.length;
}

// ---- Generated regexes ------------------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Hand-picked: each PCRE2 construct PHP accepts or refuses, at the start of JSON-like subjects.
// biome-ignore format: a table, one line of entries per group
const CURATED = [
  // delimiters and modifiers (php_pcre.c)
  '/a/', '/a/i', '/a/ i', '/a/\n', '/a/e', '/a/q', '/a/\u0000', ' /a/', '#a#', '(a)', '{a}', '[a]', '<a>',
  '(a(b)c)', 'aba', '\\a\\', '/a', '/a\\/', '/a\\\\/', '/a/b/', '', '/', '//', '/a/imsxADSUXnJ', '/a/xx',
  // literals and escapes
  '/^\\{/', '/^\\x7b/', '/^\\x{7b}/', '/^\\x{}/', '/^\\x{100}/', '/^\\x{07b/', '/^\\xz/', '/^\\x/',
  '/^\\173/', '/^\\0173/', '/^\\o{173}/', '/^\\o{}/', '/^\\o173/', '/^\\400/', '/^\\377/', '/^\\8/', '/^\\9/',
  '/^\\1/', '/^\\11/', '/^(a)\\11/', '/^\\18/', '/^\\81/', '/^\\cA/', '/^\\ca/', '/^\\c{/', '/^\\c/',
  '/^\\c\u00e9/', '/^\\e\\f\\n\\r\\t\\a/', '/^\\y/', '/^\\i/', '/^\\F/', '/^\\L/', '/^\\l/', '/^\\u0041/',
  '/^\\U/', '/^\\N{U+41}/', '/^\\N{2}/', '/^\\N{/', '/^\\N/', '/^\\é/', '/^\\_/', '/^\\:/', '/^\\Q{"\\E/',
  '/^\\Q{"/', '/^\\E\\Q\\E{/', '/^a\\Q\\E+/', '/^\\Q\\E+/', '/^\\C/', '/^\\C{2}/', '/^\\R/', '/^\\R\\n/',
  '/^\\X/', '/^\\X\\n/', '/^\\h/', '/^\\H/', '/^\\v/', '/^\\V/', '/^\\s/', '/^\\S/', '/^\\d/', '/^\\D/',
  '/^\\w/', '/^\\W/', '/^./', '/^./s', '/^(?s)./', '/^\\N/s',
  // character classes
  '/^[]a]/', '/^[^]a]/', '/^[]/', '/^[^]/', '/^[a-]/', '/^[-a]/', '/^[a-\\d]/', '/^[\\d-]/', '/^[\\d-z]/',
  '/^[z-a]/', '/^[a-a]/', '/^[%--]/', '/^[[:alpha:]]/', '/^[[:^alpha:]]/', '/^[[:alpha:]-z]/',
  '/^[a-[:alpha:]]/', '/^[:alpha:]/', '/^[[:foo:]]/', '/^[[.a.]]/', '/^[[=a=]]/', '/^[[:<:]]/', '/^[[:>:]]/',
  '/^[[:word:]]/', '/^[[:alpha]/', '/^[[:alpha:]/', '/^[[]/', '/^[[a]/', '/^[a[]/', '/^[[:a]/', '/^[[:]/',
  '/^[\\b]/', '/^[\\B]/', '/^[\\R]/', '/^[\\X]/', '/^[\\N]/', '/^[\\Q]\\E]/', '/^[\\E]/', '/^[a\\]/',
  '/^[\\x41-\\x43]/', '/^[\\101]/', '/^[\\8]/', '/^[\\1]/', '/^[\\0]/', '/^[\\cA]/', '/^[\\z]/', '/^[\\y]/',
  '/^[\\g]/', '/^[\\k]/', '/^[\\C]/', '/^[\\e]/', '/^[\\h]/', '/^[\\v]/', '/^[\\p{L}]/', '/^[\\pL]/',
  '/^[\\w-.]/', '/^[.-\\w]/', '/^[\\d-\\d]/', '/^[^\\W]/', '/^[\\Wa]/', '/^(?i)[a-c]/', '/^(?i)[^k]/',
  '/^(?i)[[:upper:]]/', '/^(?i)[[:lower:]]/', '/^(?i)[[:^upper:]]/', '/^(?xx)[a b]/', '/^(?x)[a b]/',
  '/^[^\\x00-\\x7a]/', '/^[\\x{7b}-\\x{7d}]/',
  // Unicode properties
  '/^\\p{L}/', '/^\\pL/', '/^\\pl/', '/^\\p{^L}/', '/^\\P{L}/', '/^\\P{^L}/', '/^\\p{Lu}/', '/^\\p{L&}/',
  '/^\\p{Latin}/', '/^\\p{sc:Latin}/', '/^\\p{scx=latin}/', '/^\\p{Script:Latin}/', '/^\\p{Greek}/',
  '/^\\p{bc:L}/', '/^\\p{Bidi_Class:ON}/', '/^\\p{bidi control}/', '/^\\p{Xwd}/', '/^\\p{Xan}/',
  '/^\\p{Xsp}/', '/^\\p{Xps}/', '/^\\p{Xuc}/', '/^\\p{Any}/', '/^\\p{P}/', '/^\\p{Ps}/', '/^\\p{Pe}/',
  '/^\\p{Po}/', '/^\\p{Alphabetic}/', '/^\\p{White_Space}/', '/^\\p{foo}/', '/^\\p{sc:L}/', '/^\\p{xx:L}/',
  '/^\\p/', '/^\\p{/', '/^\\p{L/', '/^\\p{}/', '/^\\p1/', '/^\\pQ/', '/^\\p{ L }/', '/^\\p{L\u0000}/',
  `/^\\p{${'a'.repeat(60)}}/`,
  // quantifiers
  '/^*/', '/^+/', '/^?/', '/^{2}/', '/^a{,2}/', '/^a{2,1}/', '/^a{65536}/', '/^a{65535}/', '/^a{1, 2}/',
  '/^a{1,2 }/', '/^(?x)a{1, 2}/', '/^(?x)a +/', '/^a**/', '/^a*?+/', '/^a*??/', '/^a{2}{3}/', '/^a{2}*/',
  '/^a?+b/', '/^(?:)*/', '/^()*/', '/^(*ACCEPT)+/', '/^\\b*/', '/^(?=a)*/', '/^(?i)*/', '/^(*FAIL)+/',
  '/^\\K+/', '/^$*/', '/^\\z+/', '/^\\G+/', '/^\\A?/', '/^(?#x)*/', '/^a(?#x)*/', '/^\\E*/', '/^a\\E*/',
  '/^.*/', '/^.+/', '/^.*$/', '/^.*\\}$/', '/^.*warning/', '/^.{5}/', '/^.{5,}/', '/^a*+a/', '/^(?U)a*?b/',
  // groups, options, names
  '/^(a/', '/^a)/', '/^(?/', '/^(?:a|b)/', '/^(?i)A/', '/^(?i:A)b/', '/^(?i)a(?-i)B/', '/^((?i)a)B/',
  '/^(a(?i)b|c)/', '/^(?^)a/', '/^(?^i)A/', '/^(?-^)a/', '/^(?i-)a/', '/^(?-i-s)a/', '/^(?z)/', '/^(?)a/',
  '/^(?x) a # c\n b/', '/^(?x)a\u0085b/', '/^(?x)a\u00a0b/', '/^(?n)(a)\\1/', '/^(?J)(?<n>a)(?<n>b)/',
  '/^(?<n>a)(?<n>b)/', '/^(?<n>a)\\k<n>/', "/^(?'n'a)\\k'n'/", '/^(?P<n>a)(?P=n)/', '/^(?<n>a)\\k{n}/',
  '/^(?<n>a)\\g{n}/', '/^(?<1n>a)/', '/^(?<>a)/', `/^(?<${'n'.repeat(33)}>a)/`, '/^(?<n>a)\\k<m>/',
  '/^(?|(a)|(b))\\1/', '/^(?|(?<a>x)|(?<b>y))/', '/^(a)(?|(b)|(c)(d))\\3/', '/^(?P>n)/', '/^(?Px)/',
  '/^(?|(?<a>x)|(?<a>\\{))\\k<a>?/', '/^(?|(?<a>x)|(?<a>y))(?<a>z)/', '/^(?J)(?|(?<a>x)|(?<a>y))(?<a>z)/',
  '/^((((((((((a))))))))))\\10/', `/^${'('.repeat(250)}${')'.repeat(250)}/`,
  `/^${'('.repeat(251)}${')'.repeat(251)}/`, '/^(?#comment/', '/^(?C)a/', '/^(?C255)a/', '/^(?C256)a/',
  '/^(?C"x")a/', '/^(?C{x})a/', '/^(?C!x!)a/', '/^(?Ca)/', '/^(?C"x/', '/^a(?C)*/',
  // anchors and newlines
  '/^a$/', '/^a$/m', '/^a$/D', '/^a\\Z/', '/^a\\z/', '/^(?m)a|^b/', '/^\\b/', '/^\\B/', '/^\\ba/', '/^\\Ba/',
  '/^\\A/', '/^\\G/', '/^a\\Ka/', '/^$/', '/(?m)^b/', '/b$/m', '/a/A',
  // back references, lookaround, atomic, conditions, recursion, verbs
  '/^(a)\\1/', '/^(a)\\g1/', '/^(a)\\g{1}/', '/^(a)\\g-1/', '/^(a)\\g{-1}/', '/^(a)\\g{-2}/', '/^\\g/',
  '/^\\g{x/', '/^(a)\\g+1(b)/', '/^(a)\\g0/', '/^(?i)(a)\\1/', '/^(a)|\\1/', '/^(a)?\\1/', '/^\\2(a)(b)/',
  '/^(?=\\{)/', '/^(?!x)/', '/^(?<=a)/', '/^.(?<=\\{)/', '/^(?<!a)/', '/^.(?<=a|bc)/', '/^.(?<=a+)/',
  '/^.(?<=(a|bc))/', '/^.(?<=a{2})/', '/^.(?<=\\R)/', '/^(a)(?<=\\1)/', '/^(a)(?<=(?1))/', '/^(?=\\K)/',
  '/^(*pla:\\{)/', '/^(*nla:x)/', '/^(*plb:a)/', '/^(*napla:\\{)/', '/^(*atomic:.*)\\}/', '/^(*sr:.)/',
  '/^(*asr:.)/', '/^(*foo:a)/', '/^(?*\\{)/', '/^(?>.*)\\}/', '/^(?>a|ab)c/', '/^(a)?(?(1)b|c)/',
  '/^(?(1)a|b|c)/', '/^(?(2)a)/', '/^(?<n>a)?(?(<n>)b|c)/', "/^(?<n>a)?(?('n')b)/", '/^(?<n>a)?(?(n)b)/',
  '/^(?(R)a|b)/', '/^(?(R1)a|b)/', '/^(?(R&n)a)/', '/^(?(DEFINE)(?<n>\\{))(?&n)/', '/^(?(DEFINE)a|b)/',
  '/^(?(VERSION>=10.4)a|b)/', '/^(?(VERSION=10.42)a|b)/', '/^(?(VERSION>=11)a|b)/', '/^(?(VERSION=10.x)a)/',
  '/^(?(?=\\{)\\{|x)/', '/^(?(?!\\{)x|\\{)/', '/^(?(?<=a)x|.)/', '/^(?(?C)(?=a)a)/', '/^(?(?C1)a)/',
  '/^(?(a)b)/', '/^(?(?x)a)/', '/^(?R)/', '/^(a|(?R))/', '/^(\\{(?1)?\\})/', '/^(?1)(a)/', '/^(?-1)(a)/',
  '/^(a)(?+1)(b)/', '/^(?+0)/', '/^(?-0)/', '/^(?2)(a)/', '/^(?&n)(?<n>\\{)/', '/^\\g<1>(\\{)/',
  "/^\\g'n'(?<n>\\{)/", '/^(*FAIL)|\\{/', '/^(*F)/', '/^(*ACCEPT)x/', '/^(a(*ACCEPT)b)c/', '/^(*COMMIT)\\{/',
  '/^(*PRUNE)x|\\{/', '/^(*SKIP)\\{/', '/^(*THEN)x|\\{/', '/^(*MARK:m)\\{/', '/^(*:m)\\{/', '/^(*MARK)/',
  '/^(*:)/', '/^(*FOO)/', '/^(*)/', '/^(*/', '/^(*UTF)a/', '/^(*ACCEPT:x)?a/',
  `/^(*MARK:${'m'.repeat(256)})/`,
  // sizes (PCRE2's 64K compiled limit)
  `/^(?:ab){6000}/`, `/^(?:ab){7000}/`, `/^(a){6552}/`, `/^(a){6553}/`, `/^a{65535}b{65535}/`,
  ['/^', 'a', 30000, '/'], ['/^', 'a', 40000, '/'], ['/^', '(?:a)', 8191, '/'], ['/^', '(?:a)', 8192, '/'],
];

/** A regex of the table: a string, or [before, unit, times, after] for a long one. */
const expand = (regex) =>
  typeof regex === 'string' ? regex : regex[0] + regex[1].repeat(regex[2]) + regex[3];

const SUBJECTS = [
  '{"data":[]}',
  '{"data":{"id":"12","url":"https:\\/\\/x\\/"}}',
  'cb({"status":true});',
  '{"data":[{"id":"1","name":"Café é 😀"}],"warning":"INVALID JSONP CALLBACK: .*"}',
  '',
  'a',
  'ab',
  'aab',
  'abab',
  'A',
  '{',
  'a\n',
  'a\r\n',
  '\r\n',
  'x\ny',
  '\u0085',
  '\u00e9',
  '\u00a0',
  '{"a":1}\n',
  'a\tb',
  '\u0000',
  '_',
  'aA',
];

// Token soup: JSONP-ish callbacks made of literals, classes, escapes and operators.
// biome-ignore format: a table, one line of entries per group
const TOKENS = [
  'a', 'b', 'x', '{', '}', '"', 'd', '\\{', '\\}', '.', '\\d', '\\w', '\\s', '\\W', '\\D', '[a-c]', '[^a]',
  '[{"]', '[\\d]', '[[:alpha:]]', '[[:punct:]]', '\\x7b', '\\x{7b}', '\\173', '\\o{173}', '\\Q{"\\E',
  '\\p{L}', '\\pP', '\\P{Nd}', '\\h', '\\v', '\\R', '\\X', '\\N', '\\C', '$', '^', '\\b', '\\B', '\\A', '\\z',
  '\\Z', '\\G', '\\K', '(?i)', '(?s)', '(?m)', '(?x)', '(?-i)', '(?U)', '(?n)', '(?J)', 'é', '\\é', '\\\\',
  '\\/', '/', ')', '(', '[', ']', '|', '*', '+', '?', '{2}', '{1,3}', '{,2}', '\\1', '\\2', '\\k<n>',
  '(?P=n)', '(*FAIL)', '(*ACCEPT)', '(*MARK:m)', '(?#c)', ' ', '#', '\n', '\\n', '\\t', '\\e', '\\cA', '\\0',
  '\\00', '\\8', '\\y', '\\u0041', '\\g1', '\\g{-1}', "(?'n'a)", 'data', 'warning', 'INVALID', 'cb', ':', ',',
  '\\[', '\\]', '\\(', '\\)', '\\.', '\\$', '\\^', '\\*', '\\+', '\\?', '\\|', '(?C1)', '[[:<:]]', '[[:>:]]',
  '\\x', '\\xz', '[\\b]', '[a-]', '[]a]', '[^]]', '[\\w-]', '[z-a]', '[[:foo:]]', '(?P<n>', '(?<n>', '(?|',
  '(?>', '(?=', '(?!', '(?<=', '(?<!', '(?:', '(*pla:', '(*atomic:', '(?(1)', '(?(<n>)', '(?(?=a)',
  '(?(DEFINE)', '(?(VERSION>=10.4)', '(*sr:', '\\p{Latin}', '\\p{sc:Latin}', '\\p{^Lu}', '\\p{Xwd}',
  '\\p{Any}', '\\p{bc:L}', '\\p{Greek}', '\\p{foo}', '\\p', '\\p{', '\\N{2}', '\\N{U+41}', '\\x{100}',
  '\\400', '\\377',
];
function tokenSoup(r) {
  let s = '';
  for (let i = Math.floor(r() * 6) + 1; i > 0; i--) {
    const roll = r();
    if (roll < 0.08) s = `(${s})`;
    else if (roll < 0.12) s = `(?:${s})`;
    else if (roll < 0.15) s += '|';
    else {
      s += TOKENS[Math.floor(r() * TOKENS.length)];
      if (r() < 0.25) s += ['*', '+', '?', '{2}', '{0,2}', '*?', '++', '{1,}', '+?'][Math.floor(r() * 9)];
    }
  }
  return s;
}

// Syntax soup: PCRE's metacharacters at random, mostly refused; checks the parser's errors.
// biome-ignore format: a table, one line of entries per group
const SYNTAX = [
  '\\', '(', ')', '[', ']', '{', '}', '?', '*', '+', '|', '^', '$', '.', '-', ':', '<', '>', '=', '!', "'",
  '#', ',', '&', 'P', 'R', 'C', 'K', 'Q', 'E', 'x', 'p', 'g', 'k', 'b', 'B', 'd', 'w', 's', 'a', 'A', 'z',
  'Z', 'N', 'X', 'c', 'o', '0', '1', '2', '9', 'i', 'm', 'n', 'U', 'J', ' ', '\n', '_', '"', 'é', '\u0000',
  '@', '%', '`', ';', '~',
];
function syntaxSoup(r) {
  let s = '';
  for (let i = 1 + Math.floor(r() * 10); i > 0; i--) s += SYNTAX[Math.floor(r() * SYNTAX.length)];
  return s;
}

// Structured: valid patterns over {a, b} with lookaround, back references, atomic groups and
// conditions (not the backtracking verbs or recursion: see src/legacy/php-preg/index.test.ts for those).
function structured(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  let groups = 0;
  const atom = (d) => {
    const x = r();
    if (d > 3 || x < 0.35) {
      return pick([
        'a',
        'b',
        '.',
        '[ab]',
        '[^a]',
        '\\w',
        '\\W',
        '\\n',
        '$',
        '^',
        '\\b',
        '\\B',
        '\\z',
        '\\Z',
        '\\A',
      ]);
    }
    if (x < 0.5) {
      groups++;
      return `(${alt(d + 1)})`;
    }
    if (x < 0.6) return `(?:${alt(d + 1)})`;
    if (x < 0.65) return `(?>${alt(d + 1)})`;
    if (x < 0.7) return `${pick(['(?=', '(?!'])}${alt(d + 1)})`;
    if (x < 0.74) return `${pick(['(?<=', '(?<!'])}${pick(['a', 'b', 'ab', '.', 'a|bb', '\\n'])})`;
    if (x < 0.8 && groups > 0) return `\\${1 + Math.floor(r() * groups)}`;
    if (x < 0.84 && groups > 0) return `(?(${1 + Math.floor(r() * groups)})${seq(d + 1)}|${seq(d + 1)})`;
    if (x < 0.87) return `(?(?=${pick(['a', 'b'])})${seq(d + 1)}|${seq(d + 1)})`;
    if (x < 0.9) return pick(['(*FAIL)', '(*ACCEPT)', '(*MARK:x)']);
    if (x < 0.93) return pick(['(?i)', '(?m)', '(?s)', '(?-i)']);
    return pick(['a', 'b']);
  };
  const quant = (s) => {
    if (/^(\^|\$|\\[bBzZA]|\(\*|\(\?[imsx-])/.test(s) && !s.startsWith('(*ACCEPT')) return s;
    if (r() < 0.7) return s;
    return s + pick(['*', '+', '?', '{2}', '{1,2}', '{0,3}', '*?', '+?', '??', '*+', '++', '?+', '{2,}']);
  };
  const seq = (d) => {
    let s = '';
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) s += quant(atom(d));
    return s;
  };
  const alt = (d) => {
    let s = seq(d);
    while (r() < 0.25) s += `|${seq(d)}`;
    return s;
  };
  return alt(0);
}

function structuredSubject(r) {
  let s = '';
  for (let n = Math.floor(r() * 7); n > 0; n--) s += ['a', 'b', 'a', 'b', '\n', 'A'][Math.floor(r() * 6)];
  return s;
}

function recordRegexes() {
  const r = rng(20261206);
  // Subjects are shared: a row names them by index.
  const subjects = [];
  const index = (subject) => {
    let i = subjects.indexOf(subject);
    if (i < 0) i = subjects.push(subject) - 1;
    return i;
  };
  const common = SUBJECTS.map((subject) => index(binary(subject)));
  const some = (n) => Array.from({ length: n }, () => common[Math.floor(r() * common.length)]);
  const rows = [];
  for (const regex of CURATED) {
    rows.push([typeof regex === 'string' ? binary(regex) : regex, common]);
  }
  for (let i = 0; i < 1500; i++) rows.push([binary(`/^${tokenSoup(r)}/`), some(3)]);
  const modifiers = ['', '', '', '', 'i', 'm', 's', 'x', 'U', 'n', 'J', 'D', 'A', 'xx'];
  for (let i = 0; i < 1500; i++) {
    rows.push([binary(`/${syntaxSoup(r)}/${modifiers[Math.floor(r() * modifiers.length)]}`), some(2)]);
  }
  for (let i = 0; i < 1000; i++) {
    const regex = `/${r() < 0.5 ? '^' : ''}${structured(r)}/`;
    rows.push([regex, Array.from({ length: 4 }, () => index(structuredSubject(r)))]);
  }
  // PHP's answer per subject: 1, 0, e (did not compile) or l (failed while matching).
  const answers = JSON.parse(
    php(
      `$l1 = fn ($s) => mb_convert_encoding($s, 'ISO-8859-1', 'UTF-8');
       $in = json_decode(stream_get_contents(STDIN), true);
       $out = [];
       foreach ($in['rows'] as [$regex, $refs]) {
         $row = '';
         foreach ($refs as $ref) {
           error_clear_last();
           $r = @preg_match($l1($regex), $l1($in['subjects'][$ref]));
           $row .= $r !== false ? $r : (error_get_last() !== null ? 'e' : 'l');
         }
         $out[] = $row;
       }
       echo json_encode($out);`,
      JSON.stringify({
        subjects,
        rows: rows.map(([regex, refs]) => [typeof regex === 'string' ? regex : binary(expand(regex)), refs]),
      }),
    ),
  );
  return { subjects, rows: rows.map(([regex, refs], i) => [regex, refs, answers[i]]) };
}

// ---- JSONP callbacks through the legacy's render_json ----------------------------------------

const PAYLOADS = [
  { data: [] },
  { data: { id: '12', url: 'https://x/' } },
  { status: true },
  {
    data: [
      { id: '1', name: 'Café é 😀', n: 3 },
      { id: '2', name: 'a\nb "q" \\ /' },
    ],
  },
  { data: Array.from({ length: 120 }, (_, i) => ({ id: String(i), name: `row ${i} {x}` })) },
];

// biome-ignore format: a table, one line of entries per group
const CALLBACKS = [
  'cb', 'jQuery1234_5678', 'a.b.c', '$', '_x$1', 'A', '1abc', 'a-b', 'x(', '.*', '(a', 'a|b', '', '0', '[',
  'a.', '.a', 'alert(1)//', 'cb\n', 'é', 'a'.repeat(300), '.+', '\\{', '[{a]+', '[{]', '(a|b)', 'a{2}',
  '(?i)CB', '/', '\\/', '\\', 'a\\', 'a\\\\', '.*$', '.*\\}', '.*\\}$', '.*warning', '.*"warning"', '{"data"',
  '\\{"data":\\[\\]\\}$', '{"data":[]}', '{"status":true}', 'cb$', 'a$b', '$a', '\u0000', 'a\u0000',
  'x\u2028', '😀', '.{5}', '.{100000}', '.{65535}', '(.)*$', '(?:.)*$', '.*;$', '.*\\);$', 'cb\\(', '\\w+\\(',
  '[a-z]+\\(\\{', '(?=\\{)', '(?!x)', '(.)\\1', '^', '\\A', '\\z', '\\Z', '(*FAIL)', '(*ACCEPT)', 'a++',
  '(?>.*)', '\\x{7b}', '\\173', '\\p{P}', '.*(?<=\\})', '(', ')', '(?', '(?#', '[]', '{', '}', '?', '*', '+',
  '|', '|x', 'x|', '\\d+', 'cb.x', 'cb..', 'a.$b', 'Cb', 'CB', 'c\\b', '\\bcb', 'cb\\(\\{', '\\{"status',
  '(?i)\\{"STATUS', '(?x) \\{ "status"', '\\{"data":\\[\\{"id":"1"', '.{40}', '(*COMMIT)\\{', 'a\r', '\t',
  ' ', '%', '&', "'", '"', '<', '>', '@', '.\u00e9', '[\u00e9]', '\u00e9|\\{', '\\xc3\\xa9', '(?J)',
  '(?<n>\\{)\\k<n>',
];

function recordCallbacks() {
  const r = rng(12062026);
  const callbacks = [...CALLBACKS];
  for (let i = 0; i < 800; i++) callbacks.push(tokenSoup(r));
  // Per callback: the legacy's Content-Type for each payload (1: JavaScript) and its body's FNV-1a.
  return JSON.parse(
    php(
      `require ${JSON.stringify(join(oracleDir, 'lib/inflector.php'))};
       require ${JSON.stringify(join(oracleDir, 'lib/format.php'))};
       $in = json_decode(stream_get_contents(STDIN), true);
       $out = [];
       foreach ($in['callbacks'] as $cb) {
         $types = '';
         $hashes = [];
         foreach ($in['payloads'] as $payload) {
           $_GET = ['callback' => $cb];
           [$type, $body] = render_json($payload);
           $types .= $type === CONTENT_TYPES['jsonp'] ? '1' : '0';
           $hashes[] = hash('fnv1a32', $body);
         }
         $out[] = [$cb, $types, implode(' ', $hashes)];
       }
       echo json_encode($out, JSON_UNESCAPED_UNICODE);`,
      JSON.stringify({ payloads: PAYLOADS, callbacks }),
    ),
  );
}

await ensurePhp({ log: true });
const version = php('echo PHP_VERSION, " ", PCRE_VERSION;');
if (!/^8\.2\.\d+ 10\.42 /.test(version)) {
  console.error(`php-preg-record: needs PHP 8.2 with PCRE2 10.42 (the legacy's); found ${version}`);
  process.exit(1);
}
const properties = recordProperties();
const { subjects, rows } = recordRegexes();
const callbacks = recordCallbacks();
const cases = {
  recordedWith: version,
  note:
    'Generated by scripts/php-preg-record.mjs. regexes: [regex or [before, unit, times, after], subject ' +
    'indexes, preg_match per subject (1, 0, e: compile error, l: match error)], regexes and subjects as ' +
    'binary strings (one char per byte). callbacks: [callback, render_json Content-Type per payload (1: ' +
    'JavaScript), FNV-1a 32 of each body].',
  subjects,
  regexes: rows,
  payloads: PAYLOADS,
  callbacks,
};
// U+2028 and U+2029 escaped: a module bundler may embed the JSON in JavaScript source.
const json = JSON.stringify(cases).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
const casesPath = join(projectRoot, 'src/legacy/php-preg/cases.json');
writeFileSync(casesPath, `${json}\n`);
// As `npm run lint` wants it.
execFileSync(join(projectRoot, 'node_modules/.bin/biome'), ['format', '--write', casesPath], {
  stdio: 'ignore',
});
console.log(
  `php-preg-record: ${properties} property names, ${rows.length} regexes ` +
    `(${rows.reduce((n, row) => n + row[1].length, 0)} subjects), ${callbacks.length} callbacks × ` +
    `${PAYLOADS.length} payloads (${version})`,
);
