// PHP 8.2's preg_match($pattern, $subject) (PCRE2 10.42) for a pattern PHP is handed as a string:
// its delimiters and modifiers as php_pcre.c reads them, the pattern as PCRE2 parses it
// (parse.ts), matched in bounded time (match.ts). Checked against PHP's own
// answers (index.test.ts, scripts/php-preg-record.mjs). Where it is known to answer otherwise:
// - PCRE2's resource limits (pcre.backtrack_limit, the JIT stack, heap) are not reproduced: a match
//   PCRE2 gave up on may be found here, and one it found may be out of this step budget;
// - PCRE2 10.42 bugs: its auto-possessification makes some repeats possessive that must not be
//   (`\P{Lu}*\P{Nd}` never matches "aa" in PHP, nor `a?(b)?+a` "a"); it reports "recursion loop"
//   errors for some recursions that match the empty string (`(|(?1))`);
// - backtracking verbs ((*COMMIT), (*PRUNE), (*SKIP), (*THEN)) where PCRE2's start-of-match
//   optimizations change what they see, and (*SKIP:NAME) (treated as without a name);
// - the 64 KiB compiled-size limit, estimated to within a few code units;
// - UTF mode (the u modifier), refused here.

import { type PcreOptions, PcreSyntaxError } from './ast';
import { compileProgram, type MatchResult, type PcreProgram } from './match';
import { parsePcre } from './parse';

export type { MatchResult, PcreProgram, Subject } from './match';

/** A compiled preg pattern, or why preg_match returns false before matching. */
export type PhpRegex = { ok: true; program: PcreProgram } | { ok: false; error: string };

const isSpace = (c: number) => (c >= 9 && c <= 13) || c === 32;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * pcre_get_compiled_regex_cache: leading whitespace, a delimiter (not alphanumeric, backslash or
 * NUL; `(` `[` `{` `<` close with their pair, nesting), the pattern up to the first unescaped
 * closing delimiter, then modifiers (`imsxADSUXnJ`, spaces and newlines ignored; any other is an
 * error). UTF mode (`u`) is not supported: reported as an error.
 */
export function compilePhpRegex(regex: Uint8Array): PhpRegex {
  const end = regex.length;
  let p = 0;
  while (p < end && isSpace(regex[p]!)) p++;
  if (p >= end) return { ok: false, error: 'Empty regular expression' };
  const start = regex[p++]!;
  if (isAlnum(start) || start === 92 || start === 0) {
    return { ok: false, error: 'Delimiter must not be alphanumeric, backslash, or NUL' };
  }
  const pairs: Record<number, number> = { 40: 41, 91: 93, 123: 125, 60: 62 };
  const close = pairs[start] ?? start;
  let q = p;
  if (close === start) {
    while (q < end) {
      if (regex[q] === 92 && q + 1 < end) q++;
      else if (regex[q] === close) break;
      q++;
    }
  } else {
    let brackets = 1;
    while (q < end) {
      if (regex[q] === 92 && q + 1 < end) q++;
      else if (regex[q] === close && --brackets <= 0) break;
      else if (regex[q] === start) brackets++;
      q++;
    }
  }
  if (q >= end) return { ok: false, error: 'No ending delimiter found' };
  const pattern = regex.subarray(p, q);
  const options: PcreOptions = {};
  for (q++; q < end; q++) {
    const m = regex[q]!;
    switch (String.fromCharCode(m)) {
      case 'i':
        options.caseless = true;
        break;
      case 'm':
        options.multiline = true;
        break;
      case 's':
        options.dotall = true;
        break;
      case 'x':
        options.extended = true;
        break;
      case 'A':
        options.anchored = true;
        break;
      case 'D':
        options.dollarEndOnly = true;
        break;
      case 'U':
        options.ungreedy = true;
        break;
      case 'n':
        options.noAutoCapture = true;
        break;
      case 'J':
        options.dupnames = true;
        break;
      case 'S':
      case 'X':
      case ' ':
      case '\n':
      case '\r':
        break;
      case 'u':
        return { ok: false, error: 'UTF mode is not supported here' };
      default:
        return {
          ok: false,
          error: m === 0 ? 'NUL is not a valid modifier' : `Unknown modifier '${String.fromCharCode(m)}'`,
        };
    }
  }
  try {
    return { ok: true, program: compileProgram(parsePcre(pattern, options)) };
  } catch (error) {
    if (error instanceof PcreSyntaxError) return { ok: false, error: `Compilation failed: ${error.message}` };
    throw error;
  }
}

/** preg_match($regex, $subject) on a whole subject: 1, 0, or false (an error, or out of budget). */
export function phpPregMatch(regex: Uint8Array, subject: Uint8Array): 1 | 0 | false {
  const compiled = compilePhpRegex(regex);
  if (!compiled.ok) return false;
  const result: MatchResult = compiled.program.match({
    bytes: subject,
    complete: true,
    limit: subject.length,
  });
  return result === 'budget' ? false : result ? 1 : 0;
}
