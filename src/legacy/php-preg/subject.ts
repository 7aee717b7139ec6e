// The subject a PCRE2 program is matched against (a prefix of the body, or all of it) and the
// zero-width tests both matchers share (nfa.ts, backtrack.ts).
import type { ByteSet } from './ast';
import { WORD_SET } from './tables';

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

export const isEndAt = (s: Subject, pos: number) => s.complete && pos === s.bytes.length;

/** An anchor at `pos`; null when the subject is not known far enough to tell. */
export function anchorHolds(anchor: string, s: Subject, pos: number): boolean | null {
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

export function notNextHolds(set: ByteSet, s: Subject, pos: number): boolean | null {
  if (pos >= s.bytes.length) return s.complete ? true : null;
  return set[s.bytes[pos]!] === 0;
}
