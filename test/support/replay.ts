// Replays captured cases against the Worker under test, inside workerd.
import { exports } from 'cloudflare:workers';
import type { Observed } from '../../parity/compare.ts';
import {
  type CaptureCase,
  type CaptureManifest,
  type CaseRequest,
  requestOf,
  resetRequestsOf,
} from '../../parity/manifest.ts';

function send({ method, target, headers }: CaseRequest): Promise<Response> {
  return exports.default.fetch(new Request(`http://api.test${target}`, { method, headers }));
}

export async function replay(manifest: CaptureManifest, c: CaptureCase): Promise<Observed> {
  if (c.reset_rate_limit) {
    const [own, ...others] = resetRequestsOf(manifest, c);
    const reset = await send(own!);
    if (reset.status !== 204) throw new Error(`${c.id}: allowance reset answered ${reset.status}`);
    for (const other of others) {
      const status = (await send(other)).status;
      if (status !== 204 && status !== 401) throw new Error(`${c.id}: allowance reset answered ${status}`);
    }
  }
  const response = await send(requestOf(manifest, c));
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}
