// (? followed by option letters in PCRE2 10.42's parser: options for the rest of the enclosing
// group, or a non-capturing group with its own options, or (?| (duplicate group numbers).
import {
  CASELESS,
  DOTALL,
  DUPNAMES,
  EXTENDED,
  EXTENDED_MORE,
  MULTILINE,
  NO_AUTO_CAPTURE,
  type ParseState,
  UNGREEDY,
} from './parse-state';

// (?imnsxJU-…) alone (for the rest of the enclosing group), (?…:…) as a group, or (?|.
export function optionSetting(s: ParseState): null {
  const p = s.p;
  const end = p.length;
  // (?| or options, possibly starting a non-capturing group.
  if (p[s.i] === 124) {
    s.dupCapUsed = true;
    s.openGroup({
      kind: 'group',
      cap: 0,
      reset: { resetGroup: s.bracount, maxGroup: s.bracount },
    });
    s.i++;
    return null;
  }
  let hyphenOk = true;
  let set = 0;
  let unset = 0;
  let setting = true;
  let options = s.options;
  if (s.i < end && p[s.i] === 94) {
    options &= ~(CASELESS | MULTILINE | NO_AUTO_CAPTURE | DOTALL | EXTENDED | EXTENDED_MORE);
    hyphenOk = false;
    s.i++;
  }
  while (s.i < end && p[s.i] !== 41 && p[s.i] !== 58) {
    const o = p[s.i++]!;
    let bit = 0;
    switch (String.fromCharCode(o)) {
      case '-':
        if (!hyphenOk) s.fail(94, s.i - 1);
        setting = false;
        hyphenOk = false;
        continue;
      case 'J':
        bit = DUPNAMES;
        break;
      case 'i':
        bit = CASELESS;
        break;
      case 'm':
        bit = MULTILINE;
        break;
      case 'n':
        bit = NO_AUTO_CAPTURE;
        break;
      case 's':
        bit = DOTALL;
        break;
      case 'U':
        bit = UNGREEDY;
        break;
      case 'x':
        bit = EXTENDED;
        if (s.i < end && p[s.i] === 120) {
          bit |= EXTENDED_MORE;
          s.i++;
        }
        break;
      default:
        s.fail(11, s.i - 1);
    }
    if (setting) set |= bit;
    else unset |= bit;
  }
  if ((set & (EXTENDED | EXTENDED_MORE)) === EXTENDED || unset & EXTENDED) unset |= EXTENDED_MORE;
  options = (options | set) & ~unset;
  if (s.i >= end) s.fail(14);
  if (p[s.i++] === 41) {
    s.options = options; // at this level, until its group closes
    s.okQuantifier = false;
    return null;
  }
  s.openGroup({ kind: 'group', cap: 0 });
  s.options = options;
  return null;
}
