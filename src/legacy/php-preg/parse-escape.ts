// `\` outside a character class in PCRE2 10.42's parser: a literal, a back reference, a class of
// bytes, an assertion, \K, \R, \X, or a reference by name or number (\g, \k).
import type { ByteSet, PcreNode } from './ast';
import { MAX_GROUP_NUMBER, readName, readNumber, unicodeProperty } from './lex';
import { checkEscape } from './lex-escape';
import { CASELESS, type ParseState } from './parse-state';
import { CR_SET, Esc, escapeSet, NL_SET, NOT_CR_SET, R_SINGLE_SET } from './tables';

/** After `\`: the escape read by check_escape, pushed as the item it stands for. */
export function escapeItem(s: ParseState): void {
  const r = checkEscape(s, false);
  if ('char' in r) {
    s.push(s.literal(r.char), true);
    return;
  }
  if ('backref' in r) {
    s.numberRefs.push({ group: r.backref, offset: s.i });
    s.push({ t: 'backref', groups: [r.backref], caseless: (s.options & CASELESS) !== 0 }, true);
    return;
  }
  const esc = r.esc;
  const set = escapeSet(esc);
  if (set) {
    s.push({ t: 'set', set }, true);
    return;
  }
  switch (esc) {
    case Esc.R:
      // (?>\r\n|\n|\x0b|\f|\r|\x85): atomic, so a CR followed by LF is never taken alone.
      s.push(lineBreakGroup(R_SINGLE_SET), true);
      return;
    case Esc.X:
      // An extended grapheme cluster of Latin-1 code points: CR LF (atomically), or one character.
      s.push(lineBreakGroup(NOT_CR_SET), true);
      return;
    case Esc.p:
    case Esc.P:
      s.push({ t: 'set', set: unicodeProperty(s, esc === Esc.P) }, true);
      return;
    case Esc.A:
    case Esc.G:
      s.push({ t: 'assert', anchor: 'start' }, false);
      return;
    case Esc.z:
      s.push({ t: 'assert', anchor: 'end' }, false);
      return;
    case Esc.Z:
      s.push({ t: 'assert', anchor: 'endOrFinalNewline' }, false);
      return;
    case Esc.b:
      s.push({ t: 'assert', anchor: 'word' }, false);
      return;
    case Esc.B:
      s.push({ t: 'assert', anchor: 'notWord' }, false);
      return;
    case Esc.K:
      s.push({ t: 'keep' }, false);
      return;
    case Esc.g:
    case Esc.k: {
      const p = s.p;
      if (s.i >= p.length || (p[s.i] !== 123 && p[s.i] !== 60 && p[s.i] !== 39)) {
        s.fail(esc === Esc.g ? 57 : 69);
      }
      const open = p[s.i];
      const terminator = open === 60 ? 62 : open === 39 ? 39 : 125;
      if (esc === Esc.g && terminator !== 125) {
        const save = s.i;
        s.i++;
        const n = readNumber(s, s.bracount, MAX_GROUP_NUMBER, 61);
        if (n !== null) {
          if (s.i >= p.length || p[s.i] !== terminator) s.fail(57);
          s.i++;
          s.recursion(n);
          return;
        }
        s.i = save;
      }
      const name = readName(s, terminator, true);
      const node: PcreNode & ({ t: 'backref' } | { t: 'recurse' }) =
        esc === Esc.k || terminator === 125
          ? { t: 'backref', groups: [], caseless: (s.options & CASELESS) !== 0 }
          : { t: 'recurse', group: -1 };
      s.nameRefs.push({ name, node });
      s.push(node, true);
      return;
    }
    default:
      throw new Error(`escape ${esc} not handled`);
  }
}

// \R and \X: CR LF, or a CR not followed by LF, or one byte of `single` (a group of alternatives
// of different lengths, as PCRE2 sees them in a lookbehind).
function lineBreakGroup(single: ByteSet): PcreNode {
  return {
    t: 'group',
    cap: 0,
    body: {
      t: 'alt',
      alts: [
        {
          t: 'seq',
          items: [
            { t: 'set', set: CR_SET },
            { t: 'set', set: NL_SET },
          ],
        },
        {
          t: 'seq',
          items: [
            { t: 'set', set: CR_SET },
            { t: 'notNext', set: NL_SET },
          ],
        },
        { t: 'set', set: single },
      ],
    },
  };
}
