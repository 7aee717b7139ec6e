// Matching a parsed PCRE2 pattern (php-preg-parse.ts) against the start of a subject, in bounded
// time. A pattern without back references, lookaround, atomic groups, possessive quantifiers,
// recursion, conditions or backtracking verbs is a regular expression: it runs on a Pike VM (a
// Thompson NFA simulation, linear in the subject). The others run on a backtracking matcher, as
// PCRE2 does, under a step budget. Both give a boolean: whether the pattern matches anywhere.
import { type ByteSet, otherCase, type ParsedPattern, type PcreNode, WORD_SET } from './php-preg-parse';

/**
 * The subject as the matcher sees it: `bytes` are its first bytes; `complete` says they are all of
 * it. A match may consume bytes before index `limit` only (limit ≤ bytes.length), and may look at
 * the byte after (an anchor such as `$` or \b): with `complete` false, `bytes` must extend two
 * bytes past `limit`.
 */
export interface Subject {
  bytes: Uint8Array;
  complete: boolean;
  limit: number;
}

/** Matches, does not match, or gave up (the step budget ran out, or the stack did). */
export type MatchResult = boolean | 'budget';

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

/**
 * The step budgets of one match (tens of milliseconds at most): Pike VM thread steps, and
 * backtracking steps (PCRE's own pcre.backtrack_limit is 1,000,000 of its steps). Out of budget,
 * the match gives up ('budget'), as PCRE does at its limit.
 */
export const NFA_STEP_BUDGET = 4_000_000;
export const BACKTRACK_STEP_BUDGET = 1_000_000;
/** Programs larger than this (counted repetitions expanded) run on the backtracker instead. */
const MAX_NFA_PROGRAM = 20_000;

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

// ---------------------------------------------------------------------------------------------
// Zero-width tests

const isEndAt = (s: Subject, pos: number) => s.complete && pos === s.bytes.length;

/** An anchor at `pos`; null when the subject is not known far enough to tell. */
function anchorHolds(anchor: string, s: Subject, pos: number): boolean | null {
  const b = s.bytes;
  const n = b.length;
  if (pos + 1 >= n && !s.complete) return null;
  switch (anchor) {
    case 'start':
      return pos === 0;
    case 'startLine':
      return pos === 0 || (!isEndAt(s, pos) && b[pos - 1] === 10);
    case 'end':
      return isEndAt(s, pos);
    case 'endOrFinalNewline':
      return isEndAt(s, pos) || (pos < n && b[pos] === 10 && isEndAt(s, pos + 1));
    case 'endLine':
      return isEndAt(s, pos) || (pos < n && b[pos] === 10);
    default: {
      const before = pos > 0 && WORD_SET[b[pos - 1]!] === 1;
      const after = pos < n && WORD_SET[b[pos]!] === 1;
      return (before !== after) === (anchor === 'word');
    }
  }
}

function notNextHolds(set: ByteSet, s: Subject, pos: number): boolean | null {
  if (pos >= s.bytes.length) return s.complete ? true : null;
  return set[s.bytes[pos]!] === 0;
}

// ---------------------------------------------------------------------------------------------
// Pike VM

enum Op {
  Byte,
  Split,
  Jmp,
  Assert,
  NotNext,
  Match,
  Fail,
}

interface Instruction {
  op: Op;
  set?: ByteSet;
  x?: number;
  y?: number;
  anchor?: string;
}

