#!/usr/bin/env node
// Records PHP 8.2's own answers for the PHP functions the Worker reproduces, once, into committed
// files the unit tests read without PHP:
//   src/legacy/php-ports.cases.json   the rates (`round($a / $b * 100, $places)` and the engagement
//                                     times) in JSON and as strings; html_entity_decode; the XML and
//                                     CSV renderers of the oracle's lib/format.php (FNV-1a 32 of the
//                                     bytes) for strings of every class they escape; $_GET of query
//                                     strings (parse_str)
//   src/request/dates.cases.json      the default date windows (`date_range` of the oracle's
//                                     lib/clock.php: '-30 days', '-4 months', New York)
//   src/legacy/php-parse-url.cases.json  parse_url($target, PHP_URL_PATH) of request targets:
//                                     `F` (false), `N` (null) or `S<path>`
//   parity/manifest-clock.cases.json  strtotime() of wall-clock times in New York, daylight-saving
//                                     changes included: how the oracle reads a capture's clock
// Run: node scripts/php-ports-record.mjs   (needs php 8.2: installed with apt when missing, as the
// differential parity run does). Deterministic: seeded generators.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePhp, oracleDir } from './legacy-oracle.mjs';
import { projectRoot } from './local-db.mjs';

/** A seeded generator of numbers in [0, 1). The request targets draw from one of their own; the
 * other tables share `random`, in the order they are drawn (adding to one moves the later ones). */
function seeded(start) {
  let seed = start;
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}
const random = seeded(20261207);
const pick = (list) => list[Math.floor(random() * list.length)];
const pad = (n, width = 2) => String(n).padStart(width, '0');
const joined = (pieces, most) =>
  Array.from({ length: 1 + Math.floor(random() * most) }, () => pick(pieces)).join('');

/** A count as MariaDB gives it: small, or up to 19 digits (past 2^53 and PHP_INT_MAX). */
function count() {
  if (random() < 0.6) return String(Math.floor(random() * (random() < 0.5 ? 100 : 100_000)));
  let digits = String(1 + Math.floor(random() * 9));
  for (let i = Math.floor(random() * 19); i > 0; i--) digits += Math.floor(random() * 10);
  return digits;
}

// Denominators whose quotients end in a 5 one place past the rounding (1.005, 0.125): where PHP
// 8.2's pre-rounding decides the rounding.
const TIE_DENOMINATORS = [
  '8',
  '16',
  '40',
  '80',
  '200',
  '400',
  '800',
  '1000',
  '2000',
  '8000',
  '20000',
  '200000',
];

function rateInputs(n) {
  return Array.from({ length: n }, () => {
    const kind = pick(['ratio', 'ratio', 'engagement', 'seconds']);
    if (kind === 'ratio' && random() < 0.5) {
      return [kind, String(Math.floor(random() * 100_000)), pick(TIE_DENOMINATORS), pick([2, 4])];
    }
    if (kind === 'ratio') return [kind, count(), count(), pick([2, 4])];
    if (kind === 'engagement') return [kind, count(), count(), 2];
    return [kind, count(), '1000', 3];
  });
}

// Whole references and their pieces, so that texts hold both well-formed references and the
// near misses around them.
const ENTITY_PIECES = [
  '&#',
  '&#x',
  '&#X',
  '&#x41;',
  '&#65;',
  '&#39;',
  '&amp;',
  '&nbsp;',
  '&',
  '&',
  '#',
  '#',
  'x',
  'X',
  ';',
  ';',
  'amp',
  'AMP',
  'lt',
  'gt',
  'quot',
  'apos',
  'nbsp',
  'copy',
  'euro',
  'hellip',
  'Agrave',
  'AElig',
  'thetasym',
  'zwj',
  'lang',
  'sup1',
  '0',
  '1',
  '9',
  '39',
  '65',
  '128',
  '150',
  '159',
  '160',
  '65535',
  '1114111',
  '1114112',
  'D800',
  'FFFE',
  '10FFFF',
  '110000',
  'a',
  'ff',
  '9f',
  ' ',
  'é',
  '😀',
  '0000000065',
  '\u0000',
  '9999999999999',
];

