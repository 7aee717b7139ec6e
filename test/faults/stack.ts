// The real stack for fault tests: the private `faults` MariaDB (scripts/local-db.mjs, port 33309),
// one FaultProxy per database in front of it, and `wrangler dev` running both Workers with their
// Hyperdrive bindings pointed at the proxies (the auth helper's DB_CONSOLE goes through the
// console proxy too). Nothing is mocked; faults are made in the traffic, the database or the
// local storage of wrangler dev.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot, start, stop } from '../../scripts/local-db.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startWranglerDev } from '../../scripts/wrangler-dev.mjs';
import { FaultProxy } from './proxy';

export const INSTANCE = 'faults';
/** The fixtures' clock (2026-11-22 10:30 New York): the seed's dates are around it. */
export const TEST_CLOCK = '2026-11-22T15:30:00Z';
/** The data query budget of this stack (DB_QUERY_TIMEOUT_MS), small so a slow query is quick to see. */
export const QUERY_BUDGET_MS = 500;

export interface KeyPair {
  int_key: string;
  api_key: string;
}

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
  keys: Record<string, KeyPair>;
};

/**
 * Key pairs of account 1 that exist only in the `faults` database, each first used by one case,
 * so that the auth helper has never cached them (a fresh persist directory per run, too).
 */
export const FAULT_KEYS = {
  authDown: { int_key: 'int-faults-auth-down', api_key: 'api-faults-auth-down-0001' },
  authSlow: { int_key: 'int-faults-auth-slow', api_key: 'api-faults-auth-slow-0001' },
  kv: { int_key: 'int-faults-kv', api_key: 'api-faults-kv-0001' },
} satisfies Record<string, KeyPair>;

export const KEYS = { main: manifest.keys.main!, ...FAULT_KEYS };
export type KeyName = keyof typeof KEYS;

export function keyHeaders(name: KeyName): Record<string, string> {
  return { 'X-Integration-Key': KEYS[name].int_key, 'X-Api-Key': KEYS[name].api_key };
}

export interface Stack {
  baseUrl: string;
  /** Proxies in front of `console` (both Workers) and `aggregate`. */
  console: FaultProxy;
  aggregate: FaultProxy;
  /** wrangler dev's local state (KV, Durable Objects), fresh for this run. */
  persistDir: string;
  /** The wrangler dev process: the same one must serve every case (no restart). */
  pid: number;
  running(): boolean;
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  close(): Promise<void>;
}

async function startDatabase(): Promise<{ port: number }> {
  const db = await start(INSTANCE, { log: false });
  // The fault keys go in with the instance's admin user; db/seed is never touched.
  const admin = await mysql.createConnection({ uri: db.adminUrl });
  try {
    for (const [name, key] of Object.entries(FAULT_KEYS)) {
      await admin.query(
        'INSERT IGNORE INTO console.api (account_id, name, int_key, api_key, rph, created_at) VALUES (1, ?, ?, ?, 1000, NOW())',
        [`faults ${name}`, key.int_key, key.api_key],
      );
    }
  } finally {
    await admin.end();
  }
  return { port: db.port };
}

export async function startStack(): Promise<Stack> {
  const db = await startDatabase();
  const consoleProxy = new FaultProxy('127.0.0.1', db.port);
  const aggregateProxy = new FaultProxy('127.0.0.1', db.port);
  await consoleProxy.up();
  await aggregateProxy.up();
  const url = (proxy: FaultProxy, database: string) =>
    `mysql://public_api:local-dev-only@127.0.0.1:${proxy.port}/${database}`;
  const persistDir = mkdtempSync(join(tmpdir(), 'adv-faults-'));
  let wrangler: { baseUrl: string; child: import('node:child_process').ChildProcess; stop: () => void };
  try {
    wrangler = await startWranglerDev({
      databases: { console: url(consoleProxy, 'console'), aggregate: url(aggregateProxy, 'aggregate') },
      vars: {
        ENVIRONMENT: 'test',
        TEST_CLOCK,
        DB_QUERY_TIMEOUT_MS: String(QUERY_BUDGET_MS),
        // These cases are about the auth helper's own path (its KV cache, its database, its
        // timeout): the Worker's isolate cache of confirmed pairs, which would answer a pair seen
        // a moment before without asking the helper, is off (it has its own tests in
        // src/middleware/authenticate.test.ts and src/auth/cache.test.ts).
        AUTH_CACHE_TTL_MS: '0',
      },
      args: ['--persist-to', persistDir],
      // wrangler prints every Worker error line; FAULTS_VERBOSE=1 shows them.
      env: process.env.FAULTS_VERBOSE ? {} : { WRANGLER_LOG: 'none' },
    });
  } catch (error) {
    await Promise.all([consoleProxy.close(), aggregateProxy.close()]);
    throw error;
  }
  const child = wrangler.child;
  return {
    baseUrl: wrangler.baseUrl,
    console: consoleProxy,
    aggregate: aggregateProxy,
    persistDir,
    pid: child.pid!,
    running: () => child.exitCode === null && child.signalCode === null,
    stopDatabase: async () => {
      await stop(INSTANCE, { log: false });
    },
    startDatabase: async () => {
      await startDatabase();
    },
    close: async () => {
      const exited = new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
        else child.once('exit', resolve);
      });
      wrangler.stop();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all([consoleProxy.close(), aggregateProxy.close()]);
      await stop(INSTANCE, { log: false });
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The bytes received, complete or not. */
  body: Buffer;
  /** Why reading the body failed (a broken transfer), or undefined when it ended normally. */
  transferError?: string;
}

/** GET with a key pair; reads the whole body and reports a transfer that breaks off. */
export async function get(stack: Stack, path: string, key: KeyName = 'main'): Promise<Answer> {
  const response = await fetch(`${stack.baseUrl}${path}`, { headers: keyHeaders(key) });
  const chunks: Uint8Array[] = [];
  let transferError: string | undefined;
  try {
    for await (const chunk of response.body ?? []) chunks.push(chunk);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    transferError = String(cause ?? error);
  }
  return { status: response.status, headers: response.headers, body: Buffer.concat(chunks), transferError };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
