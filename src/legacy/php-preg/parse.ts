// PCRE2 10.42's pattern parser (pcre2_compile.c parse_regex and the checks of its compile pass), as
// PHP 8.2's preg_match runs it: 8-bit code units, no UTF, no UCP, newline LF, the default character
// tables (ASCII), no compile options except those set inside the pattern. It reads the pattern into
// a tree (PcreNode) and fails with PcreSyntaxError exactly where PCRE2 fails to compile; matching is
// match.ts's. Error numbers are PCRE2's (pcre2_error.c).
//
// The parser's parts: lex.ts and lex-escape.ts read tokens (numbers, names, escapes), and each
// construct has a file, parse-{escape,class,group,option,verb,cond}.ts, working on one ParseState
// (parse-state.ts) as parse_regex works on its compile block. This file is the main loop:
// literals, anchors, quantifiers, `|`, \Q…\E, comments and extended-mode spacing.
import type { ParsedPattern, PcreNode, PcreOptions } from './ast';
import { checkTree } from './check';
import { MAX_GROUP_NUMBER, readRepeatCounts } from './lex';
import { classItem } from './parse-class';
import { escapeItem } from './parse-escape';
import { closeParen, openParen } from './parse-group';
import {
  branchesNode,
  CASELESS,
  DOTALL,
  DUPNAMES,
  EXTENDED,
  MULTILINE,
  NO_AUTO_CAPTURE,
  ParseState,
  UNGREEDY,
  type VerbName,
} from './parse-state';
import { ALL_SET, C_LCLETTER, C_SPACE, CTYPES, ch, NOT_NL_SET } from './tables';

const PARENS_NEST_LIMIT = 250;
const MAX_MARK = 255;

/**
 * Parses `p` (the bytes between the delimiters) as pcre2_compile with no options does.
 * Throws PcreSyntaxError where PCRE2 reports a compile error.
 */
export function parsePcre(p: Uint8Array, options: PcreOptions = {}): ParsedPattern {
  const bits =
    (options.caseless ? CASELESS : 0) |
    (options.multiline ? MULTILINE : 0) |
    (options.dotall ? DOTALL : 0) |
    (options.extended ? EXTENDED : 0) |
    (options.ungreedy ? UNGREEDY : 0) |
    (options.noAutoCapture ? NO_AUTO_CAPTURE : 0) |
    (options.dupnames ? DUPNAMES : 0);
  return parseRegex(new ParseState(p, bits, options.dollarEndOnly === true, options.anchored === true));
}

