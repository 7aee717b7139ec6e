// PCRE2 10.42's pattern parser (pcre2_compile.c parse_regex and the checks of its compile pass), as
// PHP 8.2's preg_match runs it: 8-bit code units, no UTF, no UCP, newline LF, the default character
// tables (ASCII), no compile options except those set inside the pattern. It reads the pattern into
// a tree (PcreNode) and fails with PcreSyntaxError exactly where PCRE2 fails to compile; matching is
// php-preg-match.ts's. Error numbers are PCRE2's (pcre2_error.c).
import {
  type ByteSet,
  type CondTest,
  type ParsedPattern,
  type PcreNode,
  type PcreOptions,
  PcreSyntaxError,
} from './php-preg-ast';
import { checkTree } from './php-preg-check';
import {
  ALL_SET,
  C_LCLETTER,
  C_LETTER,
  C_SPACE,
  CR_SET,
  CTYPES,
  ch,
  complement,
  DIGIT_SET,
  ESCAPES,
  Esc,
  HSPACE_SET,
  isDigit,
  isWordByte,
  NL_SET,
  NOT_CR_SET,
  NOT_NL_SET,
  otherCase,
  POSIX_NAMES,
  POSIX_SETS,
  propertyTable,
  R_SINGLE_SET,
  SPACE_SET,
  VSPACE_SET,
  WORD_SET,
  xdigit,
} from './php-preg-tables';

// Option bits tracked while parsing (PARSE_TRACKED_OPTIONS).
const CASELESS = 1;
const MULTILINE = 2;
const DOTALL = 4;
const EXTENDED = 8;
const EXTENDED_MORE = 16;
const NO_AUTO_CAPTURE = 32;
const UNGREEDY = 64;
const DUPNAMES = 128;

const MAX_REPEAT_COUNT = 65535;
const MAX_GROUP_NUMBER = 65535;
const PARENS_NEST_LIMIT = 250;
const MAX_NAME_SIZE = 32;
const MAX_MARK = 255;
const PCRE2_MAJOR = 10;
const PCRE2_MINOR = 42;

interface Frame {
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
interface NameRef {
  name: string;
  node: PcreNode & ({ t: 'backref' } | { t: 'recurse' });
}
interface CondNameRef {
  name: string;
  kind: 'name' | 'rname' | 'rnumber';
  node: PcreNode & { t: 'cond' };
}

/**
 * Parses `p` (the bytes between the delimiters) as pcre2_compile with no options does.
 * Throws PcreSyntaxError where PCRE2 reports a compile error.
 */
export function parsePcre(p: Uint8Array, options: PcreOptions = {}): ParsedPattern {
  const bits =
    (options.caseless ? CASELESS : 0) |
    (options.multiline ? MULTILINE : 0) |
    (options.dotall ? DOTALL : 0) |
    (options.extended ? EXTENDED : 0) |
    (options.ungreedy ? UNGREEDY : 0) |
    (options.noAutoCapture ? NO_AUTO_CAPTURE : 0) |
    (options.dupnames ? DUPNAMES : 0);
  return new Parser(p, bits, options.dollarEndOnly === true, options.anchored === true).parse();
}

class Parser {
  private i = 0;
  private options = 0;
  private bracount = 0;
  private nestDepth = 0;
  private readonly names: { name: string; number: number; isdup: boolean }[] = [];
  private readonly nameRefs: NameRef[] = [];
  private readonly condNameRefs: CondNameRef[] = [];
  private readonly numberRefs: { group: number; offset: number }[] = [];
  private readonly condNumberRefs: { group: number }[] = [];
  private readonly groupNodes: (PcreNode & { t: 'group' })[] = [];
  private readonly stack: Frame[] = [];
  private okQuantifier = false;
  private dupCapUsed = false;

  constructor(
    private readonly p: Uint8Array,
    private readonly initialOptions: number,
    private readonly dollarEndOnly: boolean,
    private readonly anchored: boolean,
  ) {
    this.options = initialOptions;
  }

