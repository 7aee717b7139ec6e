import { describe, expect, it } from 'vitest';
import { phpStrval } from './php-string';
import { type LegacyScalar, PhpFloat } from './types';

// [scalar, PHP 8.2 strval()] (floats: see php-float.test.ts)
const STRVAL: [LegacyScalar, string][] = [
  ['as is', 'as is'],
  ['', ''],
  [0, '0'],
  [-7, '-7'],
  [5_000_000_000, '5000000000'],
  [1e15, '1000000000000000'], // an integral JS number is a PHP int
  [new PhpFloat(1e15), '1.0E+15'], // a float that would pass for one (php-float.ts phpFloat)
  [new PhpFloat(123456789012345), '1.2345678901234E+14'],
  [12.5, '12.5'],
  [0.1 + 0.2, '0.3'],
  [1 / 3, '0.33333333333333'],
  [0.00001, '1.0E-5'],
  [-0, '-0'],
  [true, '1'],
  [false, ''],
  [null, ''],
];

describe('PHP strval()', () => {
  it.each(STRVAL)('%j → %j', (value, text) => {
    expect(phpStrval(value)).toBe(text);
  });
});
