// Cutover reconciler (seed 001 Phase 8): sends each request of a list to the primary (legacy)
// and the candidate (Worker) and compares the answers on bytes (byte-compare.ts): status and
// Retry-After always, Content-Type and body for 200s. Only cases that differ get a field
// diagnosis (diagnose.ts), grouped by endpoint and field. With a secondary (the primary's code),
// parts that also differ between primary and secondary are noise, as Diffy has it.
import { type ByteDifference, judgeCase, type Outcome, type Part, redact } from './byte-compare.ts';
import type { Observed } from './compare.ts';
import { diagnose, type FieldDifference, groupedPath } from './diagnose.ts';
import { send10 } from './http10.ts';
import {
  type CaptureCase,
  type CaptureManifest,
  type CaseRequest,
  endpointOf,
  formatOf,
  ORACLE_RESET,
  requestOf,
  resetRequestsOf,
} from './manifest.ts';

export interface Origins {
  primary: string;
  candidate: string;
  secondary?: string | undefined;
}

export interface CaseResult {
  case: CaptureCase;
  /** The request target with key values masked. */
  target: string;
  outcome: Outcome;
  /** For a case that differs: the parts that differ and, for a body, its fields. Keys masked. */
  diagnosis: FieldDifference[];
}

/** Examples printed per endpoint; the counts cover every case. */
const EXAMPLES = 3;

async function fetchCase(baseUrl: string, request: CaseRequest): Promise<Observed> {
  if (baseUrl.startsWith('http:')) return send10(baseUrl, request);
  const response = await fetch(new URL(request.target, baseUrl), {
    method: request.method,
    headers: request.headers,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/** The key values a request carries (headers or query), to be masked wherever they could show. */
export function keysOf(request: CaseRequest): string[] {
  const keys = request.headers
    .filter(([name]) => /^x-(api|integration)-key$/i.test(name))
    .map(([, value]) => value);
  const query = request.target.split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const [name, value = ''] = pair.split('=');
    if (name !== 'api_key' && name !== 'integration_key') continue;
    keys.push(value);
    try {
      keys.push(decodeURIComponent(value));
    } catch {
      // a malformed escape: the raw value is masked
    }
  }
  return keys.flatMap((k) => [k, k.trim()]).filter((k) => k !== '');
}

/** The target as printed: key parameters masked (as parity/run.ts prints them). */
export const maskedTarget = (target: string) =>
  target.replace(/((?:^|[?&])(?:api_key|integration_key)=)[^&]*/g, '$1***');

/** What one side answered for a part other than the body. */
function partValue(o: Observed, part: Part): string {
  if (part === 'status') return String(o.status);
  return (part === 'retry-after' ? o.retryAfter : o.contentType) ?? '(none)';
}

/** One case judged on bytes; the diagnosis only explains a difference found there. */
export function caseResult(
  c: CaptureCase,
  request: CaseRequest,
  primary: Observed,
  candidate: Observed,
  secondary?: Observed,
): CaseResult {
  const keys = keysOf(request);
  const outcome = judgeCase(primary, candidate, secondary, keys);
  let diagnosis: FieldDifference[] = [];
  if (outcome.kind === 'different') {
    diagnosis = outcome.differences
      .flatMap((d) =>
        d.part === 'body'
          ? diagnose(primary, candidate)
          : [{ path: d.part, primary: partValue(primary, d.part), candidate: partValue(candidate, d.part) }],
      )
      .map((f) => ({ ...f, primary: redact(f.primary, keys), candidate: redact(f.candidate, keys) }));
  }
  return { case: c, target: maskedTarget(request.target), outcome, diagnosis };
}

const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** The report: counts per endpoint and format, examples with their bytes, the field diagnosis. */
export function formatReport(results: CaseResult[], origins: Origins, notes: string[] = []): string[] {
  const lines = [
    `reconcile: ${results.length} requests; primary ${originLabel(origins.primary)}, candidate ${originLabel(origins.candidate)}` +
      (origins.secondary ? `, secondary ${originLabel(origins.secondary)}` : ''),
    '',
  ];
  const rows = new Map<string, Record<Outcome['kind'], number>>();
  for (const r of results) {
    const key = `${endpointOf(r.case.path)}\t${formatOf(r.case)}`;
    const row = rows.get(key) ?? { identical: 0, different: 0, noise: 0 };
    row[r.outcome.kind]++;
    rows.set(key, row);
  }
  const header = ['endpoint', 'format', 'byte-identical', 'different'];
  if (origins.secondary) header.push('noise');
  const body = [...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, row]) => {
      const cells = [...key.split('\t'), String(row.identical), String(row.different)];
      return origins.secondary ? [...cells, String(row.noise)] : cells;
    });
  lines.push(...table([header, ...body]));

  const different = results.filter((r) => r.outcome.kind === 'different');
  const byEndpoint = new Map<string, CaseResult[]>();
  for (const r of different) {
    const endpoint = endpointOf(r.case.path);
    const cases = byEndpoint.get(endpoint) ?? [];
    cases.push(r);
    byEndpoint.set(endpoint, cases);
  }
  for (const [endpoint, cases] of [...byEndpoint].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('', `✗ ${endpoint}: ${cases.length} case(s) differ on bytes`);
    for (const r of cases.slice(0, EXAMPLES)) {
      lines.push(`  ${r.case.id}: ${r.case.method} ${r.target}`);
      const differences: ByteDifference[] = r.outcome.kind === 'identical' ? [] : r.outcome.differences;
      for (const d of differences) lines.push(...d.detail.split('\n').map((l) => `    ${l}`));
    }
    if (cases.length > EXAMPLES) lines.push(`  ... and ${cases.length - EXAMPLES} more`);
    // The same field differing in many cases is one finding: grouped, one example each.
    const fields = new Map<string, { cases: Set<string>; example: string }>();
    for (const r of cases) {
      for (const f of r.diagnosis) {
        const key = `${formatOf(r.case)} ${groupedPath(f.path)}`;
        const entry = fields.get(key) ?? {
          cases: new Set<string>(),
          example: `${r.case.id} ${f.path}: ${clip(f.primary)} / ${clip(f.candidate)}`,
        };
        entry.cases.add(r.case.id);
        fields.set(key, entry);
      }
    }
    lines.push('  fields (primary / candidate):');
    for (const [key, { cases: ids, example }] of [...fields].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`    ${key}: ${ids.size} case(s), e.g. ${example}`);
  }

  const count = (kind: Outcome['kind']) => results.filter((r) => r.outcome.kind === kind).length;
  lines.push('', ...notes);
  lines.push(
    `reconcile: ${count('identical')} byte-identical, ${count('different')} different` +
      (origins.secondary ? `, ${count('noise')} noise (differ between primary and secondary too)` : '') +
      ` of ${results.length}`,
  );
  return lines;
}

