// What bench/wan.mjs measures and with what: the endpoints and how each is timed, the delays,
// the requests per cell, the time-out, the legacy's pool of workers, the auth cache's lifetime and
// the clickthrough rows the part adds. Read by its cells and its report as well.

/**
 * `stream`: false = the whole body is timed; 'read' = a small stream, read whole, timed to its
 * first body byte; 'abort' = a connector, timed to its first body byte and then dropped (reading
 * 30 days of rows per request would cost minutes). `legacy`: also timed on the PHP side. `c10`:
 * fewer requests at concurrency 10 (a connector's dropped streams keep the Worker busy).
 */
export const ENDPOINTS = [
  { path: '/credentialscheck', stream: false, legacy: true },
  { path: '/advertisers', stream: false, legacy: true },
  { path: '/advertisers/1', stream: false, legacy: true },
  { path: '/campaigns', stream: false, legacy: true },
  { path: '/campaigns?advertiser_id=1', stream: false, legacy: true },
  { path: '/campaigns/1', stream: false, legacy: true },
  { path: '/v1.0/analytics/1', stream: false, legacy: true },
  { path: '/v2.0/analytics/1', stream: false, legacy: true },
  { path: '/clickthroughs?advertiser_id=1&campaign_id=1', stream: 'read', legacy: true },
  { path: '/connector?advertiser_id=1', stream: 'abort', legacy: false, c10: 100 },
  { path: '/dataconnector', stream: 'abort', legacy: false, c10: 100 },
];
/** The one-way delays D in ms when --delays gives none. */
export const DEFAULT_DELAYS = [0, 10, 25];
/** Requests per cell at concurrency 1 and 10 (--requests replaces them for a run). */
export const REQUESTS = { 1: 40, 10: 200 };
export const WARMUP = { 1: 3, 10: 20 };
export const TIMEOUT_MS = 30_000;
export const LEGACY_WORKERS = 10;
/** Long enough that the isolate's copy of the auth answer never expires within a run. */
export const CACHED_TTL_MS = 600_000;
