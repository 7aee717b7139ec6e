// The tree parse.ts reads a PCRE2 pattern into and match.ts runs, and the
// compile error both report (PCRE2's error numbers, pcre2_error.c).

/** 256 flags: the bytes one item matches. */
export type ByteSet = Uint8Array;

/** Zero-width tests of a position. `start` is \A, `^`, and \G (preg_match starts at offset 0). */
export type Anchor = 'start' | 'startLine' | 'end' | 'endOrFinalNewline' | 'endLine' | 'word' | 'notWord';

export type CondTest =
  | { t: 'group'; groups: number[] }
  | { t: 'recursion'; group: number } // 0: any recursion
  | { t: 'never' } // (?(DEFINE), (?(VERSION…) false
  | { t: 'always' } // (?(VERSION…) true
  | { t: 'assert'; look: PcreNode & { t: 'look' } };

export type PcreNode =
  | { t: 'empty' }
  | { t: 'set'; set: ByteSet }
  | { t: 'seq'; items: PcreNode[] }
  | { t: 'alt'; alts: PcreNode[] }
  | { t: 'group'; cap: number; body: PcreNode }
  | { t: 'atomic'; body: PcreNode }
  | { t: 'rep'; body: PcreNode; min: number; max: number; lazy: boolean; possessive: boolean }
  | { t: 'assert'; anchor: Anchor }
  | { t: 'notNext'; set: ByteSet }
  | {
      t: 'look';
      behind: boolean;
      negative: boolean;
      atomic: boolean;
      body: PcreNode;
      /** A lookbehind's fixed length per branch, as check.ts measured it. */
      lengths?: number[];
    }
  | { t: 'backref'; groups: number[]; caseless: boolean }
  | { t: 'recurse'; group: number }
  | { t: 'cond'; test: CondTest; yes: PcreNode; no: PcreNode; branches: number; define: boolean }
  | {
      t: 'verb';
      verb: 'accept' | 'fail' | 'commit' | 'prune' | 'skip' | 'then' | 'mark';
      name: string | null;
    }
  | { t: 'keep' };

/** Compile options as PHP's modifiers set them (i m s x A D U n J). */
export interface PcreOptions {
  caseless?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  extended?: boolean;
  anchored?: boolean;
  dollarEndOnly?: boolean;
  ungreedy?: boolean;
  noAutoCapture?: boolean;
  dupnames?: boolean;
}

export interface ParsedPattern {
  root: PcreNode;
  /** PCRE2_ANCHORED: a match starts at offset 0 only. */
  anchored: boolean;
  /** Capture groups: 1..groupCount. */
  groupCount: number;
  /** Each capture group's node (for recursion and subroutine calls), index = number. */
  groups: (PcreNode & { t: 'group' })[];
}

export class PcreSyntaxError extends Error {
  constructor(
    readonly code: number,
    readonly offset: number,
  ) {
    super(`PCRE2 compile error ${code} at offset ${offset}`);
  }
}