  private fail(code: number, offset = this.i): never {
    throw new PcreSyntaxError(code, offset);
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private push(node: PcreNode, quantifiable: boolean): void {
    this.frame.cur.push(node);
    this.okQuantifier = quantifiable;
  }

  private literal(c: number): PcreNode {
    const set = new Uint8Array(256);
    set[c] = 1;
    if (this.options & CASELESS) set[otherCase(c)] = 1;
    return { t: 'set', set };
  }

  parse(): ParsedPattern {
    const p = this.p;
    const end = p.length;
    this.stack.push({
      kind: 'root',
      cap: 0,
      branches: [],
      cur: [],
      options: this.initialOptions,
      condAssert: false,
    });
    let inescq = false;
    let inVerbName: { node: PcreNode & { t: 'verb' }; chars: number[]; start: number } | null = null;
    let expectCondAssert = 0;
    let lastQuantifier: (PcreNode & { t: 'rep' }) | null = null;
    let lastQuantifierUngreedy = false;

    while (this.i < end) {
      if (this.nestDepth > PARENS_NEST_LIMIT) this.fail(19);
      const c = p[this.i++]!;

      if (inescq) {
        if (c === 92 && this.i < end && p[this.i] === ch('E')) {
          inescq = false;
          this.i++;
        } else {
          if (expectCondAssert > 0) this.fail(28, this.i - 1);
          if (inVerbName) inVerbName.chars.push(c);
          else this.push(this.literal(c), true);
          lastQuantifier = null;
        }
        continue;
      }

      // A (*VERB:NAME) argument: everything up to `)` is literal (no PCRE2_ALT_VERBNAMES).
      if (inVerbName) {
        if (c === 41) {
          if (this.i - inVerbName.start - 1 > MAX_MARK) this.fail(76, this.i - 1);
          inVerbName.node.name = String.fromCharCode(...inVerbName.chars);
          inVerbName = null;
        } else inVerbName.chars.push(c);
        continue;
      }

      if (c === 92 && this.i < end && (p[this.i] === ch('Q') || p[this.i] === ch('E'))) {
        inescq = p[this.i] === ch('Q');
        this.i++;
        continue;
      }

      if (this.options & EXTENDED) {
        if (CTYPES[c]! & C_SPACE || c === 0x85) continue;
        if (c === 35) {
          while (this.i < end) {
            if (p[this.i] === 10) {
              this.i++;
              break;
            }
            this.i++;
          }
          continue;
        }
      }

      if (c === 40 && end - this.i >= 2 && p[this.i] === 63 && p[this.i + 1] === 35) {
        this.i++;
        while (++this.i < end && p[this.i] !== 41);
        if (this.i >= end) this.fail(18);
        this.i++;
        continue;
      }

      if (expectCondAssert > 0) {
        let ok = c === 40 && end - this.i >= 3 && (p[this.i] === 63 || p[this.i] === 42);
        if (ok) {
          if (p[this.i] === 42) ok = (CTYPES[p[this.i + 1]!]! & C_LCLETTER) !== 0;
          else {
            const d = p[this.i + 1];
            if (d === ch('C')) ok = expectCondAssert === 2;
            else if (d === 61 || d === 33) ok = true;
            else if (d === 60) ok = p[this.i + 2] === 61 || p[this.i + 2] === 33;
            else ok = false;
          }
        }
        if (!ok) this.fail(28, this.i - 1);
      }
      const prevExpectCondAssert = expectCondAssert;
      expectCondAssert = 0;
      const prevOkQuantifier = this.okQuantifier;
      const prevQuantifier = lastQuantifier;
      this.okQuantifier = false;
      lastQuantifier = null;

      // A `?` or `+` after a quantifier makes it lazy or possessive.
      if (prevQuantifier && (c === 63 || c === 43)) {
        if (c === 63) prevQuantifier.lazy = !lastQuantifierUngreedy;
        else {
          prevQuantifier.possessive = true;
          prevQuantifier.lazy = false;
        }
        continue;
      }

      let min = 0;
      let max = 0;
      let isQuantifier = false;
      switch (c) {
        case 92: {
          this.escapeItem();
          break;
        }
        case 94:
          this.push({ t: 'assert', anchor: this.options & MULTILINE ? 'startLine' : 'start' }, false);
          break;
        case 36:
          this.push(
            {
              t: 'assert',
              anchor: this.options & MULTILINE ? 'endLine' : this.dollarEndOnly ? 'end' : 'endOrFinalNewline',
            },
            false,
          );
          break;
        case 46:
          this.push({ t: 'set', set: this.options & DOTALL ? ALL_SET : NOT_NL_SET }, true);
          break;
        case 42:
          isQuantifier = true;
          max = -1;
          break;
        case 43:
          isQuantifier = true;
          min = 1;
          max = -1;
          break;
        case 63:
          isQuantifier = true;
          max = 1;
          break;
        case 123: {
          const counts = this.readRepeatCounts(this.i);
          if (!counts) {
            this.push(this.literal(c), true);
            break;
          }
          this.i = counts.next;
          isQuantifier = true;
          min = counts.min;
          max = counts.max;
          break;
        }
        case 91:
          this.classItem();
          break;
        case 40: {
          const verb = this.openParen(prevExpectCondAssert);
          if (verb === 'expectCondAssert') expectCondAssert = 2;
          else if (verb === 'callout') expectCondAssert = prevExpectCondAssert - 1;
          else if (verb) inVerbName = verb;
          break;
        }
        case 124: {
          const f = this.frame;
          if (f.reset) {
            if (this.bracount > f.reset.maxGroup) f.reset.maxGroup = this.bracount;
            this.bracount = f.reset.resetGroup;
          }
          f.branches.push(f.cur);
          f.cur = [];
          break;
        }
        case 41:
          this.closeParen();
          break;
        default:
          this.push(this.literal(c), true);
      }

      if (isQuantifier) {
        if (!prevOkQuantifier) this.fail(9, this.i - 1);
        const items = this.frame.cur;
        const last = items.pop()!;
        const rep: PcreNode & { t: 'rep' } = {
          t: 'rep',
          body: last,
          min,
          max,
          lazy: (this.options & UNGREEDY) !== 0,
          possessive: false,
        };
        lastQuantifierUngreedy = (this.options & UNGREEDY) !== 0;
        items.push(rep);
        lastQuantifier = rep;
      }
    }

    if (inVerbName) this.fail(60);
    if (this.nestDepth !== 0 || this.stack.length !== 1) this.fail(14);
    const root = branchesNode(this.frame);
    const parsed: ParsedPattern = {
      root,
      anchored: this.anchored,
      groupCount: this.bracount,
      groups: this.groupNodes,
    };
    this.resolve(parsed);
    return parsed;
  }

  // read_repeat_counts: `{n}`, `{n,}`, `{n,m}` (10.42: no `{,m}`, no spaces); null when not one.
  private readRepeatCounts(from: number): { min: number; max: number; next: number } | null {
    const p = this.p;
    let q = from;
    let hadComma = false;
    for (; ; q++) {
      if (q >= p.length) return null;
      const c = p[q]!;
      if (isDigit(c)) continue;
      if (c === 125) break;
      if (c === 44) {
        if (hadComma) return null;
        hadComma = true;
      } else return null;
    }
    q = from;
    const readNum = (): number => {
      if (!isDigit(p[q])) return Number.NaN;
      let n = 0;
      while (q < p.length && isDigit(p[q])) {
        n = n * 10 + p[q++]! - 48;
        if (n > MAX_REPEAT_COUNT) this.fail(5, q);
      }
      return n;
    };
    const min = readNum();
    if (Number.isNaN(min)) return null; // `{,…}`: read_number finds no number, not a quantifier
    let max: number;
    if (p[q] === 125) {
      q++;
      max = min;
    } else {
      q++;
      if (p[q] !== 125) {
        max = readNum();
        if (max < min) this.fail(4, q);
      } else max = -1;
      q++;
    }
    return { min, max, next: q };
  }

  // read_number: digits, optionally signed (relative to `allowSign` when it is >= 0).
  private readNumber(allowSign: number, maxValue: number, maxError: number): number | null {
    const p = this.p;
    let sign = 0;
    let q = this.i;
    if (allowSign >= 0 && q < p.length) {
      if (p[q] === 43) {
        sign = 1;
        maxValue -= allowSign;
        q++;
      } else if (p[q] === 45) {
        sign = -1;
        q++;
      }
    }
    if (q >= p.length || !isDigit(p[q])) return null;
    let n = 0;
    while (q < p.length && isDigit(p[q])) {
      n = n * 10 + p[q++]! - 48;
      if (n > maxValue) {
        this.i = q;
        this.fail(maxError);
      }
    }
    if (allowSign >= 0 && sign !== 0) {
      if (n === 0) {
        this.i = q;
        this.fail(26);
      }
      if (sign > 0) n += allowSign;
      else if (n > allowSign) {
        this.i = q;
        this.fail(15);
      } else n = allowSign + 1 - n;
    }
    this.i = q;
    return n;
  }

  // read_name: a group name (word characters, not starting with a digit) and its terminator, or
  // (from a `*`) a verb or alpha assertion name.
  private readName(terminator: number, isGroup: boolean): string {
    const p = this.p;
    if (++this.i >= p.length) this.fail(isGroup ? 62 : 60);
    const start = this.i;
    if (isGroup && isDigit(p[this.i])) this.fail(44);
    while (this.i < p.length && isWordByte(p[this.i]!)) this.i++;
    if (this.i - start > MAX_NAME_SIZE) this.fail(48);
    const name = String.fromCharCode(...p.subarray(start, this.i));
    if (isGroup) {
      if (name === '') this.fail(62);
      if (this.i >= p.length || p[this.i] !== terminator) this.fail(42);
      this.i++;
    }
    return name;
  }

  /**
   * check_escape after a `\`: a character ({ char }), an Esc ({ esc }) or a numbered back reference
   * ({ backref }); this.i moves past the escape.
   */
  private checkEscape(isClass: boolean): { char: number } | { esc: Esc } | { backref: number } {
    const p = this.p;
    const end = p.length;
    if (this.i >= end) this.fail(1);
    let c = p[this.i++]!;
    if (c < 48 || c > 122) return { char: c };
    const known = ESCAPES.get(c);
    if (known !== undefined) {
      if (known > 0) return { char: known };
      const esc = -known as Esc;
      if (esc === Esc.N && this.i < end && p[this.i] === 123) {
        const q = this.i + 1;
        if (end - q > 1 && p[q] === ch('U') && p[q + 1] === 43) this.fail(93);
        if (!this.readRepeatCounts(q)) this.fail(37);
      }
      return { esc };
    }
    switch (String.fromCharCode(c)) {
      case 'F':
      case 'l':
      case 'L':
      case 'u':
      case 'U':
        this.fail(37);
        break;
      case 'g': {
        if (isClass) return { char: c };
        if (this.i >= end) this.fail(57);
        if (p[this.i] === 60 || p[this.i] === 39) return { esc: Esc.g };
        if (p[this.i] === 123) {
          const save = this.i;
          this.i++;
          const s = this.readNumber(this.bracount, MAX_GROUP_NUMBER, 61);
          if (s === null) {
            this.i = save;
            return { esc: Esc.k };
          }
          if (this.i >= end || p[this.i] !== 125) this.fail(57);
          this.i++;
          if (s <= 0) this.fail(15);
          return { backref: s };
        }
        const s = this.readNumber(this.bracount, MAX_GROUP_NUMBER, 61);
        if (s === null) this.fail(57);
        if (s <= 0) this.fail(15);
        return { backref: s };
      }
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9': {
        if (!isClass) {
          const old = this.i;
          this.i--;
          let s = 0;
          let q = this.i;
          let tooBig = false;
          while (q < end && isDigit(p[q])) {
            s = s * 10 + p[q++]! - 48;
            if (s > 214748363) {
              tooBig = true;
              break;
            }
          }
          if (!tooBig && (s < 10 || c >= 56 || s <= this.bracount)) {
            this.i = q;
            if (s > MAX_GROUP_NUMBER) this.fail(61);
            return { backref: s };
          }
          this.i = old;
        }
        if (c >= 56) return { char: c };
        return { char: this.octal(c - 48) };
      }
      case '0':
        return { char: this.octal(0) };
      case 'o': {
        if (this.i >= end || p[this.i++] !== 123) {
          this.i--;
          this.fail(55);
        }
        if (this.i >= end || p[this.i] === 125) this.fail(78);
        c = 0;
        let overflow = false;
        while (this.i < end && p[this.i]! >= 48 && p[this.i]! <= 55) {
          const cc = p[this.i++]!;
          if (c === 0 && cc === 48) continue;
          c = (c << 3) + (cc - 48);
          if (c > 0xff) {
            overflow = true;
            break;
          }
        }
        if (overflow) this.fail(34);
        if (this.i < end && p[this.i++] === 125) return { char: c };
        this.i--;
        this.fail(64);
        break;
      }
      case 'x': {
        if (this.i < end && p[this.i] === 123) {
          if (++this.i >= end || p[this.i] === 125) this.fail(78);
          c = 0;
          while (this.i < end && xdigit(p[this.i]) >= 0) {
            const cc = xdigit(p[this.i++]);
            if (c === 0 && cc === 0) continue;
            c = (c << 4) | cc;
            if (c > 0xff) this.fail(34);
          }
          if (this.i < end && p[this.i++] === 125) return { char: c };
          this.i--;
          this.fail(67);
        }
        c = 0;
        const d1 = xdigit(p[this.i]);
        if (this.i >= end || d1 < 0) return { char: 0 };
        this.i++;
        c = d1;
        const d2 = xdigit(p[this.i]);
        if (this.i >= end || d2 < 0) return { char: c };
        this.i++;
        return { char: (c << 4) | d2 };
      }
      case 'c': {
        if (this.i >= end) this.fail(2);
        c = p[this.i]!;
        if (c >= 97 && c <= 122) c -= 32;
        if (c < 32 || c > 126) this.fail(68);
        this.i++;
        return { char: c ^ 0x40 };
      }
      default:
        this.fail(3, this.i - 1);
    }
    throw new Error('unreachable');
  }