/** An origin as printed: never a userinfo part. */
function originLabel(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
}

/**
 * Empties the allowances before a rate-limit sequence: the legacy oracle's control (every key),
 * else the Worker's test hook (one pair per request, every pair of the capture; 204, not counted).
 * Says when neither took the case's own key.
 */
async function resetAllowance(baseUrl: string, list: CaptureManifest, c: CaptureCase): Promise<string[]> {
  if ((await fetchCase(baseUrl, ORACLE_RESET)).status === 200) return [];
  const [own, ...others] = resetRequestsOf(list, c);
  const answer = await fetchCase(baseUrl, own!);
  for (const other of others) await fetchCase(baseUrl, other);
  if (answer.status === 204) return [];
  return [
    `! ${originLabel(baseUrl)} did not empty the allowance before ${c.id} (answered ${answer.status}): its sequence starts from the origin's current window`,
  ];
}

/** Sends every case to each origin in list order; returns the number of cases that differ. */
export async function reconcile(list: CaptureManifest, origins: Origins): Promise<number> {
  const bases = [origins.primary, origins.candidate, origins.secondary].filter((b): b is string => !!b);
  const results: CaseResult[] = [];
  const notes: string[] = [];
  for (const c of list.cases) {
    if (c.reset_rate_limit)
      notes.push(...(await Promise.all(bases.map((b) => resetAllowance(b, list, c)))).flat());
    const request = requestOf(list, c);
    const answers = await Promise.allSettled(bases.map((b) => fetchCase(b, request)));
    const failed = answers.findIndex((a) => a.status === 'rejected');
    if (failed !== -1) {
      const reason = (answers[failed] as PromiseRejectedResult).reason as Error;
      const detail = `request to ${['primary', 'candidate', 'secondary'][failed]} failed: ${reason.message}`;
      results.push({
        case: c,
        target: maskedTarget(request.target),
        outcome: { kind: 'different', differences: [{ part: 'request', detail }] },
        diagnosis: [
          {
            path: 'request',
            primary: failed === 0 ? reason.message : 'answered',
            candidate: failed === 1 ? reason.message : 'answered',
          },
        ],
      });
      continue;
    }
    const [primary, candidate, secondary] = answers.map((a) => (a as PromiseFulfilledResult<Observed>).value);
    results.push(caseResult(c, request, primary!, candidate!, secondary));
  }
  const sequences = list.cases.filter((c) => c.reset_rate_limit).length;
  if (sequences && notes.length === 0)
    notes.push(`${sequences} rate-limit sequence(s), each started from an empty allowance on every origin`);
  for (const line of formatReport(results, origins, notes)) console.log(line);
  return results.filter((r) => r.outcome.kind === 'different').length;
}
