// The token readers of PCRE2 10.42's pattern parser (pcre2_compile.c: read_repeat_counts,
// read_number, read_name, check_escape, get_ucp, check_posix_syntax), over a cursor into the
// pattern's bytes. They build no tree: parse.ts and its parts do, from what these return.
import { type ByteSet, PcreSyntaxError } from './ast';
import {
  C_LETTER,
  CTYPES,
  ch,
  complement,
  ESCAPES,
  Esc,
  isDigit,
  isWordByte,
  propertyTable,
  xdigit,
} from './tables';

export const MAX_REPEAT_COUNT = 65535;
export const MAX_GROUP_NUMBER = 65535;
const MAX_NAME_SIZE = 32;

/** Where the parser is in the pattern, and how many capture groups it has opened so far. */
export class PatternCursor {
  i = 0;
  /** Capture groups opened so far: check_escape reads `\8` as a back reference only below it. */
  bracount = 0;

  constructor(readonly p: Uint8Array) {}

  /** Fails the compile with PCRE2's error number, at the offset PCRE2 reports. */
  fail(code: number, offset = this.i): never {
    throw new PcreSyntaxError(code, offset);
  }
}

// read_repeat_counts: `{n}`, `{n,}`, `{n,m}` (10.42: no `{,m}`, no spaces); null when not one.
export function readRepeatCounts(
  s: PatternCursor,
  from: number,
): { min: number; max: number; next: number } | null {
  const p = s.p;
  let q = from;
  let hadComma = false;
  for (; ; q++) {
    if (q >= p.length) return null;
    const c = p[q]!;
    if (isDigit(c)) continue;
    if (c === 125) break;
    if (c === 44) {
      if (hadComma) return null;
      hadComma = true;
    } else return null;
  }
  q = from;
  const readNum = (): number => {
    if (!isDigit(p[q])) return Number.NaN;
    let n = 0;
    while (q < p.length && isDigit(p[q])) {
      n = n * 10 + p[q++]! - 48;
      if (n > MAX_REPEAT_COUNT) s.fail(5, q);
    }
    return n;
  };
  const min = readNum();
  if (Number.isNaN(min)) return null; // `{,…}`: read_number finds no number, not a quantifier
  let max: number;
  if (p[q] === 125) {
    q++;
    max = min;
  } else {
    q++;
    if (p[q] !== 125) {
      max = readNum();
      if (max < min) s.fail(4, q);
    } else max = -1;
    q++;
  }
  return { min, max, next: q };
}

// read_number: digits, optionally signed (relative to `allowSign` when it is >= 0).
export function readNumber(
  s: PatternCursor,
  allowSign: number,
  maxValue: number,
  maxError: number,
): number | null {
  const p = s.p;
  let sign = 0;
  let q = s.i;
  if (allowSign >= 0 && q < p.length) {
    if (p[q] === 43) {
      sign = 1;
      maxValue -= allowSign;
      q++;
    } else if (p[q] === 45) {
      sign = -1;
      q++;
    }
  }
  if (q >= p.length || !isDigit(p[q])) return null;
  let n = 0;
  while (q < p.length && isDigit(p[q])) {
    n = n * 10 + p[q++]! - 48;
    if (n > maxValue) {
      s.i = q;
      s.fail(maxError);
    }
  }
  if (allowSign >= 0 && sign !== 0) {
    if (n === 0) {
      s.i = q;
      s.fail(26);
    }
    if (sign > 0) n += allowSign;
    else if (n > allowSign) {
      s.i = q;
      s.fail(15);
    } else n = allowSign + 1 - n;
  }
  s.i = q;
  return n;
}

