// A local HTTP server standing in for New Relic's Log API (New Relic itself cannot be reached from
// here). It checks what the real endpoint documents (POST, JSON or gzipped JSON, the license key
// header, at most 10^6 bytes, the detailed payload shape), answers 202 as it does, and keeps every
// POST so the tests can read exactly what left the tail Worker.
//
//   POST /<scenario>/log/v1      a payload; answered by the scenario's script, else 202
//   PUT  /__script/<scenario>    {"responses": [503, "reset", "hang", 429, …], "retryAfter": "1"}
//   GET  /__received/<scenario>  every POST of the scenario, in arrival order
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** The license key the test configurations give the tail Worker (a made-up value, not a secret). */
export const SINK_LICENSE_KEY = 'sink-license-key-for-tests-only';

const MAX_PAYLOAD_BYTES = 1_000_000;

export interface ReceivedPost {
  /** Milliseconds since the sink started, when the request's body had arrived. */
  at: number;
  headers: Record<string, string>;
  /** Bytes as sent (compressed when gzip). */
  bytes: number;
  /** Bytes of the JSON after decompression. */
  jsonBytes: number;
  /** The status the sink answered (0 for a reset or a request left hanging). */
  status: number;
  /** The decompressed body as text (what a key search must not find anything in). */
  text: string;
  /** The parsed payload when it was valid. */
  payload: unknown;
  problem: string | null;
}

type Scripted = number | 'reset' | 'hang';

interface Scenario {
  responses: Scripted[];
  retryAfter: string | null;
  received: ReceivedPost[];
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** What New Relic would refuse in this payload, or null. */
function problemOf(request: IncomingMessage, raw: Buffer, text: string, payload: unknown): string | null {
  if (
    request.headers['x-license-key'] !== SINK_LICENSE_KEY &&
    request.headers['api-key'] !== SINK_LICENSE_KEY
  ) {
    return 'license key missing or wrong';
  }
  if (raw.length > MAX_PAYLOAD_BYTES) return `payload of ${raw.length} bytes`;
  if (!/^(application\/)?(json|gzip)/.test(request.headers['content-type'] ?? '')) return 'content-type';
  if (payload === undefined) return `not JSON: ${text.slice(0, 40)}`;
  const blocks = Array.isArray(payload) ? payload : [payload];
  for (const block of blocks) {
    if (!block || typeof block !== 'object' || !Array.isArray((block as { logs?: unknown }).logs)) {
      return 'a block without logs[]';
    }
  }
  return null;
}

export async function startSink(): Promise<{ url: string; close: () => Promise<void> }> {
  const started = Date.now();
  const scenarios = new Map<string, Scenario>();
  const scenario = (name: string) => {
    let found = scenarios.get(name);
    if (!found) {
      found = { responses: [], retryAfter: null, received: [] };
      scenarios.set(name, found);
    }
    return found;
  };
  const json = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(value));
  };

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    const raw = await readBody(request);
    const control = /^\/__(script|received)\/([\w-]+)$/.exec(path);
    if (control?.[1] === 'script' && request.method === 'PUT') {
      const script = JSON.parse(raw.toString('utf8')) as { responses?: Scripted[]; retryAfter?: string };
      const target = scenario(control[2]!);
      target.responses = script.responses ?? [];
      target.retryAfter = script.retryAfter ?? null;
      return json(response, 204, null);
    }
    if (control?.[1] === 'received' && request.method === 'GET') {
      return json(response, 200, scenario(control[2]!).received);
    }
    const post = /^\/([\w-]+)\/log\/v1$/.exec(path);
    if (!post || request.method !== 'POST') return json(response, 404, { error: 'not found' });

    const target = scenario(post[1]!);
    const gzipped = request.headers['content-encoding'] === 'gzip';
    let text = '';
    let payload: unknown;
    let problem: string | null = null;
    try {
      text = (gzipped ? gunzipSync(raw) : raw).toString('utf8');
      payload = JSON.parse(text);
    } catch (error) {
      problem = `undecodable body: ${(error as Error).message}`;
    }
    problem ??= problemOf(request, raw, text, payload);
    // As the Log API answers: 403 for the license key, 413 for the size, 400 for the rest.
    const refusal = problem?.startsWith('license') ? 403 : problem?.startsWith('payload of') ? 413 : 400;
    const next = target.responses.shift() ?? (problem ? refusal : 202);
    const record: ReceivedPost = {
      at: Date.now() - started,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
      bytes: raw.length,
      jsonBytes: Buffer.byteLength(text),
      status: typeof next === 'number' ? next : 0,
      text,
      payload: problem ? null : payload,
      problem,
    };
    target.received.push(record);
    if (next === 'reset') return request.socket.destroy();
    if (next === 'hang') return; // never answered: the client's timeout must end it
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (target.retryAfter && (next === 429 || next === 503)) headers['Retry-After'] = target.retryAfter;
    response.writeHead(next, headers);
    response.end(
      JSON.stringify(next === 202 ? { requestId: `sink-${target.received.length}` } : { error: problem }),
    );
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