  private octal(first: number): number {
    let c = first;
    let n = 0;
    while (n++ < 2 && this.i < this.p.length && this.p[this.i]! >= 48 && this.p[this.i]! <= 55) {
      c = c * 8 + this.p[this.i++]! - 48;
    }
    if (c > 0xff) this.fail(51);
    return c;
  }

  // get_ucp: \p / \P's name, as a set of bytes (already negated for \P and `^`).
  private unicodeProperty(negatedEscape: boolean): ByteSet {
    const p = this.p;
    const end = p.length;
    if (this.i >= end) this.fail(46);
    let c = p[this.i++]!;
    let negated = false;
    let name = '';
    const isspace = (x: number) => (x >= 9 && x <= 13) || x === 32;
    if (c === 123) {
      if (this.i >= end) this.fail(46);
      if (p[this.i] === 94) {
        negated = true;
        this.i++;
      }
      let closed = false;
      for (let n = 0; n < 49; n++) {
        if (this.i >= end) this.fail(46);
        c = p[this.i++]!;
        while (c === 95 || c === 45 || isspace(c)) {
          if (this.i >= end) this.fail(46);
          c = p[this.i++]!;
        }
        if (c === 0) this.fail(46);
        if (c === 125) {
          closed = true;
          break;
        }
        name += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
      }
      if (!closed) this.fail(46);
    } else if (CTYPES[c]! & C_LETTER) {
      name = String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    } else this.fail(46);

    const table = propertyTable();
    let entry: { set: ByteSet; script: boolean } | undefined;
    const sep = name.search(/[:=]/);
    if (sep >= 0) {
      const prefix = name.slice(0, sep);
      const value = name.slice(sep + 1);
      if (prefix === 'bidiclass' || prefix === 'bc') entry = table.get(`bidi${value}`);
      else if (prefix === 'script' || prefix === 'sc' || prefix === 'scriptextensions' || prefix === 'scx') {
        entry = table.get(value);
        if (entry && !entry.script) entry = undefined;
      }
    } else entry = table.get(name);
    if (!entry) this.fail(47);
    return negated !== negatedEscape ? complement(entry.set) : entry.set;
  }

