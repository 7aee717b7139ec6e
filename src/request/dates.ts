import { ApiError } from '../shared/errors/api-error';

/** The legacy server ran with date.timezone = America/New_York: "today" is New York's date. */
export const LEGACY_TIME_ZONE = 'America/New_York';

const newYorkDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: LEGACY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD of an instant in New York (en-CA formats dates as ISO). */
export function newYorkToday(now: Date): string {
  return newYorkDate.format(now);
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

/**
 * YYYY-MM-DD of a proleptic Gregorian date whose month and day may overflow either way. Not
 * Date.UTC, which reads years 0–99 as 1900–1999 (`to=0050-03-01` would default `from` to 1950).
 */
function iso(y: number, monthIndex: number, day: number): string {
  const date = new Date(0);
  date.setUTCFullYear(y, monthIndex, day);
  return date.toISOString().slice(0, 10);
}

/** PHP strtotime('-N days', $date): calendar days back (DST cannot move a date-only value). */
export function minusDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return iso(y, m - 1, d - days);
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const time = (date: string) => {
    const [y, m, d] = parts(date);
    return new Date(0).setUTCFullYear(y, m - 1, d);
  };
  return Math.round((time(to) - time(from)) / 86_400_000);
}

/**
 * PHP strtotime('-N months', $date): the month moves and the day is kept; an impossible day
 * overflows forward (2026-06-30 → 2026-02-30 → 2026-03-02), as setUTCFullYear does.
 */
export function minusMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  return iso(y, m - 1 - months, d);
}

export type DefaultWindow = 'last30days' | 'last4months';

/**
 * Applies the defaults of CONTRACT §1.4 to validated `from`/`to` values: `to` = today (New York);
 * `from` = `to` minus the window. Then `from > to` → 400.
 */
export function dateRange(
  query: { from?: string | undefined; to?: string | undefined },
  window: DefaultWindow,
  now: Date,
): { from: string; to: string } {
  const to = query.to ?? newYorkToday(now);
  const from = query.from ?? (window === 'last30days' ? minusDays(to, 30) : minusMonths(to, 4));
  if (from > to) {
    throw new ApiError(400, `Parameter "from" (${from}) must not be after "to" (${to}).`);
  }
  return { from, to };
}
