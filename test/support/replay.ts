// Replays one case of a captured manifest against the Worker under test, the way the capture
// sent it (fixtures/README.md): keys as headers or query parameters, the query in order and
// percent-encoded as PHP rawurlencode does, no headers but the case's, the case's clock pinned.

import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import type { FixtureCase, FixtureManifest } from './fixtures';

/** PHP rawurlencode (RFC 3986): every byte but A-Z a-z 0-9 - _ . ~ becomes %XX. */
export function rawUrlEncode(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const ch = String.fromCharCode(byte);
    return /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** A wall-clock time in a time zone ("2026-11-22 10:30:00", America/New_York) → the instant. */
export function zonedInstant(local: string, timeZone: string): Date {
  const asUtc = Date.parse(`${local.replace(' ', 'T')}Z`);
  const offsetAt = (instant: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant
    );
  };
  const guess = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(guess));
}

export function requestOf(manifest: FixtureManifest, c: FixtureCase, origin = 'http://api.test'): Request {
  const pairs = Object.entries(c.query).map(
    ([name, value]) => `${rawUrlEncode(name)}=${rawUrlEncode(value)}`,
  );
  const headers = new Headers(c.headers);
  if (typeof c.key === 'string') {
    if (c.key !== 'none') {
      const key = manifest.keys[c.key];
      if (!key) throw new Error(`${c.id}: unknown key alias ${c.key}`);
      headers.set('X-Integration-Key', key.int_key);
      headers.set('X-Api-Key', key.api_key);
    }
  } else if (c.key.via === 'header') {
    if (c.key.int_key !== undefined) headers.set('X-Integration-Key', c.key.int_key);
    if (c.key.api_key !== undefined) headers.set('X-Api-Key', c.key.api_key);
  } else {
    if (c.key.int_key !== undefined) pairs.push(`integration_key=${rawUrlEncode(c.key.int_key)}`);
    if (c.key.api_key !== undefined) pairs.push(`api_key=${rawUrlEncode(c.key.api_key)}`);
  }
  headers.set('x-test-clock', zonedInstant(c.clock, manifest.timezone).toISOString());
  const target = `${origin}${c.path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
  return new Request(target, { method: c.method, headers });
}

/** Empties the hourly allowance of a key alias (the capture's /__oracle/reset-rate-limit). */
export async function resetAllowance(manifest: FixtureManifest, alias: string): Promise<void> {
  const key = manifest.keys[alias];
  if (!key) return;
  const answer = await env.AUTH.fetch('https://auth-helper/auth', {
    method: 'POST',
    headers: { 'X-Integration-Key': key.int_key, 'X-Api-Key': key.api_key },
  });
  const auth = (await answer.json()) as { valid: boolean; keyHash?: string };
  if (!auth.valid || !auth.keyHash) return;
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(auth.keyHash));
  await runInDurableObject(stub, (_instance, state) => state.storage.deleteAll());
}

export function send(request: Request): Promise<Response> {
  return exports.default.fetch(request);
}
