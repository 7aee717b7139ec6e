#!/usr/bin/env node
// Memory under concurrency (issue 20, Measure 4): four 365-day /dataconnector JSON streams at
// once, one key pair, in the one isolate wrangler dev runs, v1 and then v2. Each variant twice:
// a peak pass (heap polled over the inspector every ~20 ms: used, and used + ArrayBuffer backing
// stores; workerd RSS) and a live pass (a full GC every 1 s during the streams and the heap it
// leaves, as npm run bench's sweep reads it in bench/connector-cells.mjs). Every stream must
// answer 200 with the whole window.
//
//   flock /tmp/bench.lock node bench/concurrent-streams.mjs [--ref REF] [--out FILE]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getCounted } from './counted-body.mjs';
import { connectorPath, PLACEMENTS } from './dataset.mjs';
import { fmt, MiB, table } from './figures.mjs';
import { collectGarbage, watchIsolate } from './isolate-watch.mjs';
import { REQUEST_HEADERS } from './legacy-server.mjs';
import { ensureBenchData } from './load-data.mjs';
import { runCli } from './part-cli.mjs';
import { benchDir, settle, startBenchWorker, stopWorker } from './worker.mjs';

const STREAMS = 4; // under STREAM_MAX_PER_KEY (5 by default): all admitted
const DAYS = 365;
const VERSIONS = [1, 2];
const TIMEOUT_MS = 120_000;
const LIVE_EVERY_MS = 1_000;
const TARGETS = { liveMiB: 64, withBackingMiB: 100 };
/**
 * The V8 flag of a last pass: the heap sized for production's isolate memory (128 MB). workerd run
 * locally creates its isolates with V8's default constraints, no limit at all (its
 * NullIsolateLimitEnforcer), so V8 lets the young generation grow to its largest semi-spaces and
 * collects the old one lazily; an embedder that limits the heap gets both generations sized from
 * that limit (ResourceConstraints::ConfigureDefaultsFromHeapSize), which is what this flag does.
 */
const LIMITED_V8_FLAGS = '--max-heap-size=128';

async function pass(worker, version, live, limited = false) {
  const path = connectorPath(version, DAYS);
  await settle(worker.workerdPid);
  await collectGarbage(worker);
  const watch = await watchIsolate(worker, { liveEveryMs: live ? LIVE_EVERY_MS : 0 });
  const start = performance.now();
  const streams = await Promise.all(
    Array.from({ length: STREAMS }, () => getCounted(worker.baseUrl + path, REQUEST_HEADERS, TIMEOUT_MS)),
  );
  const wallMs = performance.now() - start;
  const memory = await watch.stop();
  const expectedRows = version === 1 ? DAYS * PLACEMENTS : undefined;
  // Whole bodies: 200, the same length and rows for all four, a closed JSON document, and for v1
  // one row per placement and day.
  const complete = streams.every(
    (s) =>
      s.status === 200 &&
      !s.error &&
      s.bytes === streams[0].bytes &&
      s.rows === streams[0].rows &&
      s.rows > 0 &&
      /[}\]]\s*$/.test(s.tail) &&
      (expectedRows === undefined || s.rows === expectedRows),
  );
  return {
    version,
    live,
    limited,
    path,
    wallMs,
    complete,
    streams: streams.map(({ head, ...s }) => (s.status === 200 ? s : { ...s, head })),
    ...memory,
  };
}

