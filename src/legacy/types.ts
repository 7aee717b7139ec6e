// Values the legacy compatibility renderers accept: what a PHP array built from mysqli rows holds.

/**
 * A PHP float that a JS number would pass for an int: integral, from 1e14 up to 2^53
 * (php-float.ts `phpFloat` makes one). strval() writes it `%.14G` (`1.0E+14`), not as digits;
 * json_encode writes the digits an int would have (`toJSON`, for JSON.stringify).
 */
export class PhpFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/**
 * A PHP scalar. Numbers follow one rule: a JS number that is an integer is rendered as a PHP
 * `int` (digits), any other number as a PHP `float`. A float that would pass for an int where PHP
 * writes it otherwise is a PhpFloat; the one other exception is `-0`, which only float arithmetic
 * produces and is therefore rendered as the float `-0.0` (`-0`). A bigint is a PHP int past 2^53
 * (a BIGINT column, a SUM; php-int.ts), rendered as its digits.
 */
export type LegacyScalar = string | number | bigint | boolean | null | PhpFloat;

/** A PHP value: a scalar, a list (`array` with keys 0..n-1) or an associative array. */
export type LegacyValue = LegacyScalar | LegacyValue[] | LegacyObject;

/**
 * A PHP associative array. JS objects keep insertion order for non-integer-like keys, which is all
 * this API uses (integer-like keys such as "11" would be moved first by JS, not by PHP).
 */
export type LegacyObject = { [key: string]: LegacyValue };

/**
 * One associative array given in consecutive parts, for a renderer that writes rows as they come:
 * the `shared` objects (reused by many rows: a renderer may encode each once and remember it by
 * identity) then `own`, with disjoint keys. It renders exactly as the merged array
 * `{ ...shared[0], ..., ...own }` would. `Row` is that merged type (for the route's typing only).
 */
export interface LegacyRowParts<Row extends LegacyObject = LegacyObject> {
  readonly shared: readonly LegacyObject[];
  readonly own: LegacyObject;
  /** Phantom: the merged row's type. */
  readonly _row?: Row;
}

/**
 * How a format writes one row from its parts' members (see LegacyRowParts): `open`, the members
 * joined by `separator`, `close`; `empty` when no part has a member.
 */
export interface LegacyPartRules {
  readonly open: string;
  readonly separator: string;
  readonly close: string;
  readonly empty: string;
}

/** Whether a value is a PHP array (a list or an associative array), not a scalar. */
export function isPhpArray(value: LegacyValue): value is LegacyValue[] | LegacyObject {
  return value !== null && typeof value === 'object' && !(value instanceof PhpFloat);
}