// read_name: a group name (word characters, not starting with a digit) and its terminator, or
// (from a `*`) a verb or alpha assertion name.
export function readName(s: PatternCursor, terminator: number, isGroup: boolean): string {
  const p = s.p;
  if (++s.i >= p.length) s.fail(isGroup ? 62 : 60);
  const start = s.i;
  if (isGroup && isDigit(p[s.i])) s.fail(44);
  while (s.i < p.length && isWordByte(p[s.i]!)) s.i++;
  if (s.i - start > MAX_NAME_SIZE) s.fail(48);
  const name = String.fromCharCode(...p.subarray(start, s.i));
  if (isGroup) {
    if (name === '') s.fail(62);
    if (s.i >= p.length || p[s.i] !== terminator) s.fail(42);
    s.i++;
  }
  return name;
}

/**
 * check_escape after a `\`: a character ({ char }), an Esc ({ esc }) or a numbered back reference
 * ({ backref }); s.i moves past the escape.
 */
export function checkEscape(
  s: PatternCursor,
  isClass: boolean,
): { char: number } | { esc: Esc } | { backref: number } {
  const p = s.p;
  const end = p.length;
  if (s.i >= end) s.fail(1);
  let c = p[s.i++]!;
  if (c < 48 || c > 122) return { char: c };
  const known = ESCAPES.get(c);
  if (known !== undefined) {
    if (known > 0) return { char: known };
    const esc = -known as Esc;
    if (esc === Esc.N && s.i < end && p[s.i] === 123) {
      const q = s.i + 1;
      if (end - q > 1 && p[q] === ch('U') && p[q + 1] === 43) s.fail(93);
      if (!readRepeatCounts(s, q)) s.fail(37);
    }
    return { esc };
  }
  switch (String.fromCharCode(c)) {
    case 'F':
    case 'l':
    case 'L':
    case 'u':
    case 'U':
      s.fail(37);
      break;
    case 'g': {
      if (isClass) return { char: c };
      if (s.i >= end) s.fail(57);
      if (p[s.i] === 60 || p[s.i] === 39) return { esc: Esc.g };
      if (p[s.i] === 123) {
        const save = s.i;
        s.i++;
        const group = readNumber(s, s.bracount, MAX_GROUP_NUMBER, 61);
        if (group === null) {
          s.i = save;
          return { esc: Esc.k };
        }
        if (s.i >= end || p[s.i] !== 125) s.fail(57);
        s.i++;
        if (group <= 0) s.fail(15);
        return { backref: group };
      }
      const group = readNumber(s, s.bracount, MAX_GROUP_NUMBER, 61);
      if (group === null) s.fail(57);
      if (group <= 0) s.fail(15);
      return { backref: group };
    }
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
      if (!isClass) {
        const old = s.i;
        s.i--;
        let group = 0;
        let q = s.i;
        let tooBig = false;
        while (q < end && isDigit(p[q])) {
          group = group * 10 + p[q++]! - 48;
          if (group > 214748363) {
            tooBig = true;
            break;
          }
        }
        if (!tooBig && (group < 10 || c >= 56 || group <= s.bracount)) {
          s.i = q;
          if (group > MAX_GROUP_NUMBER) s.fail(61);
          return { backref: group };
        }
        s.i = old;
      }
      if (c >= 56) return { char: c };
      return { char: octal(s, c - 48) };
    }
    case '0':
      return { char: octal(s, 0) };
    case 'o': {
      if (s.i >= end || p[s.i++] !== 123) {
        s.i--;
        s.fail(55);
      }
      if (s.i >= end || p[s.i] === 125) s.fail(78);
      c = 0;
      let overflow = false;
      while (s.i < end && p[s.i]! >= 48 && p[s.i]! <= 55) {
        const cc = p[s.i++]!;
        if (c === 0 && cc === 48) continue;
        c = (c << 3) + (cc - 48);
        if (c > 0xff) {
          overflow = true;
          break;
        }
      }
      if (overflow) s.fail(34);
      if (s.i < end && p[s.i++] === 125) return { char: c };
      s.i--;
      s.fail(64);
      break;
    }
    case 'x': {
      if (s.i < end && p[s.i] === 123) {
        if (++s.i >= end || p[s.i] === 125) s.fail(78);
        c = 0;
        while (s.i < end && xdigit(p[s.i]) >= 0) {
          const cc = xdigit(p[s.i++]);
          if (c === 0 && cc === 0) continue;
          c = (c << 4) | cc;
          if (c > 0xff) s.fail(34);
        }
        if (s.i < end && p[s.i++] === 125) return { char: c };
        s.i--;
        s.fail(67);
      }
      c = 0;
      const d1 = xdigit(p[s.i]);
      if (s.i >= end || d1 < 0) return { char: 0 };
      s.i++;
      c = d1;
      const d2 = xdigit(p[s.i]);
      if (s.i >= end || d2 < 0) return { char: c };
      s.i++;
      return { char: (c << 4) | d2 };
    }
    case 'c': {
      if (s.i >= end) s.fail(2);
      c = p[s.i]!;
      if (c >= 97 && c <= 122) c -= 32;
      if (c < 32 || c > 126) s.fail(68);
      s.i++;
      return { char: c ^ 0x40 };
    }
    default:
      s.fail(3, s.i - 1);
  }
  throw new Error('unreachable');
}