function compileNfa(root: PcreNode): Instruction[] | null {
  const prog: Instruction[] = [];
  const emit = (ins: Instruction) => {
    if (prog.length >= MAX_NFA_PROGRAM) throw new RangeError('program too large');
    prog.push(ins);
    return prog.length - 1;
  };
  // ACCEPT jumps to the final Match, patched at the end.
  const accepts: number[] = [];
  const gen = (node: PcreNode): void => {
    switch (node.t) {
      case 'empty':
      case 'keep':
        return;
      case 'set':
        emit({ op: Op.Byte, set: node.set });
        return;
      case 'assert':
        emit({ op: Op.Assert, anchor: node.anchor });
        return;
      case 'notNext':
        emit({ op: Op.NotNext, set: node.set });
        return;
      case 'seq':
        for (const item of node.items) gen(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.alts.forEach((alt, k) => {
          if (k < node.alts.length - 1) {
            const split = emit({ op: Op.Split, x: 0, y: 0 });
            prog[split]!.x = prog.length;
            gen(alt);
            jumps.push(emit({ op: Op.Jmp, x: 0 }));
            prog[split]!.y = prog.length;
          } else gen(alt);
        });
        for (const j of jumps) prog[j]!.x = prog.length;
        return;
      }
      case 'group':
        gen(node.body);
        return;
      case 'cond':
        gen(node.test.t === 'always' ? node.yes : node.no);
        return;
      case 'verb':
        if (node.verb === 'accept') accepts.push(emit({ op: Op.Jmp, x: 0 }));
        else if (node.verb === 'fail') emit({ op: Op.Fail });
        return;
      case 'rep': {
        for (let k = 0; k < node.min; k++) gen(node.body);
        if (node.max === -1) {
          const split = emit({ op: Op.Split, x: 0, y: 0 });
          prog[split]!.x = prog.length;
          gen(node.body);
          emit({ op: Op.Jmp, x: split });
          prog[split]!.y = prog.length;
        } else {
          const splits: number[] = [];
          for (let k = node.min; k < node.max; k++) {
            splits.push(emit({ op: Op.Split, x: 0, y: 0 }));
            prog[splits[splits.length - 1]!]!.x = prog.length;
            gen(node.body);
          }
          for (const s of splits) prog[s]!.y = prog.length;
        }
        return;
      }
      default:
        throw new Error(`not regular: ${node.t}`);
    }
  };
  try {
    gen(root);
    const match = emit({ op: Op.Match });
    for (const a of accepts) prog[a]!.x = match;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
  return prog;
}

function runNfa(prog: Instruction[], s: Subject, anchored: boolean): MatchResult {
  const size = prog.length;
  let clist = new Int32Array(size);
  let nlist = new Int32Array(size);
  let ccount = 0;
  let ncount = 0;
  const mark = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size + 1);
  let steps = 0;
  let unknown = false;
  const bytes = s.bytes;
  const last = s.complete ? bytes.length : s.limit;

  // Adds the threads reachable from `pc` without consuming at `pos` to the list (next or current);
  // true when one of them matches.
  const add = (pc0: number, pos: number, list: Int32Array, count: number, gen: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      steps++;
      const ins = prog[pc]!;
      switch (ins.op) {
        case Op.Byte:
          list[count++] = pc;
          break;
        case Op.Match:
          return -1;
        case Op.Jmp:
          stack[sp++] = ins.x!;
          break;
        case Op.Split:
          stack[sp++] = ins.y!;
          stack[sp++] = ins.x!;
          break;
        case Op.Assert: {
          const holds = anchorHolds(ins.anchor!, s, pos);
          if (holds === null) unknown = true;
          else if (holds) stack[sp++] = pc + 1;
          break;
        }
        case Op.NotNext: {
          const holds = notNextHolds(ins.set!, s, pos);
          if (holds === null) unknown = true;
          else if (holds) stack[sp++] = pc + 1;
          break;
        }
        case Op.Fail:
          break;
      }
    }
    return count;
  };

  for (let pos = 0; ; pos++) {
    // A new match attempt starts at every position (a match found earlier ends the search).
    if (pos === 0 || !anchored) {
      const started = add(0, pos, clist, ccount, pos);
      if (started < 0) return true;
      ccount = started;
    }
    if (steps > NFA_STEP_BUDGET) return 'budget';
    if (pos >= last || ccount === 0) {
      if (pos >= last) break;
      continue;
    }
    ncount = 0;
    const byte = bytes[pos]!;
    for (let k = 0; k < ccount; k++) {
      const pc = clist[k]!;
      if (prog[pc]!.set![byte] === 1) {
        const r = add(pc + 1, pos + 1, nlist, ncount, pos + 1);
        if (r < 0) return true;
        ncount = r;
      }
    }
    steps += ccount;
    [clist, nlist] = [nlist, clist];
    ccount = ncount;
    if (steps > NFA_STEP_BUDGET) return 'budget';
  }
  return unknown ? 'budget' : false;
}

// ---------------------------------------------------------------------------------------------
// Backtracking matcher

class Budget extends Error {}
/** (*COMMIT) backtracked past: no match at all. */
class Commit extends Error {}
/** (*PRUNE) backtracked past: no match at this start; (*SKIP): none before `to`. */
class Prune extends Error {
  constructor(readonly to: number) {
    super('prune');
  }
}
/** (*THEN) backtracked past: the innermost alternation's next branch. */
class Then extends Error {}

type Cont = (pos: number) => boolean;
type Matcher = (pos: number, k: Cont) => boolean;

