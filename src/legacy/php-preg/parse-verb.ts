// `(*` in PCRE2 10.42's parser: a backtracking verb ((*COMMIT), (*MARK:NAME), …) or an alpha
// assertion ((*pla:…), (*atomic:…), …), as parse_regex reads them.
import type { PcreNode } from './ast';
import { readName } from './lex';
import type { ParseState, VerbName } from './parse-state';
import { C_LCLETTER, CTYPES } from './tables';

/**
 * After `(`, at `*`: opens the alpha assertion's group, or pushes the verb (and returns it when a
 * name follows, for the main loop to read). Null when nothing is opened, or the verb has no name.
 */
export function openStarParen(s: ParseState, prevExpectCondAssert: number): VerbName | null {
  const p = s.p;
  const end = p.length;
  // `(*` then end or `)`: nothing, so the `*` is a quantifier without an item.
  if (end - s.i <= 1 || p[s.i + 1] === 41) return null;
  const c = p[s.i + 1]!;
  if (CTYPES[c]! & C_LCLETTER) {
    const name = readName(s, 0, false);
    if (s.i >= end || p[s.i] !== 58) s.fail(95);
    const look: Record<string, [boolean, boolean, boolean] | 'atomic' | 'sr' | 'asr'> = {
      pla: [false, false, true],
      plb: [true, false, true],
      napla: [false, false, false],
      naplb: [true, false, false],
      nla: [false, true, true],
      nlb: [true, true, true],
      positive_lookahead: [false, false, true],
      positive_lookbehind: [true, false, true],
      non_atomic_positive_lookahead: [false, false, false],
      non_atomic_positive_lookbehind: [true, false, false],
      negative_lookahead: [false, true, true],
      negative_lookbehind: [true, true, true],
      atomic: 'atomic',
      sr: 'sr',
      asr: 'asr',
      script_run: 'sr',
      atomic_script_run: 'asr',
    };
    const kind = Object.hasOwn(look, name) ? look[name]! : undefined;
    if (kind === undefined) s.fail(95);
    if (prevExpectCondAssert > 0 && (typeof kind === 'string' || !kind[2])) {
      s.fail(typeof kind !== 'string' ? 98 : 28);
    }
    s.i++; // past `:`
    if (kind === 'atomic' || kind === 'asr') s.openGroup({ kind: 'atomic' });
    else if (kind === 'sr') s.openGroup({ kind: 'group', cap: 0 });
    else s.openLook(kind[0], kind[1], kind[2], prevExpectCondAssert);
    // A script run over Latin-1 characters (scripts Latin and Common only) always holds.
    return null;
  }
  // (*VERB) or (*VERB:NAME).
  const name = readName(s, 0, false);
  if (s.i >= end || (p[s.i] !== 58 && p[s.i] !== 41)) s.fail(60);
  const verbs: Record<string, [PcreNode & { t: 'verb' }, number]> = {
    '': [{ t: 'verb', verb: 'mark', name: null }, 1],
    MARK: [{ t: 'verb', verb: 'mark', name: null }, 1],
    ACCEPT: [{ t: 'verb', verb: 'accept', name: null }, -1],
    F: [{ t: 'verb', verb: 'fail', name: null }, -1],
    FAIL: [{ t: 'verb', verb: 'fail', name: null }, -1],
    COMMIT: [{ t: 'verb', verb: 'commit', name: null }, 0],
    PRUNE: [{ t: 'verb', verb: 'prune', name: null }, 0],
    SKIP: [{ t: 'verb', verb: 'skip', name: null }, 0],
    THEN: [{ t: 'verb', verb: 'then', name: null }, 0],
  };
  const verb = Object.hasOwn(verbs, name) ? verbs[name] : undefined;
  if (!verb) s.fail(60);
  const [node, hasArg] = verb;
  if (p[s.i] === 58 && s.i + 1 < end && p[s.i + 1] === 41) s.i++;
  if (hasArg > 0 && p[s.i] !== 58) s.fail(66);
  s.push(node, node.verb === 'accept');
  if (p[s.i++] === 58) {
    if (hasArg < 0) {
      // (*ACCEPT:NAME), (*FAIL:NAME): a (*MARK:NAME) then the verb.
      const mark: PcreNode & { t: 'verb' } = { t: 'verb', verb: 'mark', name: null };
      s.frame.cur.splice(s.frame.cur.length - 1, 0, mark);
      return { node: mark, chars: [], start: s.i };
    }
    node.name = '';
    return { node, chars: [], start: s.i };
  }
  return null;
}
