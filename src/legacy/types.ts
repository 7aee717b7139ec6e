// Values the legacy compatibility renderers accept: what a PHP array built from mysqli rows holds.

/**
 * A PHP scalar. Numbers follow one rule: a JS number that is an integer is rendered as a PHP
 * `int` (digits), any other number as a PHP `float`. That is exact for this API, whose only floats
 * are rounded rates and durations (never large integral floats); the one exception is `-0`, which
 * only float arithmetic produces and is therefore rendered as the float `-0.0` (`-0`).
 */
export type LegacyScalar = string | number | boolean | null;

/** A PHP value: a scalar, a list (`array` with keys 0..n-1) or an associative array. */
export type LegacyValue = LegacyScalar | LegacyValue[] | LegacyObject;

/**
 * A PHP associative array. JS objects keep insertion order for non-integer-like keys, which is all
 * this API uses (integer-like keys such as "11" would be moved first by JS, not by PHP).
 */
export type LegacyObject = { [key: string]: LegacyValue };