// Strings of every class the XML and CSV renderers escape, decode or quote.
const TEXT_PIECES = [
  '&#xFFFE;',
  '&#127;',
  '&#x10FFFF;',
  '&#xD800;',
  '&',
  '&amp;',
  '&#39;',
  '&lt;',
  '&quot;',
  '&apos;',
  '&#0;',
  '&#x1F600;',
  '&nbsp;',
  '<',
  '>',
  '"',
  "'",
  ',',
  '\\',
  '\\"',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  'a',
  'é',
  '😀',
  '\u2028',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u00a0',
  '\ufeff',
  '\uffff',
  ']]>',
  '<![CDATA[',
  '=',
  '+',
  '-',
  '@',
  '0',
  '1.50',
  '"""',
  'Array',
  '\u000b',
  '\u000c',
  '\ufffe',
];

function dateInputs(n) {
  const inputs = [];
  while (inputs.length < n) {
    const clock = new Date(Date.UTC(1990, 0, 1) + Math.floor(random() * 40 * 365.25 * 86_400_000));
    const year = random() < 0.8 ? 2020 + Math.floor(random() * 12) : 1 + Math.floor(random() * 9999);
    const [month, day] = [1 + Math.floor(random() * 12), 1 + Math.floor(random() * 31)];
    const valid = new Date(0);
    valid.setUTCFullYear(year, month - 1, day);
    const to = random() < 0.5 ? null : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
    // Only calendar dates: the request validation answers 400 for the others first.
    if (to !== null && valid.getUTCDate() !== day) continue;
    inputs.push([clock.toISOString(), to, pick(['-30 days', '-4 months'])]);
  }
  return inputs;
}

// Query strings: names with brackets, dots, spaces, NULs and percent-escapes (good, bad, not UTF-8).
const QUERY_PIECES = [
  'a',
  'b',
  'format',
  'callback',
  '[',
  ']',
  '[]',
  '[x]',
  '.',
  ' ',
  '+',
  '%20',
  '%00',
  '%5B',
  '%5D',
  '%2E',
  '=',
  '=',
  '&',
  '&',
  '&&',
  '%26',
  '%3D',
  'x',
  '1',
  '%',
  '%2',
  '%zz',
  '%FF',
  '%C3%A9',
  ' [',
  '[ ]',
  '_',
  '%2B',
  '][',
];

// Pieces that steer parse_url through every branch: `//` (a host), colons with and without digits
// (ports, too long, out of range, signed), `@` (user info), `[…]` (IPv6), `?` and `#`.
const URL_PIECES = [
  '/',
  '//',
  '///',
  ':',
  '@',
  '?',
  '#',
  '[',
  ']',
  '.',
  'a',
  'x',
  'advertisers',
  '1',
  '80',
  '0',
  '65535',
  '65536',
  '99999',
  '123456',
  '00080',
  '+1',
  '-1',
  '-0',
  ' ',
  '%20',
  '%3A',
  'v2.0',
  '::1',
  'h',
  ':80',
  '@h',
  'u:p@',
  '[::1]',
  '\t',
  '\x01',
  '=',
  '&',
  '1a',
  'a1',
];

// The request targets met in practice, recorded before generated ones.
const URL_KNOWN = [
  '/',
  '/advertisers',
  '/v2.0/analytics/1?from=2026-01-01',
  '//x/advertisers',
  '///advertisers',
  '//',
  '//x',
  '//x?',
  '//:1/advertisers',
  '//x:99999/advertisers',
  '//@/advertisers',
  '/advertisers/1:2',
  '/advertisers:1',
  '/:1/advertisers',
  '/a?b:1',
  '/a:1?x',
  '//x:0/a',
  '//[::1]/a',
  '//[::1]:80/a',
  '//u:p@h:1/a',
  '//h:1a/a',
  '//h:+1/a',
  '//h: 1/a',
  '//h:-0/a',
  '/a/b:',
  '/a:123456',
  '/a:65535',
  '/a:65536',
  '/a:65536/b',
  '//h:65535/a',
  '//h:65536/a',
  '//h:65536',
  '//u@h:0/a',
  '//h:00000/a',
];

function urlTargets(n) {
  const next = seeded(20261207);
  const targets = new Set(URL_KNOWN);
  while (targets.size < n) {
    let target = '/';
    for (let i = 1 + Math.floor(next() * 6); i > 0; i--)
      target += URL_PIECES[Math.floor(next() * URL_PIECES.length)];
    targets.add(target);
  }
  return [...targets];
}

