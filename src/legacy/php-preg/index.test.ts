import { describe, expect, it } from 'vitest';
import cases from './cases.json';
import { compilePhpRegex, phpPregMatch } from './index';

// PHP 8.2's own answers (scripts/php-preg-record.mjs): preg_match($regex, $subject) for hand-picked
// and generated regexes, regexes and subjects as binary strings (one char per byte).
type Regex = string | [string, string, number, string];
const table = cases as unknown as {
  recordedWith: string;
  subjects: string[];
  regexes: [Regex, number[], string][];
};
const bytes = (binary: string) => Uint8Array.from(binary, (c) => c.charCodeAt(0));
const regexText = (regex: Regex) =>
  typeof regex === 'string' ? regex : regex[0] + regex[1].repeat(regex[2]) + regex[3];

describe(`preg_match against PHP's recorded answers (${table.recordedWith})`, () => {
  const rows = table.regexes.map(([regex, refs, answers]) => ({ regex: regexText(regex), refs, answers }));

  it('compiles exactly the regexes PHP compiles', () => {
    const wrong = rows.filter(({ regex, answers }) => {
      const refused = answers.includes('e');
      return compilePhpRegex(bytes(regex)).ok === refused;
    });
    expect(wrong.map((row) => row.regex)).toEqual([]);
    expect(rows.length).toBeGreaterThan(4000);
  });

  it('matches exactly where PHP matches (1), for every subject', () => {
    const wrong: string[] = [];
    let compared = 0;
    for (const { regex, refs, answers } of rows) {
      const compiled = compilePhpRegex(bytes(regex));
      refs.forEach((ref, k) => {
        const subject = bytes(table.subjects[ref]!);
        const matched =
          compiled.ok && compiled.program.match({ bytes: subject, complete: true, limit: subject.length });
        compared++;
        if ((matched === true) !== (answers[k] === '1')) {
          wrong.push(`${JSON.stringify(regex)} on ${JSON.stringify(table.subjects[ref])}: PHP ${answers[k]}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(20_000);
  });
});

describe('preg_match beyond the recorded table', () => {
  const enc = new TextEncoder();
  const match = (regex: string, subject: string) => phpPregMatch(enc.encode(regex), enc.encode(subject));

  it('runs a regular pattern on the linear-time NFA, the others on the bounded backtracker', () => {
    const engine = (regex: string) => {
      const compiled = compilePhpRegex(enc.encode(regex));
      return compiled.ok ? compiled.program.engine : null;
    };
    expect(engine('/^[a-z_$][\\w$]*(\\.[a-z_$][\\w$]*)*$/i')).toBe('nfa');
    expect(engine('/^(a|b)*c{2,5}\\R\\X$/m')).toBe('nfa');
    expect(engine('/^(a)\\1/')).toBe('backtrack');
    expect(engine('/^(?=a)/')).toBe('backtrack');
    expect(engine('/^a++/')).toBe('backtrack');
    // A counted repetition too large to expand runs on the backtracker, which loops over bytes.
    expect(engine('/^.{0,65535}x/')).toBe('backtrack');
  });

  it('gives up in bounded time on catastrophic patterns, as PCRE gives up at its limits', () => {
    const subject = `{"data":[${'{"id":"1","name":"aaaaaaaaaaaaaaaa"},'.repeat(300)}{}]}`;
    for (const regex of ['/^(?:.?){300}x/', '/^(.?){300}\\1x/', '/^(?:(?:.*)*)*x/', '/^(.*)*\\1x/']) {
      const started = Date.now();
      expect(match(regex, subject)).not.toBe(1);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('sees PCRE2 recursion, subroutine calls and backtracking verbs', () => {
    expect(match('/^(\\{(?:[^{}]|(?1))*\\})$/', '{a{b}{c{d}}}')).toBe(1);
    expect(match('/^(\\{(?:[^{}]|(?1))*\\})$/', '{a{b}{c{d}}')).toBe(0);
    expect(match('/^(?:a(*COMMIT)b|ac)/', 'ac')).toBe(0);
    expect(match('/^(?:a(*THEN)b|ac)/', 'ac')).toBe(1);
    expect(match('/a(*PRUNE)b|ac/', 'aac')).toBe(0);
    expect(match('/a+(*SKIP)b|c/', 'aaac')).toBe(1);
    expect(match('/^(?:a(*ACCEPT)b)c/', 'ax')).toBe(1);
  });
});
