// The backtracking matcher, as PCRE2 runs the patterns a Pike VM cannot (back references,
// lookaround, atomic groups, possessive quantifiers, recursion, conditions, verbs), under a step
// budget.
import type { ParsedPattern, PcreNode } from './ast';
import { condition, look, subroutine, verb } from './backtrack-control';
import { Budget, Commit, type Cont, type Matcher, Prune, Then } from './backtrack-signals';
import { anchorHolds, type MatchResult, notNextHolds, type Subject } from './subject';
import { otherCase } from './tables';

/** Backtracking steps of one match (PCRE's own pcre.backtrack_limit is 1,000,000 of its steps). */
export const BACKTRACK_STEP_BUDGET = 1_000_000;

/**
 * One pattern's matchers, built once per node; those of lookarounds, calls, conditions and verbs
 * are built by backtrack-control.ts, which reads the state kept here.
 */
export class Backtracker {
  private s!: Subject;
  /** Capture start and end offsets (-1: unset), changed in place and put back on backtracking. */
  readonly caps: number[];
  private steps = 0;
  private depth = 0;
  private readonly compiled = new Map<PcreNode, Matcher>();
  /** Where (*ACCEPT) goes: the end of the match, or of the assertion or call it is inside. */
  acceptK: Cont = () => true;
  /** The subroutine calls being run (group, start position), innermost last. */
  calls: { group: number; pos: number }[] = [];
  readonly root: Matcher;

  constructor(readonly parsed: ParsedPattern) {
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

  tick(): void {
    if (++this.steps > BACKTRACK_STEP_BUDGET) throw new Budget();
  }

  compile(node: PcreNode): Matcher {
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
        return look(this, node);
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
        return subroutine(this, node.group);
      case 'cond':
        return condition(this, node);
      case 'verb':
        return verb(this, node);
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

  restore(saved: number[]): void {
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
}
