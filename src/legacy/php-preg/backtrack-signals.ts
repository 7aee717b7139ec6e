// How the backtracking matcher unwinds: a matcher is a function of a position and a continuation,
// and the verbs and the step budget leave it by throwing one of these.
/** The step budget is spent, or a recursion loops: the match ends in an error. */
export class Budget extends Error {}
/** (*COMMIT) backtracked past: no match at all. */
export class Commit extends Error {}
/** (*PRUNE) backtracked past: no match at this start; (*SKIP): none before `to`. */
export class Prune extends Error {
  constructor(readonly to: number) {
    super('prune');
  }
}
/** (*THEN) backtracked past: the innermost alternation's next branch. */
export class Then extends Error {}

export type Cont = (pos: number) => boolean;
export type Matcher = (pos: number, k: Cont) => boolean;
