// PHP 8.2 `round($value, $places)` (ext/standard/math.c `_php_math_round`, PHP_ROUND_HALF_UP).
// PHP 8.4 replaced this algorithm; the legacy API ran 8.2, whose "pre-rounding" to 15 significant
// digits makes round(1.005, 2) = 1.01 where a naive Math.round(x * 100) / 100 gives 1.

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

// php_intpow10: exact table up to 1e22, pow() beyond (correctly rounded, as glibc's pow is here).
function intpow10(power: number): number {
  return power >= 0 && power <= 22 ? POWERS_OF_TEN[power]! : Number(`1e${power}`);
}

// php_intlog10abs: (int)floor(log10(fabs(value))).
function intlog10abs(value: number): number {
  return Math.floor(Math.log10(Math.abs(value)));
}

// php_round_helper, PHP_ROUND_HALF_UP: floor(v + 0.5) / ceil(v - 0.5), i.e. half away from zero.
function roundHelper(value: number): number {
  return value >= 0 ? Math.floor(value + 0.5) : Math.ceil(value - 0.5);
}

// PHP 8.2 round(): half away from zero after pre-rounding to the 15 significant digits a double
// guarantees, so decimal literals like 1.005 or 2.675 round up as written (1.01, 2.68).
export function phpRound(value: number, places: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const precisionPlaces = 14 - intlog10abs(value);
  const f1 = intpow10(Math.abs(places));
  let tmp: number;
  if (precisionPlaces > places && precisionPlaces - 15 < places) {
    // Pre-round to the precision FP guarantees, then move the point to `places`.
    const f2 = intpow10(Math.abs(precisionPlaces));
    tmp = roundHelper(precisionPlaces >= 0 ? value * f2 : value / f2);
    tmp = tmp / intpow10(Math.abs(places - precisionPlaces));
  } else {
    tmp = places >= 0 ? value * f1 : value / f1;
    // Beyond the precision of a double: rounding is pointless.
    if (Math.abs(tmp) >= 1e15) return value;
  }
  tmp = roundHelper(tmp);
  if (Math.abs(places) < 23) return places > 0 ? tmp / f1 : tmp * f1;
  // snprintf("%15fe%d") then strtod: the integral tmp is printed with six decimals.
  const reparsed = Number(`${tmp.toFixed(6)}e${-places}`);
  return Number.isFinite(reparsed) ? reparsed : value;
}
