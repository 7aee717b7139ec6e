// scripts/smoke.sh as the deploy jobs run it, against both Workers under `wrangler dev` on the
// `test` MariaDB (test/integrations/stack.ts: the fixtures' clock, `aggregate` behind a fault proxy).
// What only the edge or the network would do goes through a small HTTP proxy of this file in front
// of them: it records every request's headers (the version override) and can cut a streamed body
// short (a connection lost mid-download).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';
import { type IntegrationStack, startIntegrationStack } from '../integrations/stack';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
  keys: Record<string, { int_key: string; api_key: string }>;
};
// A day of the seed with metric rows, at the fixtures' clock.
const DAY = '2026-11-21';
const VERSION = '4f1b7c2e-9a53-4d0e-8c61-2b7f0e9d3a15';

interface Front {
  url: string;
  seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>;
  /** Paths whose response body is cut after half of its first chunk. */
  cut: string[];
  server: Server;
}

/** The recording, cutting proxy in front of `upstream`. */
async function startFront(upstream: string): Promise<Front> {
  const target = new URL(upstream);
  const front: Front = { url: '', seen: [], cut: [], server: createServer() };
  front.server.on('request', (req, res) => {
    front.seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const { 'content-length': _, 'transfer-encoding': __, connection: ___, ...headers } = answer.headers;
        res.writeHead(answer.statusCode!, headers);
        if (!front.cut.some((path) => req.url!.startsWith(path))) {
          answer.pipe(res);
          return;
        }
        answer.once('data', (chunk: Buffer) => {
          res.write(chunk.subarray(0, Math.ceil(chunk.length / 2)));
          setTimeout(() => res.socket?.destroy(), 50);
          answer.destroy();
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`;
  return front;
}

/** The script as CI runs it (asynchronously: the proxy answers from this process's event loop). */
function smoke(base: string, env: Record<string, string> = {}) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', [join(projectRoot, 'scripts/smoke.sh'), base], {
      env: { PATH: process.env.PATH!, SMOKE_DAY: DAY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    child.on('exit', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

let stack: IntegrationStack;
let front: Front;

beforeAll(async () => {
  stack = await startIntegrationStack();
  front = await startFront(stack.baseUrl);
}, 240_000);

afterAll(async () => {
  front?.server.closeAllConnections();
  await new Promise((resolve) => front?.server.close(resolve));
  await stack?.close();
}, 60_000);

describe('scripts/smoke.sh', () => {
  it('passes against healthy Workers, checking the commit that answers, and prints no key', async () => {
    const run = await smoke(stack.baseUrl, { SMOKE_EXPECT_COMMIT: 'local' });
    expect(run.status, run.stdout).toBe(0);
    for (const line of [
      /^ok +GET \/__health +200 test @ local$/m,
      /^ok +GET \/credentialscheck \(valid keys\) +200$/m,
      /^ok +GET \/credentialscheck \(invalid keys\) +401 problem\+json$/m,
      /^ok +GET \/smoke\/unknown-path +404 problem\+json$/m,
      /^ok +GET \/advertisers +200 [1-9]\d* rows$/m,
      /^ok +GET \/analytics\/\d+ \(aggregate\) +200 [1-9]\d* impressions$/m,
      /^ok +GET \/v2\.0\/dataconnector \(2026-11-21\) +200 [1-9]\d* rows, \d+ bytes, complete$/m,
      /^smoke: all probes passed/m,
    ]) {
      expect(run.stdout).toMatch(line);
    }
    for (const { int_key, api_key } of Object.values(manifest.keys)) {
      expect(run.stdout + run.stderr).not.toContain(int_key);
      expect(run.stdout + run.stderr).not.toContain(api_key);
    }
  });

  it('sends every probe to the pinned version (Cloudflare-Workers-Version-Overrides)', async () => {
    front.seen.length = 0;
    const run = await smoke(front.url, {
      SMOKE_PIN_WORKER: 'adv-public-api-prd',
      SMOKE_PIN_VERSION: VERSION,
      SMOKE_EXPECT_COMMIT: 'local',
    });
    expect(run.status, run.stdout).toBe(0);
    expect(front.seen.map((r) => r.url)).toEqual([
      '/__health',
      '/credentialscheck',
      '/credentialscheck',
      '/smoke/unknown-path',
      '/advertisers',
      '/campaigns',
      '/analytics/201',
      `/v2.0/dataconnector?from=${DAY}&to=${DAY}`,
    ]);
    for (const { headers } of front.seen) {
      expect(headers['cloudflare-workers-version-overrides']).toBe(`adv-public-api-prd="${VERSION}"`);
    }
    // The keys travel in headers (read from a file, not curl's arguments) on the 5 metered probes.
    expect(front.seen.filter((r) => r.headers['x-api-key'] === manifest.keys.main!.api_key)).toHaveLength(5);
  });

  it('refuses a malformed pin before any request (the edge would ignore it silently)', async () => {
    front.seen.length = 0;
    const run = await smoke(front.url, {
      SMOKE_PIN_WORKER: 'adv-public-api-prd',
      SMOKE_PIN_VERSION: 'latest',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('SMOKE_PIN_VERSION must be a version id');
    expect(front.seen).toHaveLength(0);
  });

  it('fails when another commit answers (the override not applied)', async () => {
    const run = await smoke(stack.baseUrl, { SMOKE_EXPECT_COMMIT: '0123abcd' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +GET \/__health: answered by commit local, want 0123abcd/m);
  });

  it('fails a streamed body cut before its end', async () => {
    front.cut = ['/v2.0/dataconnector'];
    try {
      const run = await smoke(front.url);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(
        /^FAIL +GET \/v2\.0\/dataconnector \(2026-11-21\): body incomplete \(curl exit (18|56)/m,
      );
      expect(run.stdout.match(/^FAIL/gm)).toHaveLength(1);
    } finally {
      front.cut = [];
    }
  });

  it('fails the probes that read the aggregate database while it is down, and only them', async () => {
    await stack.aggregate.down();
    try {
      const run = await smoke(stack.baseUrl);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^FAIL +GET \/analytics\/201: got 503, want 200/m);
      expect(run.stdout).toMatch(/^FAIL +GET \/v2\.0\/dataconnector \(2026-11-21\): got 503, want 200/m);
      expect(run.stdout.match(/^FAIL/gm)).toHaveLength(2);
      expect(run.stdout).toMatch(/^ok +GET \/advertisers/m);
    } finally {
      await stack.aggregate.up();
    }
  });
});
