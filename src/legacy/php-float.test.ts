import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { isPhpInt, phpFloat, phpFloatToJson, phpFloatToString } from './php-float';
import { encodeJson } from './php-json';
import { phpStrval } from './php-string';
import { PhpFloat } from './types';
import { toXml } from './xml';

// [float, json_encode (serialize_precision -1), strval (precision 14)], as PHP 8.2 writes them.
const FLOATS: [number, string, string][] = [
  [0.1 + 0.2, '0.30000000000000004', '0.3'],
  [1 / 3, '0.3333333333333333', '0.33333333333333'],
  [2 / 3, '0.6666666666666666', '0.66666666666667'],
  [0.1 + 0.7, '0.7999999999999999', '0.8'],
  [1.01, '1.01', '1.01'],
  [61.73, '61.73', '61.73'],
  [-1.5, '-1.5', '-1.5'],
  [12.0, '12', '12'], // integral float loses its fraction (no JSON_PRESERVE_ZERO_FRACTION)
  [100.0, '100', '100'],
  [0.0, '0', '0'],
  [-0.0, '-0', '-0'],
  [0.0001, '0.0001', '0.0001'], // decpt -3: still plain
  [0.00001, '1.0e-5', '1.0E-5'], // decpt -4: exponent, one fractional digit at least
  [0.0000123, '1.23e-5', '1.23E-5'],
  [1.5e-7, '1.5e-7', '1.5E-7'],
  [1e-10, '1.0e-10', '1.0E-10'],
  [1e14, '100000000000000', '1.0E+14'], // precision 14: more than 14 integer digits → exponent
  [1e15, '1000000000000000', '1.0E+15'],
  [1e16, '10000000000000000', '1.0E+16'],
  [1e17, '1.0e+17', '1.0E+17'], // serialize_precision -1: more than 17 integer digits → exponent
  [1e25, '1.0e+25', '1.0E+25'],
  [2 ** 63, '9.223372036854776e+18', '9.2233720368548E+18'], // shortest digits, not %.17G
  [99999999999999.98, '99999999999999.98', '1.0E+14'], // carry into a new digit
  [Number('123456789012345.67'), '123456789012345.67', '1.2345678901235E+14'],
  [123456789012345, '123456789012345', '1.2345678901234E+14'], // exact tie: dtoa rounds half to even
  [123456789012355, '123456789012355', '1.2345678901236E+14'],
  [1234567890123450, '1234567890123450', '1.2345678901234E+15'], // tie once trailing zeros are ignored
  [12345678901234.5, '12345678901234.5', '12345678901234'], // non-integral exact tie, even
  [12345678901233.5, '12345678901233.5', '12345678901234'], // non-integral exact tie, odd
  // An integral exact tie below 1e15 kept by rounding to even keeps the zeros the cut leaves
  // (zend_dtoa's "small integer" path); other cuts, and integers from 1e15, drop them.
  [496688800186505, '496688800186505', '4.9668880018650E+14'],
  [100000000000005, '100000000000005', '1.0000000000000E+14'],
  [-345428267000005, '-345428267000005', '-3.4542826700000E+14'],
  [410000000000005, '410000000000005', '4.1000000000000E+14'],
  [884175777435302, '884175777435302', '8.841757774353E+14'],
  [1000000000000050, '1000000000000050', '1.0E+15'],
  [999999999999995, '999999999999995', '1.0E+15'],
];

describe('PHP float formatting', () => {
  it.each(FLOATS)('%s → json %s, strval %s', (value, json, text) => {
    expect(phpFloatToJson(value)).toBe(json);
    expect(phpFloatToString(value)).toBe(text);
  });

  it('writes non-finite floats as strval does and refuses them in JSON', () => {
    expect(phpFloatToString(Number.NaN)).toBe('NAN');
    expect(phpFloatToString(Number.POSITIVE_INFINITY)).toBe('INF');
    expect(phpFloatToString(Number.NEGATIVE_INFINITY)).toBe('-INF');
    expect(() => phpFloatToJson(Number.NaN)).toThrow(RangeError);
    expect(() => encodeJson(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('treats integral JS numbers as PHP ints (digits, never an exponent), -0 and huge values as floats', () => {
    expect(isPhpInt(5_000_000_000)).toBe(true);
    expect(encodeJson(5_000_000_000)).toBe('5000000000');
    expect(phpStrval(5_000_000_000)).toBe('5000000000');
    expect(encodeJson(1e15)).toBe('1000000000000000');
    expect(phpStrval(1e15)).toBe('1000000000000000');
    expect(encodeJson(-42)).toBe('-42');
    expect(isPhpInt(-0)).toBe(false);
    expect(encodeJson(-0)).toBe('-0');
    expect(isPhpInt(2 ** 63)).toBe(false);
    expect(encodeJson(1e20)).toBe('1.0e+20');
    expect(encodeJson(1.01)).toBe('1.01');
  });

  it('boxes a float that would pass for an int where strval writes it otherwise (1e14 up to 2^53)', () => {
    for (const value of [1e14, -1e14, 123456789012345, 2 ** 53 - 1])
      expect(phpFloat(value)).toBeInstanceOf(PhpFloat);
    for (const value of [99999999999999, 1e14 + 0.5, 2 ** 53, 1e20, 12, 0.5, -0])
      expect(phpFloat(value)).toBe(value);
    // What PHP 8.2 answers for round(100000000000000000 / 1000, 3): json 100000000000000, strval 1.0E+14.
    const seconds = phpFloat(1e14);
    expect(encodeJson(seconds)).toBe('100000000000000');
    expect(encodeJson({ n: seconds, m: [seconds] })).toBe('{"n":100000000000000,"m":[100000000000000]}');
    expect(phpStrval(seconds)).toBe('1.0E+14');
    expect(toXml({ data: [{ n: seconds }] })).toContain('<n>1.0E+14</n>');
    expect(new TextDecoder('utf-16le').decode(toCsv([{ n: seconds }]))).toBe('n\n1.0E+14\n');
  });
});
