// CodeIgniter 3.1.13 `singular()` (system/helpers/inflector_helper.php), which names XML list
// items after their parent element. Reproduced rule for rule, in order, first match wins; the
// rules are PCRE without flags (case-sensitive), so `Contacts` → `Contact` but `DATA` stays as is
// only because word_is_countable() lower-cases. Verified for every element name of this API
// (see inflector.test.ts); PHP-only corners such as `\2` of a missing group are kept (→ '').

// word_is_countable(): these words are returned unchanged (compared lower-cased).
const UNCOUNTABLE = new Set([
  'audio',
  'bison',
  'chassis',
  'compensation',
  'coreopsis',
  'data',
  'deer',
  'education',
  'emoji',
  'equipment',
  'fish',
  'furniture',
  'gold',
  'information',
  'knowledge',
  'love',
  'rain',
  'money',
  'moose',
  'nutrition',
  'offspring',
  'plankton',
  'pokemon',
  'police',
  'rice',
  'series',
  'sheep',
  'species',
  'swine',
  'traffic',
  'wheat',
]);

type Replacer = (match: string, ...groups: (string | undefined)[]) => string;

// Replacements are functions: PHP writes '' for a group that does not exist or did not take part
// (`\1\2ovie`), where a JS replacement string would write `$2` literally.
const g = (n: number, groups: (string | undefined)[]): string => {
  const value = groups[n - 1];
  return typeof value === 'string' ? value : '';
};
const rule = (pattern: RegExp, build: (groups: (string | undefined)[]) => string): [RegExp, Replacer] => [
  pattern,
  (_match, ...rest) => build(rest.slice(0, -2)),
];

const SINGULAR_RULES: [RegExp, Replacer][] = [
  rule(/(matr)ices$/, (m) => `${g(1, m)}ix`),
  rule(/(vert|ind)ices$/, (m) => `${g(1, m)}ex`),
  rule(/^(ox)en/, (m) => g(1, m)),
  rule(/(alias)es$/, (m) => g(1, m)),
  rule(/([octop|vir])i$/, (m) => `${g(1, m)}us`),
  rule(/(cris|ax|test)es$/, (m) => `${g(1, m)}is`),
  rule(/(shoe)s$/, (m) => g(1, m)),
  rule(/(o)es$/, (m) => g(1, m)),
  rule(/(bus|campus)es$/, (m) => g(1, m)),
  rule(/([m|l])ice$/, (m) => `${g(1, m)}ouse`),
  rule(/(x|ch|ss|sh)es$/, (m) => g(1, m)),
  rule(/(m)ovies$/, (m) => `${g(1, m)}${g(2, m)}ovie`),
  rule(/(s)eries$/, (m) => `${g(1, m)}${g(2, m)}eries`),
  rule(/([^aeiouy]|qu)ies$/, (m) => `${g(1, m)}y`),
  rule(/([lr])ves$/, (m) => `${g(1, m)}f`),
  rule(/(tive)s$/, (m) => g(1, m)),
  rule(/(hive)s$/, (m) => g(1, m)),
  rule(/([^f])ves$/, (m) => `${g(1, m)}fe`),
  rule(/(^analy)ses$/, (m) => `${g(1, m)}sis`),
  rule(/((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$/, (m) => `${g(1, m)}${g(2, m)}sis`),
  rule(/([ti])a$/, (m) => `${g(1, m)}um`),
  rule(/(p)eople$/, (m) => `${g(1, m)}${g(2, m)}erson`),
  rule(/(m)en$/, (m) => `${g(1, m)}an`),
  rule(/(s)tatuses$/, (m) => `${g(1, m)}${g(2, m)}tatus`),
  rule(/(c)hildren$/, (m) => `${g(1, m)}${g(2, m)}hild`),
  rule(/(n)ews$/, (m) => `${g(1, m)}${g(2, m)}ews`),
  rule(/(quiz)zes$/, (m) => g(1, m)),
  rule(/([^us])s$/, (m) => g(1, m)),
];

// CI 3.1.13 singular(): the legacy XML writer names list items `singular(<parent>)`.
export function singular(word: string): string {
  // PHP 8.2 strtolower() is ASCII-only.
  if (UNCOUNTABLE.has(word.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()))) return word;
  for (const [pattern, replace] of SINGULAR_RULES) {
    if (pattern.test(word)) return word.replace(pattern, replace);
  }
  return word;
}
