// The cells of bench/wan.mjs: GETs timed from this process over keep-alive connections (whole
// body, or a stream's first body byte), p50/p95 per cell, and at concurrency 1 the sequential
// database round trips of each request counted from the latency proxies' records.
import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sequentialChain } from './latency-proxy.mjs';
import { TIMEOUT_MS, WARMUP } from './wan-settings.mjs';

/** Nearest rank over the finite values (not bench/figures.mjs's percentile, which takes them sorted). */
const percentile = (values, p) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values) => percentile(values, 50);

/** The SQL as the Worker sends it, without the statement-time wrapper and hints every query carries. */
const sqlText = (sql) =>
  sql
    .replace(/^\/\*M!\d+ SET STATEMENT [^*]*? FOR \*\/\s*/, '')
    .replace(/\/\*\+[^*]*\*\/\s*/g, '')
    .replace(/\s+/g, ' ');

/**
 * One GET: status, bytes, start, first body byte and end (performance.now()); 'abort' drops the
 * body after its first byte; `digest` adds the body's SHA-256 (hex), hashed as it streams.
 */
export function timedGet(agent, url, headers, stream, { digest = false } = {}) {
  return new Promise((resolve) => {
    const r = {
      status: undefined,
      bytes: 0,
      start: performance.now(),
      firstByteAt: undefined,
      endAt: undefined,
    };
    const hash = digest ? createHash('sha256') : undefined;
    const done = (error) => {
      r.endAt ??= performance.now();
      if (hash && r.sha256 === undefined) r.sha256 = hash.digest('hex');
      if (error) r.error = error.message;
      resolve(r);
    };
    const req = httpRequest(url, { agent, headers, timeout: TIMEOUT_MS }, (res) => {
      r.status = res.statusCode;
      res.on('data', (chunk) => {
        r.bytes += chunk.length;
        hash?.update(chunk);
        if (r.firstByteAt === undefined) {
          r.firstByteAt = performance.now();
          if (stream === 'abort' && res.statusCode === 200) {
            r.aborted = true;
            req.destroy();
            done();
          }
        }
      });
      res.on('end', () => done());
      res.on('error', (error) => (r.aborted ? undefined : done(error)));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => (r.aborted ? undefined : done(error)));
    req.end();
  });
}

/** The time a request is measured by: its whole body, or a stream's first body byte. */
const measuredAt = (r, stream) => (stream ? (r.firstByteAt ?? r.endAt) : r.endAt);

/** Waits until the proxies are idle (a dropped stream's rows still flowing), at most 10 s. */
async function proxiesIdle(proxies) {
  const deadline = performance.now() + 10_000;
  while (!proxies.every((p) => p.idle()) && performance.now() < deadline) await sleep(5);
}

/**
 * `count` requests over `concurrency` keep-alive connections, each one request at a time, with
 * the key headers `headersFor(auth)` gives. At concurrency 1 with `proxies`, each request's
 * sequential round trips are counted from the commands the proxies recorded between its start and
 * its measured end.
 */
export async function runCell({ baseUrl, endpoint, auth, headersFor, concurrency, count, warmup, proxies }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = baseUrl + endpoint.path;
  const one = () => timedGet(agent, url, headersFor(auth), endpoint.stream);
  const warm = [];
  for (let i = 0; i < warmup; i += concurrency)
    warm.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, warmup - i) }, one))));
  if (proxies) await proxiesIdle(proxies);
  for (const p of proxies ?? []) p.reset();
  const results = [];
  const chains = [];
  const cellStart = performance.now();
  if (concurrency === 1) {
    for (let i = 0; i < count; i++) {
      if (proxies) await proxiesIdle(proxies);
      const r = await one();
      results.push(r);
      if (proxies) {
        const commands = proxies.flatMap((p) => p.commands);
        chains.push(sequentialChain(commands, r.start, measuredAt(r, endpoint.stream)));
      }
    }
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          results.push(await one());
        }
      }),
    );
  }
  const wallMs = performance.now() - cellStart;
  agent.destroy();
  const times = results.filter((r) => r.status === 200).map((r) => measuredAt(r, endpoint.stream) - r.start);
  const cell = {
    path: endpoint.path,
    auth,
    concurrency,
    requests: results.length,
    ok: times.length,
    statuses: countBy(results.map((r) => r.status ?? r.error ?? 'none')),
    warmupStatuses: countBy(warm.map((r) => r.status ?? r.error ?? 'none')),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    wallMs,
    bytes: median(results.map((r) => r.bytes)),
    timesMs: times.map((t) => Math.round(t * 10) / 10),
  };
  if (proxies) {
    cell.lateness = proxies.map((p) => ({
      db: p.name,
      maxMs: p.lateness.maxMs,
      meanMs: p.lateness.count ? p.lateness.sumMs / p.lateness.count : 0,
    }));
  }
  if (chains.length) {
    const counts = chains.map((c) => c.length);
    cell.roundTrips = { median: median(counts), min: Math.min(...counts), max: Math.max(...counts), counts };
    // The distinct chains seen, with how often: the SQL (first 80 characters) of each step.
    const distinct = new Map();
    for (const chain of chains) {
      const steps = chain.map(
        (c) => `${c.db}#${c.conn}: ${(c.sql ? sqlText(c.sql) : c.command).slice(0, 80)}`,
      );
      const key = steps.map((s) => s.replace(/#\d+/, '')).join('\n');
      const seen = distinct.get(key) ?? { times: 0, steps };
      seen.times += 1;
      distinct.set(key, seen);
    }
    cell.chains = [...distinct.values()].sort((a, b) => b.times - a.times);
  }
  return cell;
}

function countBy(values) {
  const counts = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** The legacy's cell: `requests[concurrency]` requests after the warm-up, no proxy, no round trips. */
export async function runLegacyCell(baseUrl, endpoint, concurrency, headers, requests) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = baseUrl + endpoint.path;
  const one = () => timedGet(agent, url, headers, endpoint.stream);
  for (let i = 0; i < WARMUP[concurrency]; i += concurrency)
    await Promise.all(Array.from({ length: concurrency }, one));
  const results = [];
  let next = 0;
  const count = requests[concurrency];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        results.push(await one());
      }
    }),
  );
  agent.destroy();
  const times = results.filter((r) => r.status === 200).map((r) => measuredAt(r, endpoint.stream) - r.start);
  return {
    side: 'legacy',
    path: endpoint.path,
    concurrency,
    delayMs: 0,
    requests: results.length,
    ok: times.length,
    statuses: countBy(results.map((r) => r.status ?? r.error ?? 'none')),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    timesMs: times.map((t) => Math.round(t * 10) / 10),
  };
}