class Backtracker {
  private s!: Subject;
  /** Capture start and end offsets (-1: unset), changed in place and put back on backtracking. */
  private readonly caps: number[];
  private steps = 0;
  private depth = 0;
  private readonly compiled = new Map<PcreNode, Matcher>();
  private acceptK: Cont = () => true;
  /** The subroutine calls being run (group, start position), innermost last. */
  private calls: { group: number; pos: number }[] = [];
  private readonly root: Matcher;

  constructor(private readonly parsed: ParsedPattern) {
    this.caps = new Array(2 * (parsed.groupCount + 1)).fill(-1);
    this.root = this.compile(parsed.root);
  }

  run(subject: Subject): MatchResult {
    this.s = subject;
    this.steps = 0;
    const last = this.parsed.anchored ? 0 : subject.complete ? subject.bytes.length : subject.limit;
    try {
      for (let start = 0; start <= last; start++) {
        this.caps.fill(-1);
        this.calls = [];
        this.depth = 0;
        this.acceptK = () => true;
        try {
          if (this.root(start, () => true)) return true;
        } catch (error) {
          if (error instanceof Prune) {
            if (error.to > start) start = error.to - 1;
            continue;
          }
          if (error instanceof Then) continue;
          throw error;
        }
      }
      return false;
    } catch (error) {
      if (error instanceof Commit) return false;
      if (error instanceof Budget || error instanceof RangeError) return 'budget';
      throw error;
    }
  }

  private tick(): void {
    if (++this.steps > BACKTRACK_STEP_BUDGET) throw new Budget();
  }

  private compile(node: PcreNode): Matcher {
    let m = this.compiled.get(node);
    if (!m) {
      m = this.build(node);
      this.compiled.set(node, m);
    }
    return m;
  }

  private canConsume(pos: number): boolean {
    return pos < this.s.limit && pos < this.s.bytes.length;
  }

  private build(node: PcreNode): Matcher {
    switch (node.t) {
      case 'empty':
      case 'keep':
        return (pos, k) => k(pos);
      case 'set': {
        const set = node.set;
        return (pos, k) => {
          this.tick();
          return this.canConsume(pos) && set[this.s.bytes[pos]!] === 1 && k(pos + 1);
        };
      }
      case 'assert': {
        const anchor = node.anchor;
        return (pos, k) => {
          this.tick();
          const holds = anchorHolds(anchor, this.s, pos);
          if (holds === null) throw new Budget();
          return holds && k(pos);
        };
      }
      case 'notNext': {
        const set = node.set;
        return (pos, k) => {
          const holds = notNextHolds(set, this.s, pos);
          if (holds === null) throw new Budget();
          return holds && k(pos);
        };
      }
      case 'seq': {
        const items = node.items.map((item) => this.compile(item));
        let chain: Matcher = (pos, k) => k(pos);
        for (let i = items.length - 1; i >= 0; i--) {
          const item = items[i]!;
          const rest = chain;
          chain = (pos, k) => item(pos, (p) => rest(p, k));
        }
        return chain;
      }
      case 'alt': {
        const alts = node.alts.map((alt) => this.compile(alt));
        return (pos, k) => {
          for (let i = 0; i < alts.length; i++) {
            try {
              if (alts[i]!(pos, k)) return true;
            } catch (error) {
              // (*THEN): the next alternative; after the last, backtracking before the group.
              if (error instanceof Then) {
                if (i < alts.length - 1) continue;
                return false;
              }
              throw error;
            }
          }
          return false;
        };
      }
      case 'group': {
        const body = this.compile(node.body);
        const cap = node.cap;
        if (cap === 0) return body;
        return (pos, k) => {
          this.tick();
          return body(pos, (end) => {
            const caps = this.caps;
            const oldStart = caps[2 * cap]!;
            const oldEnd = caps[2 * cap + 1]!;
            caps[2 * cap] = pos;
            caps[2 * cap + 1] = end;
            if (k(end)) return true;
            caps[2 * cap] = oldStart;
            caps[2 * cap + 1] = oldEnd;
            return false;
          });
        };
      }
      case 'atomic': {
        const body = this.compile(node.body);
        return (pos, k) => this.atomic(body, pos, k);
      }
      case 'rep':
        return this.repeat(node);
      case 'look':
        return this.look(node);
      case 'backref': {
        const { groups, caseless } = node;
        return (pos, k) => {
          this.tick();
          const caps = this.caps;
          const g = groups.find((n) => caps[2 * n]! >= 0);
          if (g === undefined) return false;
          const start = caps[2 * g]!;
          const len = caps[2 * g + 1]! - start;
          const b = this.s.bytes;
          if (len > 0 && !this.canConsume(pos + len - 1)) return false;
          for (let i = 0; i < len; i++) {
            const x = b[start + i]!;
            const y = b[pos + i]!;
            if (x !== y && !(caseless && otherCase(x) === y)) return false;
          }
          return k(pos + len);
        };
      }
      case 'recurse':
        return this.subroutine(node.group);
      case 'cond':
        return this.condition(node);
      case 'verb':
        return this.verb(node);
    }
  }