export async function runConcurrentStreams({ tree, log = () => {} }) {
  const { db } = await ensureBenchData({ quiet: true });
  const results = [];
  const worker = await startBenchWorker(tree, db, 'streams');
  try {
    // The first request compiles and connects.
    await getCounted(worker.baseUrl + connectorPath(1, 1), REQUEST_HEADERS, TIMEOUT_MS);
    for (const version of VERSIONS) {
      for (const live of [false, true]) {
        log(`${STREAMS} × ${DAYS}-day v${version} JSON, ${live ? 'live heap' : 'peak'} pass...`);
        const r = await pass(worker, version, live);
        log(
          `  ${r.streams.map((s) => s.status ?? s.error).join(', ')} in ${fmt(r.wallMs / 1000, 1)} s; ` +
            `heap peak ${fmt(r.heapPeakMiB)}, +ext ${fmt(r.heapWithBackingPeakMiB)}, live ${fmt(r.liveHeapMiB)} MiB, ` +
            `RSS +${fmt(r.rssGrowthMiB)} MiB`,
        );
        results.push(r);
      }
    }
  } finally {
    await stopWorker(worker);
    rmSync(join(benchDir, `state-${process.pid}-streams`), { recursive: true, force: true });
  }
  // miniflare hands MINIFLARE_WORKERD_V8_FLAGS to the workerd it starts.
  const flagsBefore = process.env.MINIFLARE_WORKERD_V8_FLAGS;
  process.env.MINIFLARE_WORKERD_V8_FLAGS = LIMITED_V8_FLAGS;
  let limitedWorker;
  try {
    limitedWorker = await startBenchWorker(tree, db, 'streams-limited');
    await getCounted(limitedWorker.baseUrl + connectorPath(1, 1), REQUEST_HEADERS, TIMEOUT_MS);
    for (const version of VERSIONS) {
      log(`${STREAMS} × ${DAYS}-day v${version} JSON, peak pass with ${LIMITED_V8_FLAGS}...`);
      const r = await pass(limitedWorker, version, false, true);
      log(
        `  ${r.streams.map((s) => s.status ?? s.error).join(', ')} in ${fmt(r.wallMs / 1000, 1)} s; ` +
          `heap peak ${fmt(r.heapPeakMiB)}, +ext ${fmt(r.heapWithBackingPeakMiB)} MiB`,
      );
      results.push(r);
    }
  } finally {
    if (flagsBefore === undefined) delete process.env.MINIFLARE_WORKERD_V8_FLAGS;
    else process.env.MINIFLARE_WORKERD_V8_FLAGS = flagsBefore;
    await stopWorker(limitedWorker);
    rmSync(join(benchDir, `state-${process.pid}-streams-limited`), { recursive: true, force: true });
  }

  const lower = (r) => (r.heapMaxGapMs > 1_000 || !r.complete ? '≥ ' : '');
  const rows = results.map((r) => [
    `v${r.version} json`,
    r.live
      ? `live (GC every ${LIVE_EVERY_MS / 1000} s)`
      : r.limited
        ? `peak, V8 \`${LIMITED_V8_FLAGS}\``
        : 'peak',
    r.streams.map((s) => s.status ?? s.error).join(', '),
    r.complete ? 'yes' : 'NO',
    r.streams[0].rows.toLocaleString('en-US'),
    fmt(MiB(r.streams[0].bytes)),
    r.streams.map((s) => fmt(s.firstByteMs / 1000, 2)).join(', '),
    r.streams.map((s) => fmt(s.totalMs / 1000, 1)).join(', '),
    fmt(r.heapBeforeMiB),
    `${lower(r)}${fmt(r.heapPeakMiB)}`,
    `${lower(r)}${fmt(r.heapWithBackingPeakMiB)}`,
    r.live ? fmt(r.liveHeapMiB) : '–',
    r.live ? fmt(r.liveHeapUsedMiB) : '–',
    fmt(r.rssBeforeMiB, 0),
    fmt(r.rssGrowthMiB),
    fmt(r.cpuS, 1),
    `${r.heapSamples} / ${fmt(r.heapMaxGapMs, 0)}`,
  ]);
  const markdown = [
    `## Memory under concurrency: ${STREAMS} × ${DAYS}-day /dataconnector at once`,
    '',
    table(
      [
        'variant',
        'pass',
        'statuses',
        'all complete',
        'rows per stream',
        'MiB per stream',
        'first byte s',
        'total s',
        'heap before MiB',
        'heap peak MiB',
        'heap+ArrayBuffers peak MiB',
        'live heap (used+backing) MiB',
        'live used MiB',
        'RSS before MiB',
        'RSS growth MiB',
        'workerd CPU s',
        'heap samples / longest gap ms',
      ],
      rows,
    ),
    '',
    `Method. wrangler dev on the tree under test (as bench/run.mjs starts it; a 120 s query budget), warmed by one 1-day request. ${STREAMS} GETs of \`/dataconnector?from=…&to=…\` (${DAYS} days, v1 then v2 JSON, explicit window) sent together with the bench's one key pair (STREAM_MAX_PER_KEY defaults to 5, so all are admitted), each read to the end with node:http and counted (not kept); "all complete" = every stream 200 with the same byte and row count, a closed JSON document, and for v1 one row per placement and day. Before each pass the isolate is left idle and fully collected (\`HeapProfiler.collectGarbage\`). Peak pass: the inspector's \`Runtime.getHeapUsage\` polled every ~20 ms, the highest \`usedSize\` ("heap peak") and \`usedSize + backingStorageSize\` ("heap+ArrayBuffers": body chunks and socket buffers outside the V8 heap); garbage not yet collected counts, and V8 collects lazily far below workerd's local heap limit, so it is an upper bound on what the streams hold. Live pass: the same streams again, with a full GC every ${LIVE_EVERY_MS / 1000} s and the heap it leaves read at once (used + backing stores, the memory the streams actually hold); these GCs cost the isolate time. "≥" marks a peak read with answers more than 1 s apart or a failed stream (the isolate answers the inspector only between its tasks). workerd RSS: the process running the Workers, sampled every ~2 ms and VmHWM reset before the pass, growth over the RSS just before. Last, the peak pass again in a wrangler dev whose workerd runs V8 with \`${LIMITED_V8_FLAGS}\` (MINIFLARE_WORKERD_V8_FLAGS): locally workerd gives its isolates V8's default constraints, no heap limit at all, so the young generation grows to its largest semi-spaces (garbage counted until a scavenge) and the old one is collected lazily; with the flag V8 sizes both generations for a 128 MB heap, as it does for an embedder that limits the heap (production's isolates have 128 MB; their exact V8 settings are not public), and streams that needed more live memory than that would fail. One pass of each kind per variant.`,
  ].join('\n');

  const byVersion = (version, live) =>
    results.find((r) => r.version === version && r.live === live && !r.limited);
  const targets = [];
  for (const version of VERSIONS) {
    const livePass = byVersion(version, true);
    const peakPass = byVersion(version, false);
    const limitedPass = results.find((r) => r.version === version && r.limited);
    if (!livePass || !peakPass) continue;
    const tag = `${STREAMS} × ${DAYS}-day v${version} JSON`;
    const ok = livePass.complete && peakPass.complete;
    targets.push(
      {
        target: `${tag}: live heap < ${TARGETS.liveMiB} MiB`,
        result: ok && livePass.liveHeapMiB < TARGETS.liveMiB ? 'achieved' : 'not achieved',
        measured: `${fmt(livePass.liveHeapMiB)} MiB (used + backing after forced GCs)${ok ? '' : '; not every stream complete'}`,
      },
      {
        target: `${tag}: heap + ArrayBuffer stores < ${TARGETS.withBackingMiB} MiB`,
        result:
          ok && peakPass.heapWithBackingPeakMiB < TARGETS.withBackingMiB && !lower(peakPass)
            ? 'achieved'
            : 'not achieved',
        measured: `${lower(peakPass)}${fmt(peakPass.heapWithBackingPeakMiB)} MiB peak (polled, no forced GC, workerd's unlimited local heap); ${fmt(livePass.heapWithBackingPeakMiB)} MiB in the live pass`,
      },
    );
    if (limitedPass)
      targets.push({
        target: `${tag}: heap + ArrayBuffer stores < ${TARGETS.withBackingMiB} MiB, the heap sized for 128 MB (\`${LIMITED_V8_FLAGS}\`)`,
        result:
          limitedPass.complete &&
          limitedPass.heapWithBackingPeakMiB < TARGETS.withBackingMiB &&
          !lower(limitedPass)
            ? 'achieved'
            : 'not achieved',
        measured: `${lower(limitedPass)}${fmt(limitedPass.heapWithBackingPeakMiB)} MiB peak (polled, no forced GC), V8 heap ${fmt(limitedPass.heapPeakMiB)} MiB${limitedPass.complete ? '' : '; not every stream complete'}`,
      });
  }
  return { markdown, targets, raw: { results } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli('concurrent-streams', 'Memory under concurrency: four 365-day streams', runConcurrentStreams);
}
