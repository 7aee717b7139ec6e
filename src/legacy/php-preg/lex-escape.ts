// check_escape of PCRE2 10.42's pattern parser: what follows a `\` (a character, an escape of
// its own, or a numbered back reference), over the cursor of lex.ts.
import { MAX_GROUP_NUMBER, type PatternCursor, readNumber, readRepeatCounts } from './lex';
import { ch, ESCAPES, Esc, isDigit, xdigit } from './tables';

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