  // The first way the body matches, without backtracking into it; captures it set are kept.
  private atomic(body: Matcher, pos: number, k: Cont): boolean {
    this.tick();
    const saved = this.caps.slice();
    let end = -1;
    const record = (p: number) => {
      end = p;
      return true;
    };
    if (!body(pos, record)) return false;
    // (*ACCEPT) inside: the match (or the enclosing assertion or call) already succeeded.
    if (end < 0) return true;
    if (k(end)) return true;
    this.restore(saved);
    return false;
  }

  private restore(saved: number[]): void {
    for (let i = 0; i < saved.length; i++) this.caps[i] = saved[i]!;
  }

  private repeat(node: PcreNode & { t: 'rep' }): Matcher {
    const { min, max, lazy, possessive } = node;
    const limit = max === -1 ? Number.POSITIVE_INFINITY : max;
    if (node.body.t === 'set') {
      // One byte at a time: count the run, then try its lengths (as PCRE2's character repeats).
      const set = node.body.set;
      const run: Matcher = (pos, k) => {
        this.tick();
        const b = this.s.bytes;
        let n = 0;
        while (n < limit && this.canConsume(pos + n) && set[b[pos + n]!] === 1) n++;
        this.steps += n;
        if (n < min) return false;
        if (possessive) return k(pos + n);
        if (lazy) {
          for (let i = min; i <= n; i++) if (k(pos + i)) return true;
        } else {
          for (let i = n; i >= min; i--) if (k(pos + i)) return true;
        }
        return false;
      };
      return run;
    }
    const body = this.compile(node.body);
    // An iteration after the minimum that matched the empty string ends the loop (PCRE2 does not
    // repeat a group that matched nothing).
    const iterate = (count: number, pos: number, k: Cont): boolean => {
      this.tick();
      if (++this.depth > 20_000) throw new Budget();
      try {
        const again = (p: number): boolean => {
          if (count >= min && p === pos) return k(p);
          return iterate(count + 1, p, k);
        };
        if (count < min) return body(pos, again);
        if (lazy) return k(pos) || (count < limit && body(pos, again));
        return (count < limit && body(pos, again)) || k(pos);
      } finally {
        this.depth--;
      }
    };
    if (possessive) {
      const greedy: Matcher = (pos, k) => iterate(0, pos, k);
      return (pos, k) => this.atomic(greedy, pos, k);
    }
    return (pos, k) => iterate(0, pos, k);
  }

  private look(node: PcreNode & { t: 'look' }): Matcher {
    const alts = node.body.t === 'alt' ? node.body.alts : [node.body];
    const matchers = alts.map((alt) => this.compile(alt));
    const lengths = node.behind ? alts.map((alt) => fixedLength(alt, this.parsed)) : [];
    const body: Matcher = (pos, k) => {
      for (let i = 0; i < matchers.length; i++) {
        let start = pos;
        if (node.behind) {
          start = pos - lengths[i]!;
          if (start < 0) continue;
        }
        try {
          if (matchers[i]!(start, (p) => (node.behind ? p === pos : true) && k(p))) return true;
        } catch (error) {
          if (error instanceof Then && i < matchers.length - 1) continue;
          throw error;
        }
      }
      return false;
    };
    const { negative, atomic } = node;
    return (pos, k) => {
      this.tick();
      const saved = this.caps.slice();
      const outerAccept = this.acceptK;
      let holds: boolean;
      if (!atomic) {
        // A non-atomic assertion: backtracking may come back into it.
        return body(pos, () => {
          this.acceptK = outerAccept;
          return k(pos);
        });
      }
      this.acceptK = () => true;
      try {
        holds = body(pos, () => true);
      } catch (error) {
        if (error instanceof Commit || error instanceof Prune || error instanceof Then) holds = false;
        else throw error;
      } finally {
        this.acceptK = outerAccept;
      }
      if (negative) {
        this.restore(saved);
        return !holds && k(pos);
      }
      if (!holds) {
        this.restore(saved);
        return false;
      }
      if (k(pos)) return true;
      this.restore(saved);
      return false;
    };
  }

