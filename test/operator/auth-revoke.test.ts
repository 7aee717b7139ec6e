// The operator's command end to end, as an operator runs it against `npm run dev`: both Workers
// under `wrangler dev` (their isolate cache, KV and Revocations object as configured), the command
// as a separate process reaching the helper through wrangler's dev registry, and a client polling
// the Public API over HTTP. Its own dev registry and state, so other wrangler sessions on this
// machine are neither reached nor disturbed; its own key pair in the `test` MariaDB.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../../scripts/wrangler-dev.mjs';

const tag = Math.random().toString(36).slice(2, 10);
const PAIR = { int: `int-e2e-revoke-${tag}`, api: `api-e2e-revoke-${tag}` };
const node = join(projectRoot, 'node_modules/.bin/node');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'adv-auth-revoke-'));
const registry = join(dir, 'registry');
const logPath = join(dir, 'wrangler.log');
let admin: mysql.Connection;
let wrangler: { baseUrl: string; child: import('node:child_process').ChildProcess; stop: () => void };

beforeAll(async () => {
  const db = await start('test', { log: false });
  admin = await mysql.createConnection({ uri: db.adminUrl });
  await admin.query(
    "INSERT INTO console.api (account_id, name, int_key, api_key, rph, created_at) VALUES (1, 'auth:revoke e2e', ?, ?, 1000000, NOW())",
    [PAIR.int, PAIR.api],
  );
  wrangler = await startWranglerDev({
    databases: db.urls,
    args: ['--persist-to', join(dir, 'state')],
    env: { WRANGLER_REGISTRY_PATH: registry },
    stderr: openSync(logPath, 'a'),
  });
}, 240_000);

afterAll(async () => {
  wrangler?.stop();
  await admin?.query('DELETE FROM console.api WHERE int_key = ?', [PAIR.int]);
  await admin?.end();
  await sleep(1_000);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function status(intKey: string, apiKey = PAIR.api): Promise<number> {
  const response = await fetch(`${wrangler.baseUrl}/credentialscheck`, {
    headers: { 'X-Integration-Key': intKey, 'X-Api-Key': apiKey },
  });
  await response.arrayBuffer();
  return response.status;
}

/** `npm run auth:revoke -- --env local --json [args]`, the key (if any) on stdin. */
function authRevoke(args: string[], stdin = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(node, ['scripts/auth-revoke.mjs', '--env', 'local', '--json', ...args], {
      cwd: projectRoot,
      env: { ...process.env, WRANGLER_REGISTRY_PATH: registry, WRANGLER_SEND_METRICS: 'false' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Polls until the pair gets 401; the time of that answer. */
async function first401(intKey: string, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    if ((await status(intKey)) === 401) return Date.now();
    await sleep(100);
  }
  throw new Error('no 401 before the deadline');
}

describe('npm run auth:revoke -- --env local', () => {
  it('the pair gets 401 within the stated bound, in every spelling; the key is never printed', async () => {
    expect(await status(PAIR.int)).toBe(200);
    expect(await status(PAIR.int.toUpperCase())).toBe(200);

    const startedAt = Date.now();
    const polling = first401(PAIR.int, startedAt + 60_000);
    const run = await authRevoke(['-'], `${PAIR.int}\n`);
    const exitedAt = Date.now();
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      rows: { apiId: number; accountId: number; deleted: boolean }[];
      boundMs: number;
      changedAt: number;
    };
    expect(answer.rows).toEqual([{ apiId: expect.any(Number), accountId: 1, deleted: false }]);
    expect(answer.boundMs).toBe(10_000);
    const refusedAt = await polling;
    expect(refusedAt - answer.changedAt).toBeLessThanOrEqual(answer.boundMs + 1_000);
    console.log(
      `auth:revoke → first 401: ${((refusedAt - startedAt) / 1000).toFixed(1)} s from the command's start ` +
        `(the command ran ${((exitedAt - startedAt) / 1000).toFixed(1)} s, the helper confirmed at ` +
        `${((answer.changedAt - startedAt) / 1000).toFixed(1)} s); ` +
        `${((refusedAt - answer.changedAt) / 1000).toFixed(1)} s after the helper confirmed (bound ${answer.boundMs / 1000} s)`,
    );

    // Every spelling within the same bound: one the Worker's isolate cache confirmed before the
    // revocation (the upper-case one, above) may keep working until its entry expires.
    const bound = answer.changedAt + answer.boundMs + 1_000;
    for (const spelling of [PAIR.int.toUpperCase(), `${PAIR.int} `, PAIR.int.replace('e', 'é')]) {
      expect(await first401(spelling, bound), spelling).toBeLessThanOrEqual(bound);
    }
    const printed = `${run.stdout}${run.stderr}${readFileSync(logPath, 'utf8')}`;
    expect(printed).not.toContain(PAIR.int);
    expect(printed).not.toContain(PAIR.api);

    // Lifted (a revocation made by mistake): back within the same bound.
    const lift = await authRevoke(['--lift', String(answer.rows[0]!.apiId)]);
    expect(lift.code, lift.stderr).toBe(0);
    const liftedAt = (JSON.parse(lift.stdout) as { changedAt: number }).changedAt;
    let back = 0;
    while (Date.now() - liftedAt < answer.boundMs + 1_000 && back !== 200) {
      back = await status(PAIR.int);
      if (back !== 200) await sleep(100);
    }
    expect(back).toBe(200);
  });

  it('an integration key that no pair has: exit 2, nothing changed', async () => {
    const run = await authRevoke([], `int-nobody-${tag}\n`);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: [] });
  });
});
