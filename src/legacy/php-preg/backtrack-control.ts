// The matchers of the constructs that steer the backtracking rather than consume bytes:
// lookarounds, recursion and subroutine calls, conditions and the backtracking verbs, each built
// for the Backtracker of backtrack.ts from its tree node.
import type { PcreNode } from './ast';
import type { Backtracker } from './backtrack';
import { Budget, Commit, type Matcher, Prune, Then } from './backtrack-signals';

export function look(m: Backtracker, node: PcreNode & { t: 'look' }): Matcher {
  const alts = node.body.t === 'alt' ? node.body.alts : [node.body];
  const matchers = alts.map((alt) => m.compile(alt));
  if (node.behind && node.lengths?.length !== alts.length) {
    throw new Error('a lookbehind reached the matcher without its branch lengths (checkTree)');
  }
  const lengths = node.lengths ?? [];
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
    m.tick();
    const saved = m.caps.slice();
    const outerAccept = m.acceptK;
    let holds: boolean;
    if (!atomic) {
      // A non-atomic assertion: backtracking may come back into it.
      return body(pos, () => {
        m.acceptK = outerAccept;
        return k(pos);
      });
    }
    m.acceptK = () => true;
    try {
      holds = body(pos, () => true);
    } catch (error) {
      if (error instanceof Commit || error instanceof Prune || error instanceof Then) holds = false;
      else throw error;
    } finally {
      m.acceptK = outerAccept;
    }
    if (negative) {
      m.restore(saved);
      return !holds && k(pos);
    }
    if (!holds) {
      m.restore(saved);
      return false;
    }
    if (k(pos)) return true;
    m.restore(saved);
    return false;
  };
}

// A recursion or subroutine call: the group's body, its captures undone after it returns
// (PCRE2 10.30+), backtracking into it allowed; entering the same group again at the same
// position without moving is PCRE2's "recursion loop" error.
export function subroutine(m: Backtracker, group: number): Matcher {
  return (pos, k) => {
    m.tick();
    if (m.calls.some((c) => c.group === group && c.pos === pos)) throw new Budget();
    const body = group === 0 ? m.root : m.compile(m.parsed.groups[group]!.body);
    const outerCaps = m.caps.slice();
    const outerAccept = m.acceptK;
    m.calls.push({ group, pos });
    const depthCalls = m.calls.length;
    const back = (end: number): boolean => {
      const inner = m.caps.slice();
      const innerCalls = m.calls;
      m.restore(outerCaps);
      m.calls = innerCalls.slice(0, depthCalls - 1);
      m.acceptK = outerAccept;
      if (k(end)) return true;
      m.restore(inner);
      m.calls = innerCalls;
      m.acceptK = back;
      return false;
    };
    m.acceptK = back;
    try {
      return body(pos, back);
    } catch (error) {
      if (error instanceof Prune || error instanceof Then) return false;
      throw error;
    } finally {
      m.calls = m.calls.slice(0, depthCalls - 1);
      m.acceptK = outerAccept;
    }
  };
}

export function condition(m: Backtracker, node: PcreNode & { t: 'cond' }): Matcher {
  const yes = m.compile(node.yes);
  const no = m.compile(node.no);
  const test = node.test;
  if (test.t === 'assert') {
    const assertion = look(m, test.look);
    return (pos, k) => {
      let took = false;
      // The assertion decides the branch; its captures stay for the branch.
      const then = (p: number) => {
        took = true;
        return yes(p, k);
      };
      if (assertion(pos, then)) return true;
      return !took && no(pos, k);
    };
  }
  return (pos, k) => {
    m.tick();
    let holds: boolean;
    switch (test.t) {
      case 'group':
        holds = test.groups.some((g) => m.caps[2 * g]! >= 0);
        break;
      case 'recursion': {
        const inner = m.calls[m.calls.length - 1];
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

export function verb(m: Backtracker, node: PcreNode & { t: 'verb' }): Matcher {
  switch (node.verb) {
    case 'accept':
      return (pos) => m.acceptK(pos);
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