  // A recursion or subroutine call: the group's body, its captures undone after it returns
  // (PCRE2 10.30+), backtracking into it allowed; entering the same group again at the same
  // position without moving is PCRE2's "recursion loop" error.
  private subroutine(group: number): Matcher {
    return (pos, k) => {
      this.tick();
      if (this.calls.some((c) => c.group === group && c.pos === pos)) throw new Budget();
      const body = group === 0 ? this.root : this.compile(this.parsed.groups[group]!.body);
      const outerCaps = this.caps.slice();
      const outerAccept = this.acceptK;
      this.calls.push({ group, pos });
      const depthCalls = this.calls.length;
      const back = (end: number): boolean => {
        const inner = this.caps.slice();
        const innerCalls = this.calls;
        this.restore(outerCaps);
        this.calls = innerCalls.slice(0, depthCalls - 1);
        this.acceptK = outerAccept;
        if (k(end)) return true;
        this.restore(inner);
        this.calls = innerCalls;
        this.acceptK = back;
        return false;
      };
      this.acceptK = back;
      try {
        return body(pos, back);
      } catch (error) {
        if (error instanceof Prune || error instanceof Then) return false;
        throw error;
      } finally {
        this.calls = this.calls.slice(0, depthCalls - 1);
        this.acceptK = outerAccept;
      }
    };
  }

  private condition(node: PcreNode & { t: 'cond' }): Matcher {
    const yes = this.compile(node.yes);
    const no = this.compile(node.no);
    const test = node.test;
    if (test.t === 'assert') {
      const look = this.look(test.look);
      return (pos, k) => {
        let took = false;
        // The assertion decides the branch; its captures stay for the branch.
        const then = (p: number) => {
          took = true;
          return yes(p, k);
        };
        if (look(pos, then)) return true;
        return !took && no(pos, k);
      };
    }
    return (pos, k) => {
      this.tick();
      let holds: boolean;
      switch (test.t) {
        case 'group':
          holds = test.groups.some((g) => this.caps[2 * g]! >= 0);
          break;
        case 'recursion': {
          const inner = this.calls[this.calls.length - 1];
          holds = inner !== undefined && (test.group === 0 || inner.group === test.group);
          break;
        }
        case 'always':
          holds = true;
          break;
        default:
          holds = false;
      }
      return holds ? yes(pos, k) : no(pos, k);
    };
  }

  private verb(node: PcreNode & { t: 'verb' }): Matcher {
    switch (node.verb) {
      case 'accept':
        return (pos) => this.acceptK(pos);
      case 'fail':
        return () => false;
      case 'mark':
        return (pos, k) => k(pos);
      case 'commit':
        return (pos, k) => {
          if (k(pos)) return true;
          throw new Commit();
        };
      case 'prune':
        return (pos, k) => {
          if (k(pos)) return true;
          throw new Prune(-1);
        };
      case 'skip':
        // (*SKIP:NAME) skips to a (*MARK:NAME), which is not tracked here: treated as absent.
        if (node.name !== null) return (pos, k) => k(pos);
        return (pos, k) => {
          if (k(pos)) return true;
          throw new Prune(pos);
        };
      case 'then':
        return (pos, k) => {
          if (k(pos)) return true;
          throw new Then();
        };
    }
  }
}

// The length of a lookbehind branch (the parser checked it is fixed).
function fixedLength(node: PcreNode, parsed: ParsedPattern): number {
  switch (node.t) {
    case 'set':
      return 1;
    case 'seq': {
      let total = 0;
      for (const item of node.items) {
        if (item.t === 'verb' && (item.verb === 'accept' || item.verb === 'fail')) return total;
        total += fixedLength(item, parsed);
      }
      return total;
    }
    case 'group':
    case 'atomic':
      return fixedLength(node.body.t === 'alt' ? node.body.alts[0]! : node.body, parsed);
    case 'rep':
      return node.min * fixedLength(node.body, parsed);
    case 'backref':
      return fixedLength(parsed.groups[node.groups[0]!]!, parsed);
    case 'recurse':
      return fixedLength(parsed.groups[node.group]!, parsed);
    case 'cond':
      return node.define ? 0 : fixedLength(node.yes, parsed);
    default:
      return 0;
  }
}
