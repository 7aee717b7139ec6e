// `[` in PCRE2 10.42's parser: a character class, with POSIX classes, ranges, escapes and \Q…\E,
// read into one set of bytes (8-bit, no UTF), as parse_regex and the compile pass build it.
import type { ByteSet, PcreNode } from './ast';
import { posixSyntaxEnd, unicodeProperty } from './lex';
import { checkEscape } from './lex-escape';
import { CASELESS, EXTENDED_MORE, type ParseState } from './parse-state';
import { ch, complement, Esc, escapeSet, otherCase, POSIX_NAMES, POSIX_SETS, WORD_SET } from './tables';

/** After `[`: the whole class, up to its `]`, pushed as one set (or [[:<:]] and [[:>:]] as assertions). */
export function classItem(s: ParseState): void {
  const p = s.p;
  const end = p.length;
  const caseless = (s.options & CASELESS) !== 0;
  // [[:<:]] and [[:>:]]: \b(?=\w) and \b(?<=\w).
  if (end - s.i >= 6) {
    const six = String.fromCharCode(...p.subarray(s.i, s.i + 6));
    if (six === '[:<:]]' || six === '[:>:]]') {
      const word: PcreNode = { t: 'set', set: WORD_SET };
      s.push({ t: 'assert', anchor: 'word' }, false);
      s.push({ t: 'look', behind: six[2] === '>', negative: false, atomic: true, body: word }, true);
      s.i += 6;
      return;
    }
  }
  if (s.i < end && (p[s.i] === 58 || p[s.i] === 46 || p[s.i] === 61)) {
    if (posixSyntaxEnd(s, s.i) >= 0) s.fail(p[s.i] === 58 ? 12 : 13);
  }
  let negate = false;
  let c = 91;
  while (s.i < end) {
    c = p[s.i++]!;
    if (c === 92) {
      if (s.i < end && p[s.i] === ch('E')) s.i++;
      else if (end - s.i >= 3 && p[s.i] === ch('Q') && p[s.i + 1] === 92 && p[s.i + 2] === ch('E')) {
        s.i += 3;
      } else break;
    } else if (s.options & EXTENDED_MORE && (c === 32 || c === 9)) {
    } else if (!negate && c === 94) negate = true;
    else break;
  }

  const set = new Uint8Array(256);
  const add = (x: number) => {
    set[x] = 1;
    if (caseless) set[otherCase(x)] = 1;
  };
  const addSet = (bytes: ByteSet) => {
    for (let x = 0; x < 256; x++) if (bytes[x]) set[x] = 1;
  };
  // RANGE_NO 0, RANGE_STARTED 1, RANGE_OK (escaped or literal) 2.
  let rangeState = 0;
  let rangeStart = -1;
  let inescq = false;
  for (;;) {
    let literal = -1;
    if (inescq) {
      if (c === 92 && s.i < end && p[s.i] === ch('E')) {
        inescq = false;
        s.i++;
      } else literal = c;
    } else if (s.options & EXTENDED_MORE && (c === 32 || c === 9)) {
    } else if (c === 91 && end - s.i >= 3 && (p[s.i] === 58 || p[s.i] === 46 || p[s.i] === 61)) {
      const close = posixSyntaxEnd(s, s.i);
      if (close >= 0) {
        if (rangeState === 1) s.fail(50);
        if (p[s.i] !== 58) s.fail(13, s.i - 1);
        let posixNegate = false;
        if (p[++s.i] === 94) {
          posixNegate = true;
          s.i++;
        }
        let klass = POSIX_NAMES.indexOf(String.fromCharCode(...p.subarray(s.i, close)));
        if (klass < 0) s.fail(30);
        s.i = close + 2;
        if (s.i < end - 1 && p[s.i] === 45 && p[s.i + 1] !== 93) s.fail(50);
        rangeState = 0;
        if (caseless && klass <= 2) klass = 0;
        const posixSet = POSIX_SETS[klass]!;
        addSet(posixNegate ? complement(posixSet) : posixSet);
      } else literal = c;
    } else if (c === 45 && rangeState === 2) {
      rangeState = 1;
    } else if (c !== 92) {
      literal = c;
    } else {
      const r = checkEscape(s, true);
      if ('char' in r) literal = r.char;
      else if ('backref' in r) throw new Error('unreachable: no back reference in a class');
      else {
        const esc = r.esc;
        if (esc === Esc.b) literal = 8;
        else if (esc === Esc.Q) inescq = true;
        else if (esc === Esc.E) {
        } else if (esc === Esc.B || esc === Esc.R || esc === Esc.X) s.fail(7, s.i - 1);
        else {
          if (rangeState === 1) s.fail(50);
          rangeState = 0;
          if (esc === Esc.N) s.fail(71);
          let escBytes: ByteSet | null = null;
          if (esc === Esc.p || esc === Esc.P) escBytes = unicodeProperty(s, esc === Esc.P);
          else if (esc !== Esc.C) escBytes = escapeSet(esc);
          if (!escBytes) s.fail(7, s.i - 1);
          addSet(escBytes);
          if (s.i < end - 1 && p[s.i] === 45 && p[s.i + 1] !== 93) s.fail(50);
        }
      }
    }

    if (literal >= 0) {
      if (rangeState === 1) {
        if (literal < rangeStart) s.fail(8, s.i - 1);
        for (let x = rangeStart; x <= literal; x++) add(x);
        rangeState = 0;
      } else {
        rangeState = 2;
        rangeStart = literal;
        add(literal);
      }
    }

    if (s.i >= end) s.fail(6);
    c = p[s.i++]!;
    if (c === 93 && !inescq) break;
  }
  if (rangeState === 1) add(45);
  s.push({ t: 'set', set: negate ? complement(set) : set }, true);
}
