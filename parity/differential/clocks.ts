// Request clocks drawn from the edges of the legacy's date arithmetic (America/New_York): the New
// York date differing from the UTC date, month ends (the 31st minus 4 months), daylight-saving
// changes, leap days, year ends. Each clock is an instant; both origins are given the same one.
// One in eleven is in a year far from the data's: before the 2007 daylight-saving rules, around
// 2038 (32-bit time), 2100 (not a leap year) and 2400 (one), where zone data could disagree.
import { zonedInstant } from '../manifest.ts';
import type { Random } from './random.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The n-th Sunday of a month (n = 1, 2, ...), as a day of the month. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + (n - 1) * 7;
}

/** The last Sunday of a month, as a day of the month. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

// New York's daylight-saving changes as [month, day]: since 2007 the second Sunday of March and the
// first of November; before, the first Sunday of April and the last of October.
const springChange = (y: number): [number, number] =>
  y < 2007 ? [4, nthSunday(y, 4, 1)] : [3, nthSunday(y, 3, 2)];
const autumnChange = (y: number): [number, number] =>
  y < 2007 ? [10, lastSunday(y, 10)] : [11, nthSunday(y, 11, 1)];

function newYork(year: number, month: number, day: number, h: number, m: number, s: number): Date {
  // Normalise overflowing days (day 0, day 32) through Date.UTC first.
  const d = new Date(Date.UTC(year, month - 1, day));
  const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(h)}:${pad(m)}:${pad(s)}`;
  return zonedInstant(local, 'America/New_York');
}

export function drawClock(r: Random, year: number): Date {
  const y = r.weighted([
    [8, year],
    [1, year - 1],
    [1, year + 1],
    [1, r.pick([1999, 2000, 2004, 2006, 2007, 2019, 2020, 2036, 2037, 2038, 2039, 2099, 2100, 2400])],
  ]);
  const time = () => [r.int(0, 23), r.int(0, 59), r.int(0, 59)] as const;
  return r.weighted<() => Date>([
    // Any time of the year.
    [6, () => newYork(y, r.int(1, 12), r.int(1, 28), ...time())],
    // Evening in New York: already tomorrow in UTC.
    [4, () => newYork(y, r.int(1, 12), r.int(1, 31), r.int(19, 23), r.int(0, 59), r.int(0, 59))],
    // Just after midnight in New York.
    [2, () => newYork(y, r.int(1, 12), r.int(1, 31), 0, r.int(0, 59), r.int(0, 59))],
    // Month ends and the first of the month (31st minus 4 months overflows in strtotime).
    [5, () => newYork(y, r.pick([1, 3, 5, 7, 8, 10, 12]), 31, ...time())],
    [2, () => newYork(y, r.int(1, 12), r.pick([29, 30]), ...time())],
    [2, () => newYork(y, r.int(1, 12), 1, ...time())],
    // Leap days and their neighbours.
    [3, () => newYork(r.pick([2024, 2028, y]), r.pick([2, 3]), r.pick([28, 29, 1]), ...time())],
    // Daylight-saving changes (02:00 local), within three hours of the change either way, as instants.
    [
      4,
      () => {
        const spring = r.chance(0.5);
        const [month, day] = spring ? springChange(y) : autumnChange(y);
        const change = Date.UTC(y, month - 1, day, spring ? 7 : 6);
        return new Date(change + r.int(-3 * 3600, 3 * 3600) * 1000);
      },
    ],
    // Year end: New Year in New York and in UTC.
    [2, () => new Date(Date.UTC(y, 0, 1, 5) + r.int(-8 * 3600, 8 * 3600) * 1000)],
    // Just before and after a UTC hour (the rate limit's window).
    [2, () => new Date(Date.UTC(y, r.int(0, 11), r.int(1, 28), r.int(0, 23), 59, 58) + r.int(0, 4) * 1000)],
  ])();
}
