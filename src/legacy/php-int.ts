// PHP 8.2's 64-bit int where the legacy met one: `(int)` of a mysqli string (a BIGINT UNSIGNED
// column, a SUM) and the `/` and `*` of the rates. A PHP int past 2^53 is not a JS number: it is
// kept as a bigint (see types.ts), and `(int)` of digits past PHP_INT_MAX saturates to it.
import { phpFloat } from './php-float';
import { phpRound } from './php-round';
import type { PhpFloat } from './types';

export type PhpInt = number | bigint;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** Fewer digits than this is always a safe JS integer (2^53 has 16). */
const SAFE_DIGITS = 16;

const toPhpInt = (value: bigint): PhpInt =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value;

/** `(int)` of what mysqli gave (digits or null): exact, saturated at PHP_INT_MAX / PHP_INT_MIN. */
export function phpIntval(value: string | number | bigint | null | undefined): PhpInt {
  if (value === null || value === undefined) return 0;
  if (typeof value !== 'string') return value;
  if (value.length < SAFE_DIGITS) return Number(value);
  const match = /^\s*([+-]?[0-9]+)/.exec(value);
  if (!match) return Number.parseInt(value, 10) || 0;
  const big = BigInt(match[1]!);
  return toPhpInt(big > INT64_MAX ? INT64_MAX : big < INT64_MIN ? INT64_MIN : big);
}

/** A PHP int or float as PHP's arithmetic sees it: bigint for an int, number for a float. */
type Operand = bigint | number;

/** `$a / $b`: an int when both are ints and the division is exact, else a float. */
function divide(a: Operand, b: Operand): Operand {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a % b === 0n ? a / b : Number(a) / Number(b);
  return Number(a) / Number(b);
}

/** `$a * $b`: an int unless it overflows (then the float product). */
function multiply(a: Operand, b: Operand): Operand {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    const product = a * b;
    return product <= INT64_MAX && product >= INT64_MIN ? product : Number(a) * Number(b);
  }
  return Number(a) * Number(b);
}

/**
 * `round($numerator / $denominator * $scale, $places)` with PHP ints, 0.0 for a zero denominator:
 * a PHP float (phpFloat: a PhpFloat where a number would pass for an int).
 * Safe JS integers give the same double either way (an exact PHP quotient is exact in double,
 * and PHP converts an int product to double once, as JS rounds it): BigInt only past 2^53.
 */
export function phpRatio(
  numerator: PhpInt,
  denominator: PhpInt,
  scale: number,
  places: number,
): number | PhpFloat {
  if (!(denominator > 0)) return 0;
  if (typeof numerator === 'number' && typeof denominator === 'number') {
    return phpFloat(phpRound((numerator / denominator) * scale, places));
  }
  const quotient = divide(BigInt(numerator), BigInt(denominator));
  return phpFloat(
    phpRound(Number(multiply(quotient, Number.isInteger(scale) ? BigInt(scale) : scale)), places),
  );
}

/** `round($a / $b / $c, $places)` with PHP ints (avg_engagement_time: ms / 1000 / engagements). */
export function phpRatio2(a: PhpInt, b: PhpInt, c: PhpInt, places: number): number | PhpFloat {
  if (typeof a === 'number' && typeof b === 'number' && typeof c === 'number') {
    return phpFloat(phpRound(a / b / c, places));
  }
  return phpFloat(phpRound(Number(divide(divide(BigInt(a), BigInt(b)), BigInt(c))), places));
}

/**
 * A PHP float from phpRatio or phpRatio2, typed as the contract's number: a PhpFloat where a number
 * would pass for an int, which the renderers write as PHP did.
 */
export const contractFloat = (value: number | PhpFloat): number => value as number;
