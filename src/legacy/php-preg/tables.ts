// The character tables of PCRE2 10.42 as PHP 8.2 builds it (pcre2_chartables.c.dist: ASCII), the
// byte sets its escapes, POSIX classes and \p properties stand for, and the escape table of
// pcre2_compile.c: the data parse.ts reads patterns with.
import type { ByteSet } from './ast';
import { PROPERTY_MASKS, PROPERTY_NAMES } from './unicode';

// The default character tables (pcre2_chartables.c.dist).
export const C_SPACE = 1;
export const C_LETTER = 2;
export const C_LCLETTER = 4;
export const C_DIGIT = 8;
export const C_WORD = 16;
export const CTYPES = new Uint8Array(256);
for (let c = 9; c <= 13; c++) CTYPES[c] = C_SPACE;
CTYPES[32] = C_SPACE;
for (let c = 48; c <= 57; c++) CTYPES[c] = C_DIGIT | C_WORD;
for (let c = 65; c <= 90; c++) CTYPES[c] = C_LETTER | C_WORD;
for (let c = 97; c <= 122; c++) CTYPES[c] = C_LETTER | C_LCLETTER | C_WORD;
CTYPES[95] = C_WORD;

/** The other case of a byte (ASCII letters only: the default tables' fcc). */
export function otherCase(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 97 && c <= 122) return c - 32;
  return c;
}

export function setOf(test: (c: number) => boolean): ByteSet {
  const s = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (test(c)) s[c] = 1;
  return s;
}
export const isWordByte = (c: number) => (CTYPES[c]! & C_WORD) !== 0;
export const WORD_SET = setOf(isWordByte);
export const DIGIT_SET = setOf((c) => (CTYPES[c]! & C_DIGIT) !== 0);
export const SPACE_SET = setOf((c) => (CTYPES[c]! & C_SPACE) !== 0);
export const HSPACE_SET = setOf((c) => c === 0x09 || c === 0x20 || c === 0xa0);
export const VSPACE_SET = setOf((c) => (c >= 0x0a && c <= 0x0d) || c === 0x85);
export const ALL_SET = setOf(() => true);
export const NOT_NL_SET = setOf((c) => c !== 0x0a);
export const NL_SET = setOf((c) => c === 0x0a);
export const CR_SET = setOf((c) => c === 0x0d);
export const NOT_CR_SET = setOf((c) => c !== 0x0d);
export const R_SINGLE_SET = setOf((c) => c === 0x0a || c === 0x0b || c === 0x0c || c === 0x85);
export const complement = (s: ByteSet): ByteSet => setOf((c) => s[c] === 0);

// POSIX classes: [base, second, add (+) or remove (-), tweak] as posix_class_maps.
export const CBIT_UPPER = setOf((c) => c >= 65 && c <= 90);
export const CBIT_LOWER = setOf((c) => c >= 97 && c <= 122);
export const CBIT_GRAPH = setOf((c) => c >= 0x21 && c <= 0x7e);
export const CBIT_PRINT = setOf((c) => c >= 0x20 && c <= 0x7e);
export const CBIT_PUNCT = setOf((c) => CBIT_GRAPH[c] === 1 && !isWordByte(c)) as ByteSet;
CBIT_PUNCT[95] = 1; // `_` is punctuation for ispunct()
export const CBIT_CNTRL = setOf((c) => c < 0x20 || c === 0x7f);
export const CBIT_XDIGIT = setOf(
  (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
);
export const POSIX_NAMES =
  'alpha lower upper alnum ascii blank cntrl digit graph print punct space word xdigit'.split(' ');
export const POSIX_SETS: ByteSet[] = [
  setOf((c) => isWordByte(c) && DIGIT_SET[c] === 0 && c !== 95), // alpha: word - digit - `_`
  CBIT_LOWER,
  CBIT_UPPER,
  setOf((c) => isWordByte(c) && c !== 95), // alnum
  setOf((c) => CBIT_PRINT[c] === 1 || CBIT_CNTRL[c] === 1), // ascii
  setOf((c) => SPACE_SET[c] === 1 && !(c >= 0x0a && c <= 0x0d)), // blank: space - vertical space
  CBIT_CNTRL,
  DIGIT_SET,
  CBIT_GRAPH,
  CBIT_PRINT,
  CBIT_PUNCT,
  SPACE_SET,
  WORD_SET,
  CBIT_XDIGIT,
];

// \p and \P: name → bytes (unicode.ts, recorded from PHP); `*` marks scripts (sc:, scx:).
let properties: Map<string, { set: ByteSet; script: boolean }> | undefined;
export function propertyTable(): Map<string, { set: ByteSet; script: boolean }> {
  if (properties) return properties;
  const sets = PROPERTY_MASKS.map((hex) =>
    setOf((c) => ((Number.parseInt(hex[c >> 2]!, 16) >> (3 - (c & 3))) & 1) === 1),
  );
  properties = new Map();
  for (const entry of PROPERTY_NAMES.split(' ')) {
    const m = /^(.+)=(\d+)(\*?)$/.exec(entry)!;
    properties.set(m[1]!, { set: sets[Number(m[2])]!, script: m[3] === '*' });
  }
  return properties;
}

export enum Esc {
  A = 1,
  G,
  K,
  B,
  b,
  D,
  d,
  S,
  s,
  W,
  w,
  N,
  C,
  P,
  p,
  R,
  H,
  h,
  V,
  v,
  X,
  Z,
  z,
  E,
  Q,
  g,
  k,
}

export const ch = (s: string) => s.charCodeAt(0);

// pcre2_compile.c `escapes[]`: after a backslash, these stand for themselves or a control
// character (> 0), or are an Esc (< 0); other letters and digits need more processing, or are errors.
export const ESCAPES = new Map<number, number>([
  ...[...':;<=>?@[\\]^_`'].map((c) => [ch(c), ch(c)] as const),
  ...Object.entries({ a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 }).map(([c, v]) => [ch(c), v] as const),
  ...[...'ABCDEGHKNPQRSVWXZbdhkpsvwz'].map((c) => [ch(c), -Esc[c as keyof typeof Esc]] as const),
]);

export const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;
export const xdigit = (c: number | undefined): number => {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
};

/** The set of bytes a class escape (\d, \s, \w, \h, \v, their negations, \N, \C) stands for. */
export function escapeSet(esc: Esc): ByteSet | null {
  switch (esc) {
    case Esc.d:
      return DIGIT_SET;
    case Esc.D:
      return complement(DIGIT_SET);
    case Esc.s:
      return SPACE_SET;
    case Esc.S:
      return complement(SPACE_SET);
    case Esc.w:
      return WORD_SET;
    case Esc.W:
      return complement(WORD_SET);
    case Esc.h:
      return HSPACE_SET;
    case Esc.H:
      return complement(HSPACE_SET);
    case Esc.v:
      return VSPACE_SET;
    case Esc.V:
      return complement(VSPACE_SET);
    case Esc.N:
      return NOT_NL_SET;
    case Esc.C:
      return ALL_SET;
    default:
      return null;
  }
}