  private escapeSet(esc: Esc): ByteSet | null {
    switch (esc) {
      case Esc.d:
        return DIGIT_SET;
      case Esc.D:
        return complement(DIGIT_SET);
      case Esc.s:
        return SPACE_SET;
      case Esc.S:
        return complement(SPACE_SET);
      case Esc.w:
        return WORD_SET;
      case Esc.W:
        return complement(WORD_SET);
      case Esc.h:
        return HSPACE_SET;
      case Esc.H:
        return complement(HSPACE_SET);
      case Esc.v:
        return VSPACE_SET;
      case Esc.V:
        return complement(VSPACE_SET);
      case Esc.N:
        return NOT_NL_SET;
      case Esc.C:
        return ALL_SET;
      default:
        return null;
    }
  }

  private escapeItem(): void {
    const r = this.checkEscape(false);
    if ('char' in r) {
      this.push(this.literal(r.char), true);
      return;
    }
    if ('backref' in r) {
      this.numberRefs.push({ group: r.backref, offset: this.i });
      this.push({ t: 'backref', groups: [r.backref], caseless: (this.options & CASELESS) !== 0 }, true);
      return;
    }
    const esc = r.esc;
    const set = this.escapeSet(esc);
    if (set) {
      this.push({ t: 'set', set }, true);
      return;
    }
    switch (esc) {
      case Esc.R:
        // (?>\r\n|\n|\x0b|\f|\r|\x85): atomic, so a CR followed by LF is never taken alone.
        this.push(lineBreakGroup(R_SINGLE_SET), true);
        return;
      case Esc.X:
        // An extended grapheme cluster of Latin-1 code points: CR LF (atomically), or one character.
        this.push(lineBreakGroup(NOT_CR_SET), true);
        return;
      case Esc.p:
      case Esc.P:
        this.push({ t: 'set', set: this.unicodeProperty(esc === Esc.P) }, true);
        return;
      case Esc.A:
      case Esc.G:
        this.push({ t: 'assert', anchor: 'start' }, false);
        return;
      case Esc.z:
        this.push({ t: 'assert', anchor: 'end' }, false);
        return;
      case Esc.Z:
        this.push({ t: 'assert', anchor: 'endOrFinalNewline' }, false);
        return;
      case Esc.b:
        this.push({ t: 'assert', anchor: 'word' }, false);
        return;
      case Esc.B:
        this.push({ t: 'assert', anchor: 'notWord' }, false);
        return;
      case Esc.K:
        this.push({ t: 'keep' }, false);
        return;
      case Esc.g:
      case Esc.k: {
        const p = this.p;
        if (this.i >= p.length || (p[this.i] !== 123 && p[this.i] !== 60 && p[this.i] !== 39)) {
          this.fail(esc === Esc.g ? 57 : 69);
        }
        const open = p[this.i];
        const terminator = open === 60 ? 62 : open === 39 ? 39 : 125;
        if (esc === Esc.g && terminator !== 125) {
          const save = this.i;
          this.i++;
          const n = this.readNumber(this.bracount, MAX_GROUP_NUMBER, 61);
          if (n !== null) {
            if (this.i >= p.length || p[this.i] !== terminator) this.fail(57);
            this.i++;
            this.recursion(n);
            return;
          }
          this.i = save;
        }
        const name = this.readName(terminator, true);
        const node: PcreNode & ({ t: 'backref' } | { t: 'recurse' }) =
          esc === Esc.k || terminator === 125
            ? { t: 'backref', groups: [], caseless: (this.options & CASELESS) !== 0 }
            : { t: 'recurse', group: -1 };
        this.nameRefs.push({ name, node });
        this.push(node, true);
        return;
      }
      default:
        throw new Error(`escape ${esc} not handled`);
    }
  }

