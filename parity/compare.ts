import { firstDifference } from './byte-compare.ts';
import { type CaptureCase, endpointOf, formatOf, versionOf } from './manifest.ts';

export interface Observed {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Uint8Array;
  /** The Worker's X-Request-Id (its log lines' id), when it sent one. */
  requestId?: string | null;
}

export interface Verdict {
  ok: boolean;
  /** Why it failed, with the first differing byte and 60 bytes of context from both sides. */
  reason?: string;
}

function context(bytes: Uint8Array, at: number): string {
  const slice = bytes.slice(Math.max(0, at - 30), at + 30);
  return JSON.stringify(new TextDecoder('utf-8').decode(slice));
}

/** Status always; Retry-After on 429; for successes the Content-Type and the body bytes too. */
export function compareCase(
  c: CaptureCase,
  expectedBody: Uint8Array | undefined,
  observed: Observed,
): Verdict {
  if (observed.status !== c.status)
    return { ok: false, reason: `status ${observed.status}, legacy ${c.status}` };
  if (c.retry_after !== undefined && Number(observed.retryAfter) !== c.retry_after) {
    return { ok: false, reason: `Retry-After ${observed.retryAfter}, legacy ${c.retry_after}` };
  }
  // Errors are compared on their status only (CONTRACT §4), even where a capture kept their body.
  if (c.body === null || expectedBody === undefined || c.status >= 400) return { ok: true };
  if (observed.contentType !== c.content_type) {
    return { ok: false, reason: `Content-Type ${observed.contentType}, legacy ${c.content_type}` };
  }
  const at = firstDifference(observed.body, expectedBody);
  if (at === -1) return { ok: true };
  return {
    ok: false,
    reason: `first differing byte ${at} (worker ${observed.body.length} bytes, legacy ${expectedBody.length})\n      worker: ${context(observed.body, at)}\n      legacy: ${context(expectedBody, at)}`,
  };
}

/** Pass counts by endpoint × format × version, as a fixed-width table. */
export function summaryTable(results: Array<{ case: CaptureCase; verdict: Verdict }>): string {
  const rows = new Map<string, { pass: number; fail: number }>();
  for (const { case: c, verdict } of results) {
    const key = `${endpointOf(c.path)}\t${formatOf(c)}\t${versionOf(c.path)}`;
    const row = rows.get(key) ?? { pass: 0, fail: 0 };
    if (verdict.ok) row.pass++;
    else row.fail++;
    rows.set(key, row);
  }
  const lines = [['endpoint', 'format', 'version', 'passed', 'failed']];
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push([...key.split('\t'), String(row.pass), String(row.fail)]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
