import { exports } from 'cloudflare:workers';

const ORIGIN = 'http://api.test';

/** Sends a request to the Worker under test (same isolate, real bindings). */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

/** Reads a problem+json body and checks the RFC 9457 shape every error must have. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  if (response.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(`expected application/problem+json, got ${response.headers.get('content-type')}`);
  }
  return (await response.json()) as Record<string, unknown>;
}
