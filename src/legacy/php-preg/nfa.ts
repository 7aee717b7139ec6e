// The Pike VM: a regular PCRE2 pattern (match.ts decides which are) compiled to a
// Thompson NFA and simulated in time linear in the subject.
import type { ByteSet, PcreNode } from './ast';
import { anchorHolds, type MatchResult, notNextHolds, type Subject } from './subject';

/**
 * Pike VM thread steps of one match (tens of milliseconds at most); out of them the match gives
 * up ('budget'), as PCRE does at its own limit.
 */
export const NFA_STEP_BUDGET = 4_000_000;
/** Programs larger than this (counted repetitions expanded) run on the backtracker instead. */
const MAX_NFA_PROGRAM = 20_000;

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

export function compileNfa(root: PcreNode): Instruction[] | null {
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

export function runNfa(prog: Instruction[], s: Subject, anchored: boolean): MatchResult {
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
