// PHP 8.2 string conversion of a scalar, as `strval()`, `(string)` and string parameters do it.
import { isPhpInt, phpFloatToString, phpIntToString } from './php-float';
import type { LegacyScalar } from './types';

// strval() as the legacy XML and CSV writers applied it: ints as digits, floats `%.14G`
// (precision = 14: 12.0 → `12`, 0.1 + 0.2 → `0.3`, 1e15 → `1.0E+15`), true → `1`, false/null → ``.
export function phpStrval(value: LegacyScalar): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return isPhpInt(value) ? phpIntToString(value) : phpFloatToString(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '';
    case 'object':
      return value === null ? '' : phpFloatToString(value.value);
    default:
      return '';
  }
}
