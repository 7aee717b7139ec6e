// `(?(` in PCRE2 10.42's parser: a conditional group's condition (a group number or name, a
// recursion test, DEFINE, VERSION, or an assertion that follows), as parse_regex reads it.
import type { CondTest } from './ast';
import { MAX_GROUP_NUMBER, readName, readNumber } from './lex';
import type { CondNameRef, ParseState } from './parse-state';
import { isDigit } from './tables';

const PCRE2_MAJOR = 10;
const PCRE2_MINOR = 42;

/**
 * After `(?(`: opens the conditional group with its test, or (for an assertion) says that one must
 * follow; references by name wait for the names table.
 */
export function openCondition(s: ParseState): 'expectCondAssert' | null {
  const p = s.p;
  const end = p.length;
  if (++s.i >= end) s.fail(14);
  if (p[s.i] === 63 || p[s.i] === 42) {
    s.i--; // back to the assertion's `(`, read next
    s.openGroup({ kind: 'cond', cond: 'assert' });
    return 'expectCondAssert';
  }
  const n = readNumber(s, s.bracount, MAX_GROUP_NUMBER, 61);
  let test: CondTest = { t: 'never' };
  let nameRef: { name: string; kind: CondNameRef['kind'] } | undefined;
  let define = false;
  if (n !== null) {
    if (n <= 0) s.fail(15);
    s.condNumberRefs.push({ group: n });
    test = { t: 'group', groups: [n] };
  } else if (
    end - s.i >= 10 &&
    String.fromCharCode(...p.subarray(s.i, s.i + 7)) === 'VERSION' &&
    p[s.i + 7] !== 41
  ) {
    s.i += 7;
    let ge = false;
    if (p[s.i] === 62) {
      ge = true;
      s.i++;
    }
    if (p[s.i] !== 61) s.fail(79);
    s.i++;
    if (!isDigit(p[s.i])) s.fail(79);
    const major = readNumber(s, -1, 1000, 79)!;
    let minor = 0;
    if (s.i >= end) s.fail(79);
    if (p[s.i] === 46) {
      if (++s.i >= end || !isDigit(p[s.i])) s.fail(79);
      minor = (p[s.i++]! - 48) * 10;
      if (s.i >= end) s.fail(79);
      if (isDigit(p[s.i])) minor += p[s.i++]! - 48;
      if (s.i >= end || p[s.i] !== 41) s.fail(79);
    }
    const cmp = PCRE2_MAJOR !== major ? PCRE2_MAJOR - major : PCRE2_MINOR - minor;
    test = (ge ? cmp >= 0 : cmp === 0) ? { t: 'always' } : { t: 'never' };
  } else {
    let terminator: number;
    let rAmpersand = false;
    if (p[s.i] === 82 && end - s.i > 1 && p[s.i + 1] === 38) {
      terminator = 41;
      rAmpersand = true;
      s.i++;
    } else if (p[s.i] === 60) terminator = 62;
    else if (p[s.i] === 39) terminator = 39;
    else {
      terminator = 41;
      s.i--;
    }
    const name = readName(s, terminator, true);
    if (rAmpersand) {
      nameRef = { name, kind: 'rname' };
      s.i--;
    } else if (terminator === 41) {
      if (name === 'DEFINE') define = true;
      else nameRef = { name, kind: /^R\d*$/.test(name) ? 'rnumber' : 'name' };
      s.i--;
    } else nameRef = { name, kind: 'name' };
  }
  if (s.i >= end || p[s.i] !== 41) s.fail(24);
  s.i++;
  s.openGroup({ kind: 'cond', cond: test, define, nameRef });
  return null;
}
