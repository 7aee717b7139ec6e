// One payload → New Relic's Log API: gzip, the license key header, retries with exponential backoff
// inside the tail invocation. Never throws: the caller counts what could not be delivered.
import type { ShipSettings } from './env';

export interface Delivery {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, or null when the last attempt got no answer. */
  status: number | null;
  /** The last attempt's error name (network failure, timeout), never its message. */
  error: string | null;
}

/** A Retry-After longer than this is not waited for inside a tail invocation. */
export const MAX_RETRY_AFTER_MS = 10_000;

// 408/429/5xx and no answer may pass; 400 (payload), 403 (license key), 413 (size) will not.
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The wait before attempt `attempt + 1`: base × 2^(attempt-1), jittered into its upper half. */
export function backoffDelay(attempt: number, baseMs: number, retryAfterMs: number | null): number {
  const exponential = baseMs * 2 ** (attempt - 1);
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

function retryAfterOf(response: Response): number | null {
  const raw = response.headers.get('Retry-After');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function deliver(body: string, settings: ShipSettings): Promise<Delivery> {
  // Compressed once: every attempt sends the same bytes.
  const payload = await gzip(body);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    let retryAfter: number | null = null;
    try {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
          'X-License-Key': settings.licenseKey,
        },
        body: payload,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true, attempts: attempt, status: response.status, error: null };
      status = response.status;
      error = null;
      if (!retryable(status)) return { ok: false, attempts: attempt, status, error };
      retryAfter = retryAfterOf(response);
    } catch (thrown) {
      status = null;
      error = thrown instanceof Error ? thrown.name : typeof thrown;
    }
    if (attempt < settings.maxAttempts) await sleep(backoffDelay(attempt, settings.backoffMs, retryAfter));
  }
  return { ok: false, attempts: settings.maxAttempts, status, error };
}
