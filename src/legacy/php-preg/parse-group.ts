// `(` and `)` in PCRE2 10.42's parser: groups, named groups, lookarounds, recursions, callouts and
// option settings (parse-option.ts) open here, as parse_regex reads them; `(*` and `(?(` have
// files of their own.
import type { CondTest, PcreNode } from './ast';
import { MAX_GROUP_NUMBER, readName, readNumber } from './lex';
import { openCondition } from './parse-cond';
import { optionSetting } from './parse-option';
import {
  branchesNode,
  CASELESS,
  DUPNAMES,
  NO_AUTO_CAPTURE,
  type ParseState,
  type VerbName,
} from './parse-state';
import { openStarParen } from './parse-verb';
import { isDigit } from './tables';

/** `(` seen: a group, assertion, verb, option setting, callout, recursion or condition. */
export function openParen(
  s: ParseState,
  prevExpectCondAssert: number,
): VerbName | 'expectCondAssert' | 'callout' | null {
  const p = s.p;
  const end = p.length;
  if (s.i >= end) s.fail(14);

  if (p[s.i] !== 63) {
    if (p[s.i] !== 42) {
      const cap = s.options & NO_AUTO_CAPTURE ? 0 : s.newCapture();
      s.openGroup({ kind: 'group', cap });
      return null;
    }
    return openStarParen(s, prevExpectCondAssert);
  }

  // `(?`
  if (++s.i >= end) s.fail(14);
  const c = p[s.i]!;
  switch (c) {
    case 80: {
      // (?P<name>, (?P>name), (?P=name)
      if (++s.i >= end) s.fail(14);
      if (p[s.i] === 60) {
        defineName(s, 62);
        return null;
      }
      if (p[s.i] === 62) {
        recurseByName(s);
        return null;
      }
      if (p[s.i] !== 61) s.fail(41);
      const name = readName(s, 41, true);
      const node: PcreNode & { t: 'backref' } = {
        t: 'backref',
        groups: [],
        caseless: (s.options & CASELESS) !== 0,
      };
      s.nameRefs.push({ name, node });
      s.push(node, true);
      return null;
    }
    case 82: // (?R)
      s.i++;
      if (s.i >= end || p[s.i] !== 41) s.fail(58);
      s.i++;
      s.recursion(0);
      return null;
    case 43: // (?+n)
      if (end - s.i < 2 || !isDigit(p[s.i + 1])) s.fail(29);
      return recursionByNumber(s);
    case 38: // (?&name)
      recurseByName(s);
      return null;
    case 67: {
      // (?C), (?Cn), (?C"text"): callouts, which PHP never handles (they do nothing).
      if (++s.i >= end) s.fail(14);
      if (p[s.i] !== 41 && !isDigit(p[s.i])) {
        const starts = [96, 39, 34, 94, 37, 35, 36, 123];
        const ends = [96, 39, 34, 94, 37, 35, 36, 125];
        const k = starts.indexOf(p[s.i]!);
        if (k < 0) s.fail(82);
        const delimiter = ends[k]!;
        for (;;) {
          if (++s.i >= end) s.fail(81);
          if (p[s.i] === delimiter && (++s.i >= end || p[s.i] !== delimiter)) break;
        }
      } else {
        let n = 0;
        while (s.i < end && isDigit(p[s.i])) {
          n = n * 10 + p[s.i++]! - 48;
          if (n > 255) s.fail(38);
        }
      }
      if (s.i >= end || p[s.i] !== 41) s.fail(39);
      s.i++;
      return 'callout';
    }
    case 40:
      return openCondition(s);
    case 62: // (?>
      s.i++;
      s.openGroup({ kind: 'atomic' });
      return null;
    case 61: // (?=
      s.i++;
      s.openLook(false, false, true, prevExpectCondAssert);
      return null;
    case 42: // (?*
      s.i++;
      s.openLook(false, false, false, prevExpectCondAssert);
      return null;
    case 33: // (?!
      s.i++;
      s.openLook(false, true, true, prevExpectCondAssert);
      return null;
    case 60: {
      // (?<=, (?<!, (?<*, or (?<name>
      const d = p[s.i + 1];
      if (end - s.i <= 1 || (d !== 61 && d !== 33 && d !== 42)) {
        defineName(s, 62);
        return null;
      }
      s.i += 2;
      s.openLook(true, d === 33, d !== 42, prevExpectCondAssert);
      return null;
    }
    case 39:
      defineName(s, 39);
      return null;
    default:
      if (c >= 48 && c <= 57) return recursionByNumber(s);
      if (c === 45 && end - s.i > 1 && isDigit(p[s.i + 1])) return recursionByNumber(s);
      return optionSetting(s);
  }
}