/** Wall-clock times in New York: around each daylight-saving change from 1970 to 2037 (found
 * with Intl, hour by hour), in the gap and the overlap, and any time of those years. */
function wallClocks(n) {
  const next = seeded(20261208);
  const wall = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'America/New_York',
    hourCycle: 'h23',
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  const offsetAt = (t) => Date.parse(`${wall.format(new Date(t)).replace(' ', 'T')}Z`) - t;
  const changes = [];
  for (let t = Date.UTC(1970, 0, 1), was = offsetAt(t); t < Date.UTC(2038, 0, 1); t += 3_600_000) {
    const now = offsetAt(t + 3_600_000);
    if (now !== was) changes.push(t + 3_600_000);
    was = now;
  }
  // Wall times are counted on from the wall time two hours before a change, so that the times a
  // change skips or repeats are drawn as often as any other.
  const naive = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const clocks = new Set();
  while (clocks.size < n) {
    if (next() < 0.8) {
      const change = changes[Math.floor(next() * changes.length)] - 2 * 3_600_000;
      clocks.add(naive(change + offsetAt(change) + Math.floor(next() * 4 * 3_600) * 1000));
    } else {
      clocks.add(naive(Date.UTC(1970, 0, 1) + Math.floor(next() * 68 * 365.25 * 86_400) * 1000));
    }
  }
  return [...clocks];
}

const hex = (text) => Buffer.from(text, 'utf8').toString('hex');
function php(script, lines) {
  return execFileSync(
    'php',
    ['-d', 'display_errors=stderr', '-d', 'date.timezone=America/New_York', '-r', script],
    {
      input: lines.join('\n'),
      maxBuffer: 1 << 28,
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  )
    .toString()
    .split('\n')
    .slice(0, lines.length);
}

await ensurePhp({ log: true });
const version = execFileSync('php', ['-r', 'echo PHP_VERSION;']).toString();

const rates = rateInputs(3000);
const rateAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $l) {
    [$kind, $a, $b, $places] = explode(' ', $l); [$a, $b] = [(int) $a, (int) $b];
    $v = match ($kind) {
      'ratio' => $b > 0 ? round($a / $b * 100, (int) $places) : 0.0,
      'engagement' => $b > 0 ? round($a / 1000 / $b, 2) : 0.0,
      'seconds' => round($a / 1000, 3),
    };
    echo json_encode($v), ' ', (string) $v, "\\n"; }`,
  rates.map((r) => r.join(' ')),
);

// Each edge of the code points html_entity_decode decodes, in decimal and in hex, then texts.
const EDGES = [0, 8, 9, 10, 11, 13, 14, 31, 32, 126, 127, 128, 159, 160, 0xd7ff, 0xd800, 0xdfff, 0xe000];
const NONCHARACTERS = [0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10fffe, 0x10ffff, 0x110000];
const references = [...EDGES, ...NONCHARACTERS].flatMap((cp) => [`&#${cp};`, `&#x${cp.toString(16)};`]);
const entities = [
  ...new Set([...references, ...Array.from({ length: 3000 }, () => joined(ENTITY_PIECES, 7))]),
];
const entityAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $h) {
    echo bin2hex(html_entity_decode(hex2bin(substr($h, 1)), ENT_QUOTES, 'UTF-8')), "\\n"; }`,
  entities.map((t) => `h${hex(t)}`),
);

const texts = ['', ...new Set(Array.from({ length: 2000 }, () => joined(TEXT_PIECES, 6)))];
const renderAnswers = php(
  `require '${join(oracleDir, 'lib/format.php')}';
  foreach (explode("\\n", stream_get_contents(STDIN)) as $h) { $t = hex2bin(substr($h, 1));
    $rows = [['id' => '7', 'name' => $t, 'n' => null], ['id' => '8', 'name' => $t, 'n' => 1.5]];
    echo hash('fnv1a32', render_xml(['data' => $rows])), ' ', hash('fnv1a32', render_csv($rows)), "\\n"; }`,
  texts.map((t) => `h${hex(t)}`),
);

const dates = dateInputs(3000);
const dateAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $l) { [$clock, $to, $back] = explode('|', $l);
    $to = $to === '' ? null : $to;
    $base = $to === null ? strtotime($clock) : strtotime($to . ' 00:00:00');
    echo date('Y-m-d', strtotime($back, $base)), ' ', $to ?? date('Y-m-d', $base), "\\n"; }`,
  dates.map(([clock, to, back]) => `${clock}|${to ?? ''}|${back}`),
);

