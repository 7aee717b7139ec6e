// The benchmark's dataset, shared by bench/load-data.mjs (writes it) and bench/run.mjs (reads it).
// Everything is derived from ids and day numbers with arithmetic: the same rows on every machine.

/** Bump when the generated rows change: `npm run bench:data` then reloads once. */
export const DATASET_VERSION = 'bench-dataset-v1';

export const INSTANCE = 'bench'; // scripts/local-db.mjs instance: its own mariadbd on port 33308

export const ACCOUNT_ID = 1;
export const ADVERTISERS = 40;
export const CAMPAIGNS = 400; // 10 per advertiser
export const PLACEMENTS = 4000; // 10 per campaign (2 sites per campaign)
export const DAYS = 400; // kpi_daily has one row per placement and day: 1.6 M rows

/** Days of clickthrough rows campaign 1 gets before END_DATE (ensureClickthroughs in bench/load-data.mjs). */
export const CLICK_DAYS = 120;

/** The last day of data (New York date) and the pinned request clock on that day (10:30 New York). */
export const END_DATE = '2026-11-22';
export const TEST_CLOCK = '2026-11-22T15:30:00.000Z';

/** The one key pair of the account: a high allowance so the rate limiter never answers 429. */
export const KEY = { int_key: 'int-bench', api_key: 'api-bench-0001', rph: 100_000_000 };
export const KEY_HEADERS = { 'X-Integration-Key': KEY.int_key, 'X-Api-Key': KEY.api_key };

/** YYYY-MM-DD `days` calendar days before `date`. */
export function minusDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/** The window of `days` calendar days ending on END_DATE (both ends included): days × 4,000 kpi rows. */
export function windowOf(days) {
  return { from: minusDays(END_DATE, days - 1), to: END_DATE };
}

/** The /dataconnector path (v1, or v2 with `version` 2; JSON) for the window of `days`. */
export const connectorPath = (version, days) => {
  const { from, to } = windowOf(days);
  return `${version === 2 ? '/v2.0' : ''}/dataconnector?from=${from}&to=${to}`;
};

export const FIRST_DATE = minusDays(END_DATE, DAYS - 1);
