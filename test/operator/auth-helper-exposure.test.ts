// The auth helper as an HTTP client would find it if it ever had a URL (a workers.dev or preview
// URL, a route): served alone by `wrangler dev`, so that requests reach its default entrypoint
// over HTTP as they would from the Internet, with empty ctx.props. Every one must be refused,
// whatever headers it brings; the deployed configurations give it no URL at all
// (test/tooling/wrangler-config.test.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { freePort } from '../../scripts/wrangler-dev.mjs';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
  keys: Record<string, { int_key: string; api_key: string }>;
};
const main = manifest.keys.main!;
const dir = mkdtempSync(join(tmpdir(), 'adv-helper-exposure-'));
let child: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  const db = await start('test', { log: false });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  child = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    [
      join(projectRoot, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '-c',
      'auth-helper/wrangler.toml',
      '--env=',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      '--persist-to',
      join(dir, 'state'),
    ],
    {
      cwd: projectRoot,
      stdio: 'ignore',
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_CONSOLE: db.urls.console,
        WRANGLER_REGISTRY_PATH: join(dir, 'registry'),
        WRANGLER_SEND_METRICS: 'false',
      },
    },
  );
  for (let attempt = 0; attempt < 240; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      await fetch(`${baseUrl}/__health`);
      return;
    } catch {
      // not listening yet
    }
  }
  throw new Error('wrangler dev did not listen in 120 s');
}, 240_000);

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'Content-Type': 'application/json' };
const body = JSON.stringify({ apiKey: main.api_key, integrationKey: main.int_key });

describe('the auth helper reached over HTTP (what a public URL would expose)', () => {
  it.each([
    ['POST /auth with a valid pair in the body', '/auth', { method: 'POST', headers: json, body }],
    [
      'POST /auth with the pair in headers',
      '/auth',
      { method: 'POST', headers: { 'X-Integration-Key': main.int_key, 'X-Api-Key': main.api_key } },
    ],
    [
      'POST /auth claiming to be the Public API',
      '/auth',
      {
        method: 'POST',
        headers: { ...json, 'X-Caller': 'adv-public-api', 'CF-Connecting-IP': '10.0.0.1' },
        body,
      },
    ],
    ['GET /__health', '/__health', {}],
  ])('%s → 403 problem+json, no account', async (_name, path, init) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(text).not.toMatch(/accountId|valid/);
  });
});