const queries = [...new Set(Array.from({ length: 3000 }, () => joined(QUERY_PIECES, 9)))];
// $_GET as parse_str() builds it (the same php_default_treat_data): each name, then its value's
// bytes in hex or A for an array.
const queryAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $q) { parse_str($q, $get); $pairs = [];
    foreach ($get as $name => $value) $pairs[] = bin2hex((string) $name) . ':' . (is_array($value) ? 'A' : bin2hex($value));
    echo implode(',', $pairs), "\\n"; }`,
  queries,
);

const targets = urlTargets(6000);
const targetAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $t) { $p = parse_url($t, PHP_URL_PATH);
    echo $p === false ? 'F' : ($p === null ? 'N' : 'S' . bin2hex($p)), "\\n"; }`,
  targets,
);

const clocks = wallClocks(3000);
const clockAnswers = php(
  `foreach (explode("\\n", stream_get_contents(STDIN)) as $l) { echo strtotime($l), "\\n"; }`,
  clocks,
);

const fromHex = (h) => Buffer.from(h, 'hex').toString('utf8');
function write(path, table) {
  // U+2028 and U+2029 escaped: a module bundler may embed the JSON in JavaScript source.
  const json = JSON.stringify(table).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  writeFileSync(path, `${json}\n`);
  // As `npm run lint` wants it.
  execFileSync(join(projectRoot, 'node_modules/.bin/biome'), ['format', '--write', path], {
    stdio: 'ignore',
  });
}
write(join(projectRoot, 'src/legacy/php-ports.cases.json'), {
  recordedWith: version,
  note:
    'Generated by scripts/php-ports-record.mjs. rates: [kind, a, b, places, json_encode and (string) of the ' +
    'rounded rate]; entities: [text, html_entity_decode(text, ENT_QUOTES)]; render: [text, FNV-1a 32 of ' +
    "render_xml and of render_csv (UTF-16LE) of two rows naming it], the oracle's lib/format.php; queries: " +
    "[query, parse_str's names and values: hex name:hex value or A (an array), comma-separated].",
  rates: rates.map((r, i) => [...r, rateAnswers[i]]),
  entities: entities.map((t, i) => [t, fromHex(entityAnswers[i])]),
  render: texts.map((t, i) => [t, ...renderAnswers[i].split(' ')]),
  queries: queries.map((q, i) => [q, queryAnswers[i]]),
});
write(join(projectRoot, 'src/request/dates.cases.json'), {
  recordedWith: version,
  note:
    "Generated by scripts/php-ports-record.mjs: [clock, to or null, back, 'from to'] of the oracle's " +
    'date_range (lib/clock.php) in America/New_York.',
  cases: dates.map((d, i) => [...d, dateAnswers[i]]),
});
write(join(projectRoot, 'src/legacy/php-parse-url.cases.json'), {
  recordedWith: version,
  note: 'Generated by scripts/php-ports-record.mjs: [target, parse_url($target, PHP_URL_PATH)] with F = false, N = null, S<path> = the path.',
  cases: targets.map((target, i) => {
    const answer = targetAnswers[i];
    return [
      target,
      answer.startsWith('S') ? `S${Buffer.from(answer.slice(1), 'hex').toString('latin1')}` : answer,
    ];
  }),
});
write(join(projectRoot, 'parity/manifest-clock.cases.json'), {
  recordedWith: version,
  note: 'Generated by scripts/php-ports-record.mjs: [wall-clock time, strtotime() in America/New_York in seconds].',
  cases: clocks.map((clock, i) => [clock, Number(clockAnswers[i])]),
});
console.log(
  `php-ports-record: ${rates.length} rates, ${entities.length} entity texts, ${texts.length} rendered texts, ${dates.length} date windows, ${queries.length} queries, ${targets.length} request targets, ${clocks.length} clocks (PHP ${version})`,
);