  private recursion(group: number): void {
    this.numberRefs.push({ group, offset: this.i });
    this.push({ t: 'recurse', group }, true);
  }

  // check_posix_syntax: `[:…:]` (or `.`/`=`) ahead, from the character after `[`.
  private posixSyntaxEnd(from: number): number {
    const p = this.p;
    const terminator = p[from]!;
    for (let q = from + 1; p.length - q >= 2; q++) {
      if (p[q] === 92 && (p[q + 1] === 93 || p[q + 1] === 92)) q++;
      else if ((p[q] === 91 && p[q + 1] === terminator) || p[q] === 93) return -1;
      else if (p[q] === terminator && p[q + 1] === 93) return q;
    }
    return -1;
  }

  private classItem(): void {
    const p = this.p;
    const end = p.length;
    const caseless = (this.options & CASELESS) !== 0;
    // [[:<:]] and [[:>:]]: \b(?=\w) and \b(?<=\w).
    if (end - this.i >= 6) {
      const six = String.fromCharCode(...p.subarray(this.i, this.i + 6));
      if (six === '[:<:]]' || six === '[:>:]]') {
        const word: PcreNode = { t: 'set', set: WORD_SET };
        this.push({ t: 'assert', anchor: 'word' }, false);
        this.push({ t: 'look', behind: six[2] === '>', negative: false, atomic: true, body: word }, true);
        this.i += 6;
        return;
      }
    }
    if (this.i < end && (p[this.i] === 58 || p[this.i] === 46 || p[this.i] === 61)) {
      if (this.posixSyntaxEnd(this.i) >= 0) this.fail(p[this.i] === 58 ? 12 : 13);
    }
    let negate = false;
    let c = 91;
    while (this.i < end) {
      c = p[this.i++]!;
      if (c === 92) {
        if (this.i < end && p[this.i] === ch('E')) this.i++;
        else if (
          end - this.i >= 3 &&
          p[this.i] === ch('Q') &&
          p[this.i + 1] === 92 &&
          p[this.i + 2] === ch('E')
        ) {
          this.i += 3;
        } else break;
      } else if (this.options & EXTENDED_MORE && (c === 32 || c === 9)) {
      } else if (!negate && c === 94) negate = true;
      else break;
    }

    const set = new Uint8Array(256);
    const add = (x: number) => {
      set[x] = 1;
      if (caseless) set[otherCase(x)] = 1;
    };
    const addSet = (s: ByteSet) => {
      for (let x = 0; x < 256; x++) if (s[x]) set[x] = 1;
    };
    // RANGE_NO 0, RANGE_STARTED 1, RANGE_OK (escaped or literal) 2.
    let rangeState = 0;
    let rangeStart = -1;
    let inescq = false;
    for (;;) {
      let literal = -1;
      if (inescq) {
        if (c === 92 && this.i < end && p[this.i] === ch('E')) {
          inescq = false;
          this.i++;
        } else literal = c;
      } else if (this.options & EXTENDED_MORE && (c === 32 || c === 9)) {
      } else if (
        c === 91 &&
        end - this.i >= 3 &&
        (p[this.i] === 58 || p[this.i] === 46 || p[this.i] === 61)
      ) {
        const close = this.posixSyntaxEnd(this.i);
        if (close >= 0) {
          if (rangeState === 1) this.fail(50);
          if (p[this.i] !== 58) this.fail(13, this.i - 1);
          let posixNegate = false;
          if (p[++this.i] === 94) {
            posixNegate = true;
            this.i++;
          }
          let klass = POSIX_NAMES.indexOf(String.fromCharCode(...p.subarray(this.i, close)));
          if (klass < 0) this.fail(30);
          this.i = close + 2;
          if (this.i < end - 1 && p[this.i] === 45 && p[this.i + 1] !== 93) this.fail(50);
          rangeState = 0;
          if (caseless && klass <= 2) klass = 0;
          const s = POSIX_SETS[klass]!;
          addSet(posixNegate ? complement(s) : s);
        } else literal = c;
      } else if (c === 45 && rangeState === 2) {
        rangeState = 1;
      } else if (c !== 92) {
        literal = c;
      } else {
        const r = this.checkEscape(true);
        if ('char' in r) literal = r.char;
        else if ('backref' in r) throw new Error('unreachable: no back reference in a class');
        else {
          const esc = r.esc;
          if (esc === Esc.b) literal = 8;
          else if (esc === Esc.Q) inescq = true;
          else if (esc === Esc.E) {
          } else if (esc === Esc.B || esc === Esc.R || esc === Esc.X) this.fail(7, this.i - 1);
          else {
            if (rangeState === 1) this.fail(50);
            rangeState = 0;
            if (esc === Esc.N) this.fail(71);
            let s: ByteSet | null = null;
            if (esc === Esc.p || esc === Esc.P) s = this.unicodeProperty(esc === Esc.P);
            else if (esc !== Esc.C) s = this.escapeSet(esc);
            if (!s) this.fail(7, this.i - 1);
            addSet(s);
            if (this.i < end - 1 && p[this.i] === 45 && p[this.i + 1] !== 93) this.fail(50);
          }
        }
      }

      if (literal >= 0) {
        if (rangeState === 1) {
          if (literal < rangeStart) this.fail(8, this.i - 1);
          for (let x = rangeStart; x <= literal; x++) add(x);
          rangeState = 0;
        } else {
          rangeState = 2;
          rangeStart = literal;
          add(literal);
        }
      }

      if (this.i >= end) this.fail(6);
      c = p[this.i++]!;
      if (c === 93 && !inescq) break;
    }
    if (rangeState === 1) add(45);
    this.push({ t: 'set', set: negate ? complement(set) : set }, true);
  }

