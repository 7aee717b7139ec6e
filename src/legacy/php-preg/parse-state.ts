// What PCRE2 10.42's parser keeps while it reads a pattern (the part of pcre2_compile.c's compile
// block that parse_regex uses): the open groups, the names, the references waiting for the names
// table, and the options in force. The parser's parts (parse*.ts) are functions of it.
import type { CondTest, PcreNode } from './ast';
import { MAX_GROUP_NUMBER, PatternCursor } from './lex';
import { otherCase } from './tables';

// Option bits tracked while parsing (PARSE_TRACKED_OPTIONS).
export const CASELESS = 1;
export const MULTILINE = 2;
export const DOTALL = 4;
export const EXTENDED = 8;
export const EXTENDED_MORE = 16;
export const NO_AUTO_CAPTURE = 32;
export const UNGREEDY = 64;
export const DUPNAMES = 128;

/** An open group (or the pattern itself, the root): its branches so far and how it closes. */
export interface Frame {
  kind: 'root' | 'group' | 'atomic' | 'look' | 'cond';
  cap: number;
  look?: { behind: boolean; negative: boolean; atomic: boolean };
  cond?: CondTest | 'assert';
  branches: PcreNode[][];
  cur: PcreNode[];
  /** Options to restore at its `)`. */
  options: number;
  reset?: { resetGroup: number; maxGroup: number };
  /** The assertion of a conditional group: not quantifiable. */
  condAssert: boolean;
  /** A (?(DEFINE) group: one branch at most. */
  define?: boolean;
  /** A condition naming a group, resolved once all names are known. */
  nameRef?: { name: string; kind: CondNameRef['kind'] } | undefined;
}

// A name waiting for the names table: resolved at the end of parsing, as the compile pass does.
export interface NameRef {
  name: string;
  node: PcreNode & ({ t: 'backref' } | { t: 'recurse' });
}
export interface CondNameRef {
  name: string;
  kind: 'name' | 'rname' | 'rnumber';
  node: PcreNode & { t: 'cond' };
}

export class ParseState extends PatternCursor {
  options: number;
  nestDepth = 0;
  readonly names: { name: string; number: number; isdup: boolean }[] = [];
  readonly nameRefs: NameRef[] = [];
  readonly condNameRefs: CondNameRef[] = [];
  readonly numberRefs: { group: number; offset: number }[] = [];
  readonly condNumberRefs: { group: number }[] = [];
  readonly groupNodes: (PcreNode & { t: 'group' })[] = [];
  readonly stack: Frame[] = [];
  /** Whether the item just read may take a quantifier. */
  okQuantifier = false;
  /** A (?| group was seen: the compile pass then checks duplicate group numbers. */
  dupCapUsed = false;

  constructor(
    p: Uint8Array,
    readonly initialOptions: number,
    readonly dollarEndOnly: boolean,
    readonly anchored: boolean,
  ) {
    super(p);
    this.options = initialOptions;
  }

  /** The innermost open group. */
  get frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  /** Adds an item to the current branch; `quantifiable` says whether a quantifier may follow it. */
  push(node: PcreNode, quantifiable: boolean): void {
    this.frame.cur.push(node);
    this.okQuantifier = quantifiable;
  }

  /** One byte, and its other case under (?i). */
  literal(c: number): PcreNode {
    const set = new Uint8Array(256);
    set[c] = 1;
    if (this.options & CASELESS) set[otherCase(c)] = 1;
    return { t: 'set', set };
  }

  /** Opens a group; its `)` restores the options in force now. */
  openGroup(frame: Partial<Frame> & { kind: Frame['kind'] }): void {
    this.nestDepth++;
    this.stack.push({
      cap: 0,
      branches: [],
      cur: [],
      options: this.options,
      condAssert: false,
      ...frame,
    });
  }

  /** The next capture group number (error 97 past 65535). */
  newCapture(): number {
    if (this.bracount >= MAX_GROUP_NUMBER) this.fail(97);
    return ++this.bracount;
  }

  /** Opens a lookaround; as a condition's assertion (after `(?(`) it will not take a quantifier. */
  openLook(behind: boolean, negative: boolean, atomic: boolean, prevExpectCondAssert: number): void {
    this.openGroup({
      kind: 'look',
      look: { behind, negative, atomic },
      condAssert: prevExpectCondAssert > 0,
    });
  }

  /** A recursion into a numbered group (checked against the group count at the end). */
  recursion(group: number): void {
    this.numberRefs.push({ group, offset: this.i });
    this.push({ t: 'recurse', group }, true);
  }
}

/** A group's branches as one node: one sequence, or alternatives of sequences. */
export function branchesNode(f: Frame): PcreNode {
  const branches = [...f.branches, f.cur];
  const seq = (items: PcreNode[]): PcreNode =>
    items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items };
  return branches.length === 1 ? seq(branches[0]!) : { t: 'alt', alts: branches.map(seq) };
}

/** A (*VERB:NAME) whose name is being read: the parser's main loop takes bytes up to `)` as it. */
export interface VerbName {
  node: PcreNode & { t: 'verb' };
  chars: number[];
  start: number;
}
