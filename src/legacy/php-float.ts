// How PHP 8.2 writes numbers as text: `zend_gcvt` (main/snprintf.c `php_gcvt`) fed by `zend_dtoa`.
// Two callers matter here: json_encode (serialize_precision = -1, dtoa mode 0: the shortest
// round-trip digits, exponent char `e`) and string conversion (precision = 14, dtoa mode 2: 14
// significant digits, exponent char `E`). Both share one layout, reproduced by `gcvtLayout`.
import { PhpFloat } from './types';

/**
 * Whether a JS number stands for a PHP int (see types.ts): integral, not -0, and exact. A PHP int
 * past 2^53 travels as a bigint (php-int.ts), so an integral number beyond is a float (a rate of
 * huge counts: `9.2233720368548E+15`, not digits).
 */
export function isPhpInt(value: number): boolean {
  return Number.isSafeInteger(value) && !Object.is(value, -0);
}

/**
 * A number that json_encode and strval both write as exactly its JavaScript decimal digits
 * (`${value}`): an integer of 32 bits, -0 excepted (a float). What a byte writer may write as
 * digits without asking for its text.
 */
export function isPhpInt32(value: unknown): value is number {
  return typeof value === 'number' && (value | 0) === value && !Object.is(value, -0);
}

/**
 * A PHP float as the renderers are handed it: a number, or a PhpFloat where a number would pass
 * for an int (isPhpInt) and strval() writes it otherwise: integral and at least 1e14 (`%.14G`
 * switches to an exponent there). JSON writes both as the same digits.
 */
export function phpFloat(value: number): number | PhpFloat {
  return Math.abs(value) >= 1e14 && isPhpInt(value) ? new PhpFloat(value) : value;
}

// A PHP int is written as plain decimal digits, never with an exponent (JS switches at 1e21).
export function phpIntToString(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}

// json_encode of a float with serialize_precision = -1: shortest round-trip digits, `1.0e-5` style.
export function phpFloatToJson(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('json_encode: Inf and NaN cannot be JSON encoded');
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const abs = Math.abs(value);
  // Where both write plain notation (1e-4 ≤ |v| < 1e17), JS's shortest digits are PHP's.
  if (abs >= 1e-4 && abs < 1e17) return String(value);
  const [mantissa, exponent] = splitExponential(abs.toExponential());
  return gcvtLayout(value < 0, mantissa, exponent + 1, 17, 'e');
}

// (string)$float with precision = 14 (`%.14G`): 14 significant digits, `1.0E+15` style.
export function phpFloatToString(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NAN' : value > 0 ? 'INF' : '-INF';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e14) {
    // Shortest digits that fit in 14 are what %.14G gives: the value is far closer to them than
    // half a 14-digit step. Plain notation on both sides in this range.
    const shortest = String(value);
    // (No more than 14 characters hold no more than 14 digits: the common case, without a regex.)
    if (shortest.length <= 14 || shortest.replace(/^-?0?\.?0*/, '').replace('.', '').length <= 14)
      return shortest;
  }
  let [mantissa, exponent] = splitExponential(abs.toExponential(13));
  if (isExactTieAt14Digits(abs)) {
    // JS rounds an exact tie away from zero, zend_dtoa (no ROUND_BIASED) to even.
    const [exact, exactExponent] = splitExponential(abs.toExponential(14));
    const kept = exact.slice(0, 14);
    if (Number(kept.charAt(13)) % 2 === 0) {
      [mantissa, exponent] = [kept, exactExponent];
      // An integral value below 1e15 is settled by zend_dtoa's "small integer" path, which keeps
      // the zeros the cut leaves (`4.9668880018650E+14`); its other paths drop them.
      if (Number.isInteger(abs) && abs < 1e15) return gcvtLayout(value < 0, kept, exponent + 1, 14, 'E');
    }
  }
  return gcvtLayout(value < 0, mantissa.replace(/0+$/, '') || '0', exponent + 1, 14, 'E');
}

/** `d.ddde±x` → (`dddd`, x). */
function splitExponential(text: string): [string, number] {
  const e = text.indexOf('e');
  return [text.slice(0, e).replace('.', ''), Number(text.slice(e + 1))];
}

/**
 * Whether |value| lies exactly halfway between two 14-digit decimals, i.e. its exact decimal
 * expansion has exactly 15 significant digits (the last one then being 5). Cheap pre-check first:
 * only values whose 15th correctly rounded digit is 5 can be ties.
 */
function isExactTieAt14Digits(abs: number): boolean {
  const [fifteen] = splitExponential(abs.toExponential(14));
  if (fifteen.charAt(14) !== '5') return false;
  if (Number.isInteger(abs)) return BigInt(abs).toString().replace(/0+$/, '').length === 15;
  let scaled = abs;
  let bits = 0;
  while (!Number.isInteger(scaled)) {
    scaled *= 2; // exact: only the exponent changes
    bits++;
  }
  // abs = scaled / 2^bits = scaled * 5^bits / 10^bits exactly; its significant digits:
  return (BigInt(scaled) * 5n ** BigInt(bits)).toString().length === 15;
}

/**
 * The text layout of php_gcvt: `digits` (no trailing zeros) and the decimal point position
 * `decpt` as zend_dtoa returns them. Exponential form when decpt < -3 or decpt > ndigit, with at
 * least one fractional digit (`1.0e+25`) and an unpadded exponent; otherwise plain notation.
 */
function gcvtLayout(
  negative: boolean,
  digits: string,
  decpt: number,
  ndigit: number,
  expChar: string,
): string {
  const sign = negative ? '-' : '';
  if (decpt < 0 ? decpt < -3 : decpt > ndigit) {
    const exponent = decpt - 1;
    const fraction = digits.length > 1 ? digits.slice(1) : '0';
    return `${sign}${digits.charAt(0)}.${fraction}${expChar}${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  }
  if (decpt < 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${decpt === 0 ? '0' : digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