  private openGroup(frame: Partial<Frame> & { kind: Frame['kind'] }): void {
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

  private newCapture(): number {
    if (this.bracount >= MAX_GROUP_NUMBER) this.fail(97);
    return ++this.bracount;
  }

  /** `(` seen: a group, assertion, verb, option setting, callout, recursion or condition. */
  private openParen(
    prevExpectCondAssert: number,
  ):
    | { node: PcreNode & { t: 'verb' }; chars: number[]; start: number }
    | 'expectCondAssert'
    | 'callout'
    | null {
    const p = this.p;
    const end = p.length;
    if (this.i >= end) this.fail(14);

    if (p[this.i] !== 63) {
      if (p[this.i] !== 42) {
        const cap = this.options & NO_AUTO_CAPTURE ? 0 : this.newCapture();
        this.openGroup({ kind: 'group', cap });
        return null;
      }
      // `(*` then end or `)`: nothing, so the `*` is a quantifier without an item.
      if (end - this.i <= 1 || p[this.i + 1] === 41) return null;
      const c = p[this.i + 1]!;
      if (CTYPES[c]! & C_LCLETTER) {
        const name = this.readName(0, false);
        if (this.i >= end || p[this.i] !== 58) this.fail(95);
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
        if (kind === undefined) this.fail(95);
        if (prevExpectCondAssert > 0 && (typeof kind === 'string' || !kind[2])) {
          this.fail(typeof kind !== 'string' ? 98 : 28);
        }
        this.i++; // past `:`
        if (kind === 'atomic' || kind === 'asr') this.openGroup({ kind: 'atomic' });
        else if (kind === 'sr') this.openGroup({ kind: 'group', cap: 0 });
        else this.openLook(kind[0], kind[1], kind[2], prevExpectCondAssert);
        // A script run over Latin-1 characters (scripts Latin and Common only) always holds.
        return null;
      }
      // (*VERB) or (*VERB:NAME).
      const name = this.readName(0, false);
      if (this.i >= end || (p[this.i] !== 58 && p[this.i] !== 41)) this.fail(60);
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
      if (!verb) this.fail(60);
      const [node, hasArg] = verb;
      if (p[this.i] === 58 && this.i + 1 < end && p[this.i + 1] === 41) this.i++;
      if (hasArg > 0 && p[this.i] !== 58) this.fail(66);
      this.push(node, node.verb === 'accept');
      if (p[this.i++] === 58) {
        if (hasArg < 0) {
          // (*ACCEPT:NAME), (*FAIL:NAME): a (*MARK:NAME) then the verb.
          const mark: PcreNode & { t: 'verb' } = { t: 'verb', verb: 'mark', name: null };
          this.frame.cur.splice(this.frame.cur.length - 1, 0, mark);
          return { node: mark, chars: [], start: this.i };
        }
        node.name = '';
        return { node, chars: [], start: this.i };
      }
      return null;
    }

    // `(?`
    if (++this.i >= end) this.fail(14);
    const c = p[this.i]!;
    switch (c) {
      case 80: {
        // (?P<name>, (?P>name), (?P=name)
        if (++this.i >= end) this.fail(14);
        if (p[this.i] === 60) {
          this.defineName(62);
          return null;
        }
        if (p[this.i] === 62) {
          this.recurseByName();
          return null;
        }
        if (p[this.i] !== 61) this.fail(41);
        const name = this.readName(41, true);
        const node: PcreNode & { t: 'backref' } = {
          t: 'backref',
          groups: [],
          caseless: (this.options & CASELESS) !== 0,
        };
        this.nameRefs.push({ name, node });
        this.push(node, true);
        return null;
      }
      case 82: // (?R)
        this.i++;
        if (this.i >= end || p[this.i] !== 41) this.fail(58);
        this.i++;
        this.recursion(0);
        return null;
      case 43: // (?+n)
        if (end - this.i < 2 || !isDigit(p[this.i + 1])) this.fail(29);
        return this.recursionByNumber();
      case 38: // (?&name)
        this.recurseByName();
        return null;
      case 67: {
        // (?C), (?Cn), (?C"text"): callouts, which PHP never handles (they do nothing).
        if (++this.i >= end) this.fail(14);
        if (p[this.i] !== 41 && !isDigit(p[this.i])) {
          const starts = [96, 39, 34, 94, 37, 35, 36, 123];
          const ends = [96, 39, 34, 94, 37, 35, 36, 125];
          const k = starts.indexOf(p[this.i]!);
          if (k < 0) this.fail(82);
          const delimiter = ends[k]!;
          for (;;) {
            if (++this.i >= end) this.fail(81);
            if (p[this.i] === delimiter && (++this.i >= end || p[this.i] !== delimiter)) break;
          }
        } else {
          let n = 0;
          while (this.i < end && isDigit(p[this.i])) {
            n = n * 10 + p[this.i++]! - 48;
            if (n > 255) this.fail(38);
          }
        }
        if (this.i >= end || p[this.i] !== 41) this.fail(39);
        this.i++;
        return 'callout';
      }
      case 40:
        return this.openCondition();
      case 62: // (?>
        this.i++;
        this.openGroup({ kind: 'atomic' });
        return null;
      case 61: // (?=
        this.i++;
        this.openLook(false, false, true, prevExpectCondAssert);
        return null;
      case 42: // (?*
        this.i++;
        this.openLook(false, false, false, prevExpectCondAssert);
        return null;
      case 33: // (?!
        this.i++;
        this.openLook(false, true, true, prevExpectCondAssert);
        return null;
      case 60: {
        // (?<=, (?<!, (?<*, or (?<name>
        const d = p[this.i + 1];
        if (end - this.i <= 1 || (d !== 61 && d !== 33 && d !== 42)) {
          this.defineName(62);
          return null;
        }
        this.i += 2;
        this.openLook(true, d === 33, d !== 42, prevExpectCondAssert);
        return null;
      }
      case 39:
        this.defineName(39);
        return null;
      default:
        if (c >= 48 && c <= 57) return this.recursionByNumber();
        if (c === 45 && end - this.i > 1 && isDigit(p[this.i + 1])) return this.recursionByNumber();
        return this.optionSetting();
    }
  }

  private recursionByNumber(): null {
    const p = this.p;
    const n = this.readNumber(isDigit(p[this.i]) ? -1 : this.bracount, MAX_GROUP_NUMBER, 61);
    if (n === null) this.fail(61);
    if (n < 0) this.fail(15);
    if (this.i >= p.length || p[this.i] !== 41) this.fail(14);
    this.i++;
    this.recursion(n);
    return null;
  }

  private recurseByName(): void {
    const name = this.readName(41, true);
    const node: PcreNode & { t: 'recurse' } = { t: 'recurse', group: -1 };
    this.nameRefs.push({ name, node });
    this.push(node, true);
  }

  private openLook(behind: boolean, negative: boolean, atomic: boolean, prevExpectCondAssert: number): void {
    this.openGroup({
      kind: 'look',
      look: { behind, negative, atomic },
      condAssert: prevExpectCondAssert > 0,
    });
  }

  // (?<name>…), (?'name'…), (?P<name>…): a numbered capture group with a name.
  private defineName(terminator: number): void {
    const name = this.readName(terminator, true);
    const number = this.newCapture();
    this.openGroup({ kind: 'group', cap: number });
    if (this.names.length >= 10000) this.fail(49);
    let isdup = false;
    for (const ng of this.names) {
      if (ng.name === name) {
        if (ng.number === number) return;
        if (!(this.options & DUPNAMES)) this.fail(43);
        ng.isdup = true;
        isdup = true;
      } else if (ng.number === number) this.fail(65);
    }
    this.names.push({ name, number, isdup });
  }

  private optionSetting(): null {
    const p = this.p;
    const end = p.length;
    // (?| or options, possibly starting a non-capturing group.
    if (p[this.i] === 124) {
      this.dupCapUsed = true;
      this.openGroup({
        kind: 'group',
        cap: 0,
        reset: { resetGroup: this.bracount, maxGroup: this.bracount },
      });
      this.i++;
      return null;
    }
    let hyphenOk = true;
    let set = 0;
    let unset = 0;
    let setting = true;
    let options = this.options;
    if (this.i < end && p[this.i] === 94) {
      options &= ~(CASELESS | MULTILINE | NO_AUTO_CAPTURE | DOTALL | EXTENDED | EXTENDED_MORE);
      hyphenOk = false;
      this.i++;
    }
    while (this.i < end && p[this.i] !== 41 && p[this.i] !== 58) {
      const o = p[this.i++]!;
      let bit = 0;
      switch (String.fromCharCode(o)) {
        case '-':
          if (!hyphenOk) this.fail(94, this.i - 1);
          setting = false;
          hyphenOk = false;
          continue;
        case 'J':
          bit = DUPNAMES;
          break;
        case 'i':
          bit = CASELESS;
          break;
        case 'm':
          bit = MULTILINE;
          break;
        case 'n':
          bit = NO_AUTO_CAPTURE;
          break;
        case 's':
          bit = DOTALL;
          break;
        case 'U':
          bit = UNGREEDY;
          break;
        case 'x':
          bit = EXTENDED;
          if (this.i < end && p[this.i] === 120) {
            bit |= EXTENDED_MORE;
            this.i++;
          }
          break;
        default:
          this.fail(11, this.i - 1);
      }
      if (setting) set |= bit;
      else unset |= bit;
    }
    if ((set & (EXTENDED | EXTENDED_MORE)) === EXTENDED || unset & EXTENDED) unset |= EXTENDED_MORE;
    options = (options | set) & ~unset;
    if (this.i >= end) this.fail(14);
    if (p[this.i++] === 41) {
      this.options = options; // at this level, until its group closes
      this.okQuantifier = false;
      return null;
    }
    this.openGroup({ kind: 'group', cap: 0 });
    this.options = options;
    return null;
  }

  private openCondition(): 'expectCondAssert' | null {
    const p = this.p;
    const end = p.length;
    if (++this.i >= end) this.fail(14);
    if (p[this.i] === 63 || p[this.i] === 42) {
      this.i--; // back to the assertion's `(`, read next
      this.openGroup({ kind: 'cond', cond: 'assert' });
      return 'expectCondAssert';
    }
    const n = this.readNumber(this.bracount, MAX_GROUP_NUMBER, 61);
    let test: CondTest = { t: 'never' };
    let nameRef: { name: string; kind: CondNameRef['kind'] } | undefined;
    let define = false;
    if (n !== null) {
      if (n <= 0) this.fail(15);
      this.condNumberRefs.push({ group: n });
      test = { t: 'group', groups: [n] };
    } else if (
      end - this.i >= 10 &&
      String.fromCharCode(...p.subarray(this.i, this.i + 7)) === 'VERSION' &&
      p[this.i + 7] !== 41
    ) {
      this.i += 7;
      let ge = false;
      if (p[this.i] === 62) {
        ge = true;
        this.i++;
      }
      if (p[this.i] !== 61) this.fail(79);
      this.i++;
      if (!isDigit(p[this.i])) this.fail(79);
      const major = this.readNumber(-1, 1000, 79)!;
      let minor = 0;
      if (this.i >= end) this.fail(79);
      if (p[this.i] === 46) {
        if (++this.i >= end || !isDigit(p[this.i])) this.fail(79);
        minor = (p[this.i++]! - 48) * 10;
        if (this.i >= end) this.fail(79);
        if (isDigit(p[this.i])) minor += p[this.i++]! - 48;
        if (this.i >= end || p[this.i] !== 41) this.fail(79);
      }
      const cmp = PCRE2_MAJOR !== major ? PCRE2_MAJOR - major : PCRE2_MINOR - minor;
      test = (ge ? cmp >= 0 : cmp === 0) ? { t: 'always' } : { t: 'never' };
    } else {
      let terminator: number;
      let rAmpersand = false;
      if (p[this.i] === 82 && end - this.i > 1 && p[this.i + 1] === 38) {
        terminator = 41;
        rAmpersand = true;
        this.i++;
      } else if (p[this.i] === 60) terminator = 62;
      else if (p[this.i] === 39) terminator = 39;
      else {
        terminator = 41;
        this.i--;
      }
      const name = this.readName(terminator, true);
      if (rAmpersand) {
        nameRef = { name, kind: 'rname' };
        this.i--;
      } else if (terminator === 41) {
        if (name === 'DEFINE') define = true;
        else nameRef = { name, kind: /^R\d*$/.test(name) ? 'rnumber' : 'name' };
        this.i--;
      } else nameRef = { name, kind: 'name' };
    }
    if (this.i >= end || p[this.i] !== 41) this.fail(24);
    this.i++;
    this.openGroup({ kind: 'cond', cond: test, define, nameRef });
    return null;
  }

  private closeParen(): void {
    if (this.nestDepth === 0) this.fail(22, this.i - 1);
    const f = this.stack.pop()!;
    this.nestDepth--;
    this.options = f.options;
    if (f.reset && f.reset.maxGroup > this.bracount) this.bracount = f.reset.maxGroup;
    let node: PcreNode;
    let quantifiable = true;
    switch (f.kind) {
      case 'group': {
        const g: PcreNode & { t: 'group' } = { t: 'group', cap: f.cap, body: branchesNode(f) };
        if (f.cap > 0 && !this.groupNodes[f.cap]) this.groupNodes[f.cap] = g;
        node = g;
        break;
      }
      case 'atomic':
        node = { t: 'atomic', body: branchesNode(f) };
        break;
      case 'look':
        node = { t: 'look', ...f.look!, body: branchesNode(f) };
        quantifiable = !f.condAssert;
        break;
      case 'cond': {
        f.branches.push(f.cur);
        let test: CondTest;
        const branches = f.branches;
        if (f.cond === 'assert') {
          const first = branches[0]!;
          const look = first.shift() as PcreNode & { t: 'look' };
          test = { t: 'assert', look };
        } else test = f.cond!;
        if (f.define) {
          if (branches.length > 1) this.fail(54);
        } else if (branches.length > 2) this.fail(27);
        const seq = (items: PcreNode[]): PcreNode =>
          items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items };
        const cond: PcreNode & { t: 'cond' } = {
          t: 'cond',
          test,
          yes: seq(branches[0]!),
          no: branches.length > 1 ? seq(branches[1]!) : { t: 'empty' },
          branches: branches.length,
          define: f.define === true,
        };
        if (f.nameRef) this.condNameRefs.push({ ...f.nameRef, node: cond });
        node = cond;
        break;
      }
      default:
        throw new Error('unreachable: root closed');
    }
    this.push(node, quantifiable);
  }