// Up to two more octal digits after the first (\0, \1…\7 not read as a back reference).
function octal(s: PatternCursor, first: number): number {
  let c = first;
  let n = 0;
  while (n++ < 2 && s.i < s.p.length && s.p[s.i]! >= 48 && s.p[s.i]! <= 55) {
    c = c * 8 + s.p[s.i++]! - 48;
  }
  if (c > 0xff) s.fail(51);
  return c;
}

// get_ucp: \p / \P's name, as a set of bytes (already negated for \P and `^`).
export function unicodeProperty(s: PatternCursor, negatedEscape: boolean): ByteSet {
  const p = s.p;
  const end = p.length;
  if (s.i >= end) s.fail(46);
  let c = p[s.i++]!;
  let negated = false;
  let name = '';
  const isspace = (x: number) => (x >= 9 && x <= 13) || x === 32;
  if (c === 123) {
    if (s.i >= end) s.fail(46);
    if (p[s.i] === 94) {
      negated = true;
      s.i++;
    }
    let closed = false;
    for (let n = 0; n < 49; n++) {
      if (s.i >= end) s.fail(46);
      c = p[s.i++]!;
      while (c === 95 || c === 45 || isspace(c)) {
        if (s.i >= end) s.fail(46);
        c = p[s.i++]!;
      }
      if (c === 0) s.fail(46);
      if (c === 125) {
        closed = true;
        break;
      }
      name += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    }
    if (!closed) s.fail(46);
  } else if (CTYPES[c]! & C_LETTER) {
    name = String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  } else s.fail(46);

  const table = propertyTable();
  let entry: { set: ByteSet; script: boolean } | undefined;
  const sep = name.search(/[:=]/);
  if (sep >= 0) {
    const prefix = name.slice(0, sep);
    const value = name.slice(sep + 1);
    if (prefix === 'bidiclass' || prefix === 'bc') entry = table.get(`bidi${value}`);
    else if (prefix === 'script' || prefix === 'sc' || prefix === 'scriptextensions' || prefix === 'scx') {
      entry = table.get(value);
      if (entry && !entry.script) entry = undefined;
    }
  } else entry = table.get(name);
  if (!entry) s.fail(47);
  return negated !== negatedEscape ? complement(entry.set) : entry.set;
}

// check_posix_syntax: `[:…:]` (or `.`/`=`) ahead, from the character after `[`.
export function posixSyntaxEnd(s: PatternCursor, from: number): number {
  const p = s.p;
  const terminator = p[from]!;
  for (let q = from + 1; p.length - q >= 2; q++) {
    if (p[q] === 92 && (p[q + 1] === 93 || p[q + 1] === 92)) q++;
    else if ((p[q] === 91 && p[q + 1] === terminator) || p[q] === 93) return -1;
    else if (p[q] === terminator && p[q + 1] === 93) return q;
  }
  return -1;
}
