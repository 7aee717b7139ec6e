// The reconciler's verdict on one request: the two answers compared on bytes, as the legacy
// clients saw them. Pure, so that what counts as a difference is unit-tested
// (test/tooling/reconcile.test.ts); the field diagnosis (diagnose.ts) never decides it.
import type { Observed } from './compare.ts';

/** `request`: no answer at all (connection refused, timeout). */
export type Part = 'request' | 'status' | 'retry-after' | 'content-type' | 'body';

export interface ByteDifference {
  part: Part;
  /** The first differing body byte (part `body` only). */
  offset?: number;
  /** Both sides, primary first: the values, or for a body the offset and context of each. */
  detail: string;
}

export type Outcome =
  | { kind: 'identical' }
  /** `noise`: every part that differs also differs between primary and secondary (same code). */
  | { kind: 'different' | 'noise'; differences: ByteDifference[] };

export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** CSV bodies are UTF-16LE (CONTRACT.md §3.4) although the Content-Type says utf-8. */
export function isUtf16Body(contentType: string | null): boolean {
  return contentType?.startsWith('application/csv') ?? false;
}

/** Each secret (case-insensitive) overwritten by as many `*`: positions in the text stay put. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    const pattern = new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(pattern, (m) => '*'.repeat(m.length));
  }
  return out;
}

/**
 * 30 characters either side of a byte offset, decoded as the body is encoded. The secrets are
 * redacted in a wider window first, so that the cut never leaves part of one showing.
 */
export function contextAt(bytes: Uint8Array, at: number, utf16: boolean, secrets: string[] = []): string {
  const decode = (from: number, to: number) =>
    new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(bytes.subarray(from, to));
  const margin = 60 + 4 * Math.max(0, ...secrets.map((s) => s.length));
  // An even start keeps UTF-16 code units aligned.
  const start = Math.max(0, at - margin) & (utf16 ? ~1 : ~0);
  const wide = redact(decode(start, at + margin), secrets);
  const here = decode(start, at).length;
  return JSON.stringify(wide.slice(Math.max(0, here - 30), here + 30));
}

/**
 * Status and Retry-After always; for 200s also Content-Type and every body byte. Error bodies
 * (and their Content-Type) are new behaviour that may differ (CONTRACT.md §4). Empty: identical.
 * `secrets` (the request's keys) never appear in the context shown.
 */
export function byteDifferences(
  primary: Observed,
  candidate: Observed,
  secrets: string[] = [],
): ByteDifference[] {
  const out: ByteDifference[] = [];
  if (primary.status !== candidate.status)
    out.push({ part: 'status', detail: `status ${primary.status} / ${candidate.status}` });
  if (primary.retryAfter !== candidate.retryAfter)
    out.push({ part: 'retry-after', detail: `Retry-After ${primary.retryAfter} / ${candidate.retryAfter}` });
  if (primary.status !== 200 || candidate.status !== 200) return out;
  if (primary.contentType !== candidate.contentType)
    out.push({
      part: 'content-type',
      detail: `Content-Type ${primary.contentType} / ${candidate.contentType}`,
    });
  const at = firstDifference(primary.body, candidate.body);
  if (at !== -1) {
    const utf16 = isUtf16Body(primary.contentType);
    out.push({
      part: 'body',
      offset: at,
      detail:
        `first differing byte ${at} (primary ${primary.body.length} bytes, candidate ${candidate.body.length})\n` +
        `  primary:   ${contextAt(primary.body, at, utf16, secrets)}\n` +
        `  candidate: ${contextAt(candidate.body, at, utf16, secrets)}`,
    });
  }
  return out;
}

/**
 * With a secondary (the primary's code, asked again), a part that also differs between primary
 * and secondary cannot tell the candidate apart: it is noise, as Diffy has it, at the byte level.
 */
export function judgeCase(
  primary: Observed,
  candidate: Observed,
  secondary?: Observed,
  secrets: string[] = [],
): Outcome {
  const differences = byteDifferences(primary, candidate, secrets);
  if (differences.length === 0) return { kind: 'identical' };
  if (!secondary) return { kind: 'different', differences };
  const unstable = new Set(byteDifferences(primary, secondary).map((d) => d.part));
  return { kind: differences.every((d) => unstable.has(d.part)) ? 'noise' : 'different', differences };
}
