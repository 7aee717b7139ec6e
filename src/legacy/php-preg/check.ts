// The checks PCRE2's compile pass makes on the whole parsed tree (parse.ts builds it):
// lookbehind branches of fixed length and the compiled size, failing with PCRE2's error numbers.
import { type ParsedPattern, type PcreNode, PcreSyntaxError } from './ast';

const LOOKBEHIND_MAX = 65535;

// Checks on the whole tree: lookbehind branches of fixed length (ERR25, ERR87; each lookbehind
// keeps its branches' lengths for the matcher) and the compiled size (ERR20, estimated: see
// compiledSize). \K in a lookaround is allowed: PHP compiles with PCRE2_EXTRA_ALLOW_LOOKAROUND_BSK.
export function checkTree(parsed: ParsedPattern, dupCapUsed: boolean): void {
  const visit = (node: PcreNode, enclosing: number[]): void => {
    switch (node.t) {
      case 'seq':
        for (const item of node.items) visit(item, enclosing);
        return;
      case 'alt':
        for (const alt of node.alts) visit(alt, enclosing);
        return;
      case 'group':
        visit(node.body, node.cap > 0 ? [...enclosing, node.cap] : enclosing);
        return;
      case 'atomic':
      case 'rep':
        visit(node.body, enclosing);
        return;
      case 'look':
        if (node.behind) {
          const alts = node.body.t === 'alt' ? node.body.alts : [node.body];
          // Kept on the node: the matcher starts each branch that many bytes back.
          node.lengths = alts.map((alt) => {
            const length = branchLength(alt, parsed, dupCapUsed, enclosing);
            if (length > LOOKBEHIND_MAX) throw new PcreSyntaxError(87, 0);
            return length;
          });
        }
        visit(node.body, enclosing);
        return;
      case 'cond':
        if (node.test.t === 'assert') visit(node.test.look, enclosing);
        visit(node.yes, enclosing);
        visit(node.no, enclosing);
        return;
      default:
        return;
    }
  };
  visit(parsed.root, []);
  // The pattern is compiled inside a bracket (3 + 3 code units), then OP_END.
  if (compiledSize(parsed.root, 0) + 7 > 65536) throw new PcreSyntaxError(20, 0);
}

/**
 * get_branchlength: the fixed length of a lookbehind branch (items of one byte, groups whose
 * branches all have one length, `{n}` repeats, back references and calls to such groups); throws
 * ERR25 otherwise.
 */
function branchLength(node: PcreNode, parsed: ParsedPattern, dupCapUsed: boolean, calls: number[]): number {
  const notFixed = () => new PcreSyntaxError(25, 0);
  const groupLength = (body: PcreNode, nested: number[]): number => {
    const alts = body.t === 'alt' ? body.alts : [body];
    let len = -1;
    for (const alt of alts) {
      const l = branchLength(alt, parsed, dupCapUsed, nested);
      if (len === -1) len = l;
      else if (len !== l) throw notFixed();
    }
    return len;
  };
  const groupCall = (group: number): number => {
    if (group === 0 || calls.includes(group)) throw notFixed();
    return groupLength(parsed.groups[group]!.body, [...calls, group]);
  };
  switch (node.t) {
    case 'empty':
    case 'assert':
    case 'notNext':
    case 'keep':
      return 0;
    case 'set':
      return 1;
    case 'seq': {
      let total = 0;
      for (const item of node.items) {
        if (item.t === 'verb' && (item.verb === 'accept' || item.verb === 'fail')) return total;
        total += branchLength(item, parsed, dupCapUsed, calls);
      }
      return total;
    }
    case 'alt':
      return groupLength(node, calls);
    case 'group':
      if (node.cap > 0 && calls.includes(node.cap)) throw notFixed();
      return groupLength(node.body, node.cap > 0 ? [...calls, node.cap] : calls);
    case 'atomic':
      return groupLength(node.body, calls);
    case 'rep':
      if (node.min !== node.max) throw notFixed();
      return node.min * branchLength(node.body, parsed, dupCapUsed, calls);
    case 'look':
      if (node.behind) {
        const alts = node.body.t === 'alt' ? node.body.alts : [node.body];
        for (const alt of alts) branchLength(alt, parsed, dupCapUsed, calls);
      }
      return 0;
    case 'backref':
      if (dupCapUsed || node.groups.length !== 1) throw notFixed();
      return groupCall(node.groups[0]!);
    case 'recurse':
      return groupCall(node.group);
    case 'cond': {
      if (node.define) return 0;
      const yes = branchLength(node.yes, parsed, dupCapUsed, calls);
      if (node.branches > 1 && branchLength(node.no, parsed, dupCapUsed, calls) !== yes) throw notFixed();
      return yes;
    }
    case 'verb':
      return 0;
  }
}

/**
 * An estimate of the compiled pattern's size in code units (PCRE2 refuses more than 65536 with its
 * 2-byte links): opcodes as pcre2_compile writes them, a repeated group once per repetition. The
 * estimate is close, not exact: a pattern within a few units of the limit may be judged otherwise.
 */
export function compiledSize(node: PcreNode, depth: number): number {
  const LINK = 2;
  const single = (n: PcreNode): number => {
    // A one-byte item: a character (2), a class (33), or a type such as `.` or \d (1).
    if (n.t !== 'set') return -1;
    let count = 0;
    for (let c = 0; c < 256; c++) count += n.set[c]!;
    if (count === 1 || count === 255) return 2;
    if (count === 2) return 2;
    return 33;
  };
  switch (node.t) {
    case 'empty':
      return 0;
    case 'set':
      return single(node);
    case 'seq':
      return node.items.reduce((sum, item) => sum + compiledSize(item, depth), 0);
    case 'alt':
      return (
        node.alts.reduce((sum, alt) => sum + compiledSize(alt, depth), 0) +
        (1 + LINK) * (node.alts.length - 1)
      );
    case 'group':
      return (node.cap > 0 ? 3 + LINK : 1 + LINK) + compiledSize(node.body, depth + 1) + 1 + LINK;
    case 'atomic':
    case 'look':
      return 2 * (1 + LINK) + compiledSize(node.body, depth + 1);
    case 'assert':
    case 'keep':
    case 'verb':
      return 1;
    case 'notNext':
      return 0;
    case 'backref':
    case 'recurse':
      return 1 + LINK;
    case 'cond': {
      const test = node.test.t === 'assert' ? compiledSize(node.test.look, depth + 1) : 3;
      return (
        2 * (1 + LINK) +
        test +
        compiledSize(node.yes, depth + 1) +
        compiledSize(node.no, depth + 1) +
        1 +
        LINK
      );
    }
    case 'rep': {
      const itemSize = single(node.body);
      if (itemSize >= 0) {
        // OP_STAR c, OP_EXACT n c + OP_UPTO n c…: at most two opcodes with a count.
        const base = itemSize === 33 ? 33 : itemSize === 2 ? 1 : 0;
        return base + (node.min > 0 && node.max !== node.min ? 2 : 1) * (itemSize === 33 ? 3 : 4);
      }
      const body = compiledSize(node.body, depth + 1) + (node.body.t === 'group' ? 0 : 2 * (1 + LINK));
      if (node.max === -1) return Math.max(1, node.min) * body + 1;
      if (node.max === 0) return 0;
      return node.min * body + (node.max - node.min) * (body + 1);
    }
  }
}