// (?n), (?+n), (?-n): a recursion into a group by absolute or relative number.
function recursionByNumber(s: ParseState): null {
  const p = s.p;
  const n = readNumber(s, isDigit(p[s.i]) ? -1 : s.bracount, MAX_GROUP_NUMBER, 61);
  if (n === null) s.fail(61);
  if (n < 0) s.fail(15);
  if (s.i >= p.length || p[s.i] !== 41) s.fail(14);
  s.i++;
  s.recursion(n);
  return null;
}

// (?&name), (?P>name): a recursion into a named group, resolved when all names are known.
function recurseByName(s: ParseState): void {
  const name = readName(s, 41, true);
  const node: PcreNode & { t: 'recurse' } = { t: 'recurse', group: -1 };
  s.nameRefs.push({ name, node });
  s.push(node, true);
}

// (?<name>…), (?'name'…), (?P<name>…): a numbered capture group with a name.
function defineName(s: ParseState, terminator: number): void {
  const name = readName(s, terminator, true);
  const number = s.newCapture();
  s.openGroup({ kind: 'group', cap: number });
  if (s.names.length >= 10000) s.fail(49);
  let isdup = false;
  for (const ng of s.names) {
    if (ng.name === name) {
      if (ng.number === number) return;
      if (!(s.options & DUPNAMES)) s.fail(43);
      ng.isdup = true;
      isdup = true;
    } else if (ng.number === number) s.fail(65);
  }
  s.names.push({ name, number, isdup });
}

/** `)`: closes the innermost group into its node and restores the options it opened with. */
export function closeParen(s: ParseState): void {
  if (s.nestDepth === 0) s.fail(22, s.i - 1);
  const f = s.stack.pop()!;
  s.nestDepth--;
  s.options = f.options;
  if (f.reset && f.reset.maxGroup > s.bracount) s.bracount = f.reset.maxGroup;
  let node: PcreNode;
  let quantifiable = true;
  switch (f.kind) {
    case 'group': {
      const g: PcreNode & { t: 'group' } = { t: 'group', cap: f.cap, body: branchesNode(f) };
      if (f.cap > 0 && !s.groupNodes[f.cap]) s.groupNodes[f.cap] = g;
      node = g;
      break;
    }
    case 'atomic':
      node = { t: 'atomic', body: branchesNode(f) };
      break;
    case 'look':
      node = { t: 'look', ...f.look!, body: branchesNode(f) };
      quantifiable = !f.condAssert;
      break;
    case 'cond': {
      f.branches.push(f.cur);
      let test: CondTest;
      const branches = f.branches;
      if (f.cond === 'assert') {
        const first = branches[0]!;
        const look = first.shift() as PcreNode & { t: 'look' };
        test = { t: 'assert', look };
      } else test = f.cond!;
      if (f.define) {
        if (branches.length > 1) s.fail(54);
      } else if (branches.length > 2) s.fail(27);
      const seq = (items: PcreNode[]): PcreNode =>
        items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items };
      const cond: PcreNode & { t: 'cond' } = {
        t: 'cond',
        test,
        yes: seq(branches[0]!),
        no: branches.length > 1 ? seq(branches[1]!) : { t: 'empty' },
        branches: branches.length,
        define: f.define === true,
      };
      if (f.nameRef) s.condNameRefs.push({ ...f.nameRef, node: cond });
      node = cond;
      break;
    }
    default:
      throw new Error('unreachable: root closed');
  }
  s.push(node, quantifiable);
}