  /** The compile pass's checks and name resolution: references, lookbehind lengths, size. */
  private resolve(parsed: ParsedPattern): void {
    const groupsNamed = (name: string) => this.names.filter((n) => n.name === name).map((n) => n.number);
    for (const { group } of this.numberRefs) if (group > this.bracount) this.fail(15);
    for (const { group } of this.condNumberRefs) if (group > this.bracount) this.fail(15);
    for (const { name, node } of this.nameRefs) {
      const numbers = groupsNamed(name);
      if (numbers.length === 0) this.fail(15);
      if (node.t === 'backref') node.groups = numbers;
      else node.group = numbers[0]!;
    }
    for (const { name, kind, node } of this.condNameRefs) {
      const numbers = groupsNamed(kind === 'rname' ? name : name);
      if (kind === 'rname') {
        if (numbers.length === 0) this.fail(15);
        node.test = { t: 'recursion', group: numbers[0]! };
      } else if (numbers.length > 0) node.test = { t: 'group', groups: numbers };
      else if (kind === 'rnumber') {
        const n = name.length > 1 ? Number(name.slice(1)) : 0;
        if (n > MAX_GROUP_NUMBER) this.fail(61);
        if (n > this.bracount) this.fail(15);
        node.test = { t: 'recursion', group: n };
      } else this.fail(15);
    }
    for (let g = 1; g <= this.bracount; g++) if (!parsed.groups[g]) this.fail(53);
    checkTree(parsed, this.dupCapUsed);
  }
}

// \R and \X: CR LF, or a CR not followed by LF, or one byte of `single` (a group of alternatives
// of different lengths, as PCRE2 sees them in a lookbehind).
function lineBreakGroup(single: ByteSet): PcreNode {
  return {
    t: 'group',
    cap: 0,
    body: {
      t: 'alt',
      alts: [
        {
          t: 'seq',
          items: [
            { t: 'set', set: CR_SET },
            { t: 'set', set: NL_SET },
          ],
        },
        {
          t: 'seq',
          items: [
            { t: 'set', set: CR_SET },
            { t: 'notNext', set: NL_SET },
          ],
        },
        { t: 'set', set: single },
      ],
    },
  };
}

function branchesNode(f: Frame): PcreNode {
  const branches = [...f.branches, f.cur];
  const seq = (items: PcreNode[]): PcreNode =>
    items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items };
  return branches.length === 1 ? seq(branches[0]!) : { t: 'alt', alts: branches.map(seq) };
}