// parse_regex: the pattern byte by byte, each construct to its reader, then the compile pass's checks.
function parseRegex(s: ParseState): ParsedPattern {
  const p = s.p;
  const end = p.length;
  s.stack.push({
    kind: 'root',
    cap: 0,
    branches: [],
    cur: [],
    options: s.initialOptions,
    condAssert: false,
  });
  let inescq = false;
  let inVerbName: VerbName | null = null;
  let expectCondAssert = 0;
  let lastQuantifier: (PcreNode & { t: 'rep' }) | null = null;
  let lastQuantifierUngreedy = false;

  while (s.i < end) {
    if (s.nestDepth > PARENS_NEST_LIMIT) s.fail(19);
    const c = p[s.i++]!;

    if (inescq) {
      if (c === 92 && s.i < end && p[s.i] === ch('E')) {
        inescq = false;
        s.i++;
      } else {
        if (expectCondAssert > 0) s.fail(28, s.i - 1);
        if (inVerbName) inVerbName.chars.push(c);
        else s.push(s.literal(c), true);
        lastQuantifier = null;
      }
      continue;
    }

    // A (*VERB:NAME) argument: everything up to `)` is literal (no PCRE2_ALT_VERBNAMES).
    if (inVerbName) {
      if (c === 41) {
        if (s.i - inVerbName.start - 1 > MAX_MARK) s.fail(76, s.i - 1);
        inVerbName.node.name = String.fromCharCode(...inVerbName.chars);
        inVerbName = null;
      } else inVerbName.chars.push(c);
      continue;
    }

    if (c === 92 && s.i < end && (p[s.i] === ch('Q') || p[s.i] === ch('E'))) {
      inescq = p[s.i] === ch('Q');
      s.i++;
      continue;
    }

    if (s.options & EXTENDED) {
      if (CTYPES[c]! & C_SPACE || c === 0x85) continue;
      if (c === 35) {
        while (s.i < end) {
          if (p[s.i] === 10) {
            s.i++;
            break;
          }
          s.i++;
        }
        continue;
      }
    }

    if (c === 40 && end - s.i >= 2 && p[s.i] === 63 && p[s.i + 1] === 35) {
      s.i++;
      while (++s.i < end && p[s.i] !== 41);
      if (s.i >= end) s.fail(18);
      s.i++;
      continue;
    }

    if (expectCondAssert > 0) {
      let ok = c === 40 && end - s.i >= 3 && (p[s.i] === 63 || p[s.i] === 42);
      if (ok) {
        if (p[s.i] === 42) ok = (CTYPES[p[s.i + 1]!]! & C_LCLETTER) !== 0;
        else {
          const d = p[s.i + 1];
          if (d === ch('C')) ok = expectCondAssert === 2;
          else if (d === 61 || d === 33) ok = true;
          else if (d === 60) ok = p[s.i + 2] === 61 || p[s.i + 2] === 33;
          else ok = false;
        }
      }
      if (!ok) s.fail(28, s.i - 1);
    }
    const prevExpectCondAssert = expectCondAssert;
    expectCondAssert = 0;
    const prevOkQuantifier = s.okQuantifier;
    const prevQuantifier = lastQuantifier;
    s.okQuantifier = false;
    lastQuantifier = null;

    // A `?` or `+` after a quantifier makes it lazy or possessive.
    if (prevQuantifier && (c === 63 || c === 43)) {
      if (c === 63) prevQuantifier.lazy = !lastQuantifierUngreedy;
      else {
        prevQuantifier.possessive = true;
        prevQuantifier.lazy = false;
      }
      continue;
    }

    let min = 0;
    let max = 0;
    let isQuantifier = false;
    switch (c) {
      case 92: {
        escapeItem(s);
        break;
      }
      case 94:
        s.push({ t: 'assert', anchor: s.options & MULTILINE ? 'startLine' : 'start' }, false);
        break;
      case 36:
        s.push(
          {
            t: 'assert',
            anchor: s.options & MULTILINE ? 'endLine' : s.dollarEndOnly ? 'end' : 'endOrFinalNewline',
          },
          false,
        );
        break;
      case 46:
        s.push({ t: 'set', set: s.options & DOTALL ? ALL_SET : NOT_NL_SET }, true);
        break;
      case 42:
        isQuantifier = true;
        max = -1;
        break;
      case 43:
        isQuantifier = true;
        min = 1;
        max = -1;
        break;
      case 63:
        isQuantifier = true;
        max = 1;
        break;
      case 123: {
        const counts = readRepeatCounts(s, s.i);
        if (!counts) {
          s.push(s.literal(c), true);
          break;
        }
        s.i = counts.next;
        isQuantifier = true;
        min = counts.min;
        max = counts.max;
        break;
      }
      case 91:
        classItem(s);
        break;
      case 40: {
        const verb = openParen(s, prevExpectCondAssert);
        if (verb === 'expectCondAssert') expectCondAssert = 2;
        else if (verb === 'callout') expectCondAssert = prevExpectCondAssert - 1;
        else if (verb) inVerbName = verb;
        break;
      }
      case 124: {
        const f = s.frame;
        if (f.reset) {
          if (s.bracount > f.reset.maxGroup) f.reset.maxGroup = s.bracount;
          s.bracount = f.reset.resetGroup;
        }
        f.branches.push(f.cur);
        f.cur = [];
        break;
      }
      case 41:
        closeParen(s);
        break;
      default:
        s.push(s.literal(c), true);
    }

    if (isQuantifier) {
      if (!prevOkQuantifier) s.fail(9, s.i - 1);
      const items = s.frame.cur;
      const last = items.pop()!;
      const rep: PcreNode & { t: 'rep' } = {
        t: 'rep',
        body: last,
        min,
        max,
        lazy: (s.options & UNGREEDY) !== 0,
        possessive: false,
      };
      lastQuantifierUngreedy = (s.options & UNGREEDY) !== 0;
      items.push(rep);
      lastQuantifier = rep;
    }
  }

  if (inVerbName) s.fail(60);
  if (s.nestDepth !== 0 || s.stack.length !== 1) s.fail(14);
  const root = branchesNode(s.frame);
  const parsed: ParsedPattern = {
    root,
    anchored: s.anchored,
    groupCount: s.bracount,
    groups: s.groupNodes,
  };
  resolve(s, parsed);
  return parsed;
}

/** The compile pass's checks and name resolution: references, lookbehind lengths, size. */
function resolve(s: ParseState, parsed: ParsedPattern): void {
  const groupsNamed = (name: string) => s.names.filter((n) => n.name === name).map((n) => n.number);
  for (const { group } of s.numberRefs) if (group > s.bracount) s.fail(15);
  for (const { group } of s.condNumberRefs) if (group > s.bracount) s.fail(15);
  for (const { name, node } of s.nameRefs) {
    const numbers = groupsNamed(name);
    if (numbers.length === 0) s.fail(15);
    if (node.t === 'backref') node.groups = numbers;
    else node.group = numbers[0]!;
  }
  for (const { name, kind, node } of s.condNameRefs) {
    const numbers = groupsNamed(kind === 'rname' ? name : name);
    if (kind === 'rname') {
      if (numbers.length === 0) s.fail(15);
      node.test = { t: 'recursion', group: numbers[0]! };
    } else if (numbers.length > 0) node.test = { t: 'group', groups: numbers };
    else if (kind === 'rnumber') {
      const n = name.length > 1 ? Number(name.slice(1)) : 0;
      if (n > MAX_GROUP_NUMBER) s.fail(61);
      if (n > s.bracount) s.fail(15);
      node.test = { t: 'recursion', group: n };
    } else s.fail(15);
  }
  for (let g = 1; g <= s.bracount; g++) if (!parsed.groups[g]) s.fail(53);
  checkTree(parsed, s.dupCapUsed);
}
