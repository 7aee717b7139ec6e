// The two origins under comparison, each case sent to both exactly alike (HTTP/1.0, same bytes,
// both clock headers: each origin reads its own), and what counts as a difference.
import { firstDifference } from '../byte-compare.ts';
import type { Observed } from '../compare.ts';
import { send10 } from '../http10.ts';
import { ORACLE_RESET } from '../manifest.ts';
import type { DiffCase } from './requests.ts';

export interface Origins {
  legacy: string;
  worker: string;
}

export interface Pair {
  legacy: Observed;
  worker: Observed;
}

export function requestOfCase(c: DiffCase) {
  return {
    method: c.method,
    target: c.target,
    headers: [...c.headers, ['x-test-clock', c.clock], ['X-Oracle-Now', c.clock]] as Array<[string, string]>,
  };
}

/** Empties the allowances a case starts from: every key on the oracle, the case's key on the Worker. */
async function resetAllowances(origins: Origins, c: DiffCase): Promise<void> {
  if (!c.resetKey) return;
  const [legacy, worker] = await Promise.all([
    send10(origins.legacy, ORACLE_RESET),
    send10(origins.worker, {
      method: 'GET',
      target: '/credentialscheck',
      headers: [
        ['X-Integration-Key', c.resetKey.int_key],
        ['X-Api-Key', c.resetKey.api_key],
        ['x-test-clock', c.clock],
        ['x-test-reset-allowance', '1'],
      ],
    }),
  ]);
  if (legacy.status !== 200 || worker.status !== 204) {
    throw new Error(`allowance reset answered ${legacy.status} (legacy) / ${worker.status} (worker)`);
  }
}

export async function sendBoth(origins: Origins, c: DiffCase): Promise<Pair> {
  await resetAllowances(origins, c);
  const request = requestOfCase(c);
  const [legacy, worker] = await Promise.all([
    send10(origins.legacy, request),
    send10(origins.worker, request),
  ]);
  return { legacy, worker };
}

export interface Difference {
  /** What differs: status, retry-after, content-type or body. */
  kind: 'status' | 'retry-after' | 'content-type' | 'body';
  detail: string;
  /** For bodies: the first differing byte offset. */
  offset?: number;
}

function around(bytes: Uint8Array, at: number): string {
  return JSON.stringify(Buffer.from(bytes.slice(Math.max(0, at - 40), at + 40)).toString('utf8'));
}

/**
 * Status always; Retry-After always (only 429 carries it); Content-Type and body bytes of a 200.
 * Errors are compared on status and Retry-After only (CONTRACT.md §4: the problem+json bodies are
 * new), and so is OPTIONS' 204, which has no body (php -S adds its default text/html type).
 */
export function differenceOf({ legacy, worker }: Pair): Difference | null {
  if (legacy.status !== worker.status) {
    return { kind: 'status', detail: `status: legacy ${legacy.status}, worker ${worker.status}` };
  }
  if ((legacy.retryAfter ?? '') !== (worker.retryAfter ?? '')) {
    return {
      kind: 'retry-after',
      detail: `Retry-After: legacy ${legacy.retryAfter}, worker ${worker.retryAfter}`,
    };
  }
  if (legacy.status !== 200) return null;
  if (legacy.contentType !== worker.contentType) {
    return {
      kind: 'content-type',
      detail: `Content-Type: legacy ${legacy.contentType}, worker ${worker.contentType}`,
    };
  }
  const at = firstDifference(legacy.body, worker.body);
  if (at === -1) return null;
  return {
    kind: 'body',
    offset: at,
    detail:
      `body differs at byte ${at} (legacy ${legacy.body.length} bytes, worker ${worker.body.length})\n` +
      `      legacy: ${around(legacy.body, at)}\n      worker: ${around(worker.body, at)}`,
  };
}

/** Two differences are "the same" for shrinking when they differ in the same way. */
export function sameDifference(a: Difference, pa: Pair, b: Difference | null, pb: Pair): boolean {
  return (
    b !== null &&
    a.kind === b.kind &&
    pa.legacy.status === pb.legacy.status &&
    pa.worker.status === pb.worker.status
  );
}

/** The request-target with key values masked: keys never reach a report. */
export function maskedTarget(target: string): string {
  return target.replace(/((?:^|[?&])(?:api_key|integration_key)=)[^&]*/gi, '$1***');
}
