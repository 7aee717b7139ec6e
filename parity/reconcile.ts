// Cutover reconciler (seed 001 Phase 8): sends each request of a list to the primary (legacy)
// and the candidate (Worker) and reports differences by endpoint and field. With a secondary
// (the same code as the primary), fields that differ between two runs of the same origin are
// noise, as Diffy does, and are not reported.
import type { Observed } from './compare.ts';
import { send10 } from './http10.ts';
import { type CaptureManifest, endpointOf, requestOf } from './manifest.ts';

async function fetchCase(baseUrl: string, request: ReturnType<typeof requestOf>): Promise<Observed> {
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

/** Leaf values of a JSON document by path (`data[].ctr`: list indexes folded for grouping). */
function leaves(value: unknown, path: string, out: Map<string, string>, exactPath = path): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(exactPath, '[]');
    for (const [i, item] of value.entries()) leaves(item, `${path}[]`, out, `${exactPath}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value))
      leaves(item, `${path}.${key}`, out, `${exactPath}.${key}`);
  } else {
    out.set(exactPath, JSON.stringify(value));
  }
}

function fieldsOf(observed: Observed): Map<string, string> {
  const out = new Map<string, string>();
  out.set('status', String(observed.status));
  out.set('content-type', String(observed.contentType));
  const text = new TextDecoder().decode(observed.body);
  if (observed.contentType?.includes('json')) {
    try {
      leaves(JSON.parse(text), '$', out);
      return out;
    } catch {
      // not JSON after all: compare the bytes
    }
  }
  out.set('body', text);
  return out;
}

const grouped = (exactPath: string) => exactPath.replace(/\[\d+\]/g, '[]');

export async function reconcile(
  list: CaptureManifest,
  origins: { primary: string; candidate: string; secondary?: string | undefined },
): Promise<number> {
  const byEndpointField = new Map<string, { count: number; example: string }>();
  let noise = 0;
  for (const c of list.cases) {
    const request = requestOf(list, c);
    const [primary, candidate, secondary] = await Promise.all([
      fetchCase(origins.primary, request).then(fieldsOf),
      fetchCase(origins.candidate, request).then(fieldsOf),
      origins.secondary ? fetchCase(origins.secondary, request).then(fieldsOf) : undefined,
    ]);
    for (const path of new Set([...primary.keys(), ...candidate.keys()])) {
      const a = primary.get(path);
      const b = candidate.get(path);
      if (a === b) continue;
      if (secondary && secondary.get(path) !== a) {
        noise++;
        continue;
      }
      const key = `${endpointOf(c.path)}  ${grouped(path)}`;
      const entry = byEndpointField.get(key) ?? {
        count: 0,
        example: `${c.id}: primary ${a} / candidate ${b}`,
      };
      entry.count++;
      byEndpointField.set(key, entry);
    }
  }
  console.log(
    `reconcile: ${list.cases.length} requests, primary ${origins.primary}, candidate ${origins.candidate}`,
  );
  for (const [key, { count, example }] of [...byEndpointField].sort()) {
    console.log(`  ${key}: ${count} difference(s), e.g. ${example.slice(0, 200)}`);
  }
  if (origins.secondary)
    console.log(`  ${noise} field difference(s) ignored as noise (primary vs secondary)`);
  const total = [...byEndpointField.values()].reduce((n, e) => n + e.count, 0);
  console.log(`reconcile: ${total} difference(s) in ${byEndpointField.size} endpoint field(s)`);
  return total;
}
