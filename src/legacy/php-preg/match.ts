// Matching a parsed PCRE2 pattern (parse.ts) against the start of a subject, in bounded
// time. A pattern without back references, lookaround, atomic groups, possessive quantifiers,
// recursion, conditions or backtracking verbs is a regular expression: it runs on a Pike VM (a
// Thompson NFA simulation, linear in the subject: nfa.ts). The others run on a
// backtracking matcher, as PCRE2 does, under a step budget (backtrack.ts). This file
// chooses between them and says how much of the subject a pattern can read.
import type { ParsedPattern, PcreNode } from './ast';
import { Backtracker } from './backtrack';
import { compileNfa, runNfa } from './nfa';
import type { MatchResult, Subject } from './subject';

export type { MatchResult, Subject } from './subject';

export interface PcreProgram {
  /**
   * The most bytes a match can read from the start of the subject, counting the one byte an
   * anchor may look at after the match; Infinity when unbounded or when a match may start later
   * than the first byte.
   */
  readonly reach: number;
  readonly engine: 'nfa' | 'backtrack';
  match(subject: Subject): MatchResult;
}

export function compileProgram(parsed: ParsedPattern): PcreProgram {
  const reach = patternReach(parsed);
  if (isRegular(parsed.root)) {
    const program = compileNfa(parsed.root);
    if (program)
      return { reach, engine: 'nfa', match: (subject) => runNfa(program, subject, parsed.anchored) };
  }
  const matcher = new Backtracker(parsed);
  return { reach, engine: 'backtrack', match: (subject) => matcher.run(subject) };
}

// ---------------------------------------------------------------------------------------------
// Classification and reach

function isRegular(node: PcreNode): boolean {
  switch (node.t) {
    case 'empty':
    case 'set':
    case 'assert':
    case 'notNext':
    case 'keep':
      return true;
    case 'seq':
      return node.items.every(isRegular);
    case 'alt':
      return node.alts.every(isRegular);
    case 'group':
      return isRegular(node.body);
    case 'rep':
      return !node.possessive && isRegular(node.body);
    case 'cond':
      return (
        (node.test.t === 'always' || node.test.t === 'never') && isRegular(node.yes) && isRegular(node.no)
      );
    case 'verb':
      return node.verb === 'accept' || node.verb === 'fail' || node.verb === 'mark';
    default:
      return false;
  }
}

// Whether every match must start at offset 0 (the pattern begins with `^` or \A on every path).
function anchoredAtStart(node: PcreNode): boolean {
  switch (node.t) {
    case 'assert':
      return node.anchor === 'start';
    case 'seq':
      return node.items.length > 0 && anchoredAtStart(node.items[0]!);
    case 'alt':
      return node.alts.every(anchoredAtStart);
    case 'group':
    case 'atomic':
      return anchoredAtStart(node.body);
    case 'cond':
      return node.test.t === 'always'
        ? anchoredAtStart(node.yes)
        : node.test.t === 'never'
          ? anchoredAtStart(node.no)
          : anchoredAtStart(node.yes) && anchoredAtStart(node.no);
    default:
      return false;
  }
}

// The most bytes a match of `node` can read from where it starts (consumed, or looked at ahead).
function maxRead(node: PcreNode): number {
  switch (node.t) {
    case 'empty':
    case 'assert':
    case 'notNext':
    case 'keep':
    case 'verb':
      return 0;
    case 'set':
      return 1;
    case 'seq': {
      // A lookahead reads past where the sequence is when it runs: the sequence reads the most of
      // (bytes before an item + what that item reads).
      let before = 0;
      let most = 0;
      for (const item of node.items) {
        const read = maxRead(item);
        most = Math.max(most, before + read);
        before += item.t === 'look' ? 0 : read;
      }
      return most;
    }
    case 'alt':
      return Math.max(0, ...node.alts.map(maxRead));
    case 'group':
    case 'atomic':
      return maxRead(node.body);
    case 'rep': {
      const body = maxRead(node.body);
      if (body === 0) return 0;
      return node.max === -1 ? Number.POSITIVE_INFINITY : body * node.max;
    }
    case 'look':
      return node.behind ? 0 : maxRead(node.body);
    case 'cond':
      return Math.max(
        node.test.t === 'assert' ? maxRead(node.test.look) : 0,
        maxRead(node.yes),
        maxRead(node.no),
      );
    case 'backref':
    case 'recurse':
      return Number.POSITIVE_INFINITY;
  }
}

function patternReach(parsed: ParsedPattern): number {
  if (!parsed.anchored && !anchoredAtStart(parsed.root)) return Number.POSITIVE_INFINITY;
  // An anchor after the last byte read looks at up to two more: `$` asks for "\n then the end".
  return maxRead(parsed.root) + 2;
}
