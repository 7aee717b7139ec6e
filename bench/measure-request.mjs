// One /dataconnector request to the Worker under wrangler dev (bench/worker.mjs), timed from the
// client (first and last body byte, bytes, rows counted in the body) and, when instrumented, with
// the memory readings of (c): the isolate's V8 heap over workerd's inspector and the workerd
// process RSS. The cells of bench/connector-cells.mjs are made of these requests.
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { rowCounter } from './counted-body.mjs';
import { KEY_HEADERS } from './dataset.mjs';
import { MiB, max } from './figures.mjs';
import { cpuSeconds, readBody, rssOf, settle } from './worker.mjs';

/** How often the sweep forces a full GC during a request to read the live heap (see Method). */
export const LIVE_HEAP_EVERY_MS = 1_000;

/**
 * One request, timed. `instrument` (default): with the memory readings of (c) (a full GC before,
 * the isolate's heap polled over the inspector, workerd's RSS sampled every ~2 ms), which cost the
 * isolate and the machine time of their own; the matrix (b) times runs without them. The request
 * is aborted after `requestTimeoutMs`.
 */
export async function measure(
  worker,
  path,
  format,
  { liveHeap = false, instrument = true, requestTimeoutMs },
) {
  const pid = worker.workerdPid;
  await settle(pid);
  const inspector = instrument ? worker.inspector : undefined;
  const heap = {
    before: undefined,
    maxUsed: Number.NaN,
    maxTotal: Number.NaN,
    maxWithBacking: Number.NaN,
    maxLive: Number.NaN,
    liveSamples: 0,
    samples: 0,
  };
  const noteHeap = (h) => {
    heap.maxUsed = max([heap.maxUsed, h.usedSize]);
    heap.maxTotal = max([heap.maxTotal, h.totalSize]);
    heap.maxWithBacking = max([heap.maxWithBacking, h.usedSize + (h.backingStorageSize ?? 0)]);
    heap.samples++;
  };
  if (inspector) {
    try {
      // A full GC first, so that garbage of earlier requests does not count as this one's.
      // workerd runs inspector commands only when the isolate gets a turn: a /__health request
      // gives it one.
      const gc = inspector.call('HeapProfiler.collectGarbage', {}, 5_000);
      await fetch(`${worker.baseUrl}/__health`)
        .then((r) => r.arrayBuffer())
        .catch(() => {});
      await gc;
      heap.collected = true;
    } catch {
      heap.collected = false;
    }
  }
  const before = rssOf(pid);
  let hwmReset = false;
  if (instrument)
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      hwmReset = true;
    } catch {}
  if (inspector) {
    try {
      heap.before = await inspector.heapUsage();
      noteHeap(heap.before);
    } catch {}
  }
  const cpuBefore = cpuSeconds(pid);
  if (instrument) worker.sampler.start();
  let polling = Boolean(inspector);
  // The longest stretch without an answer: the isolate answers only between its tasks, so a long
  // one (e.g. rendering a whole buffered body) hides its peak; such a figure is a lower bound.
  heap.maxGapMs = 0;
  const poller = (async () => {
    let last = performance.now();
    // The first live reading soon after the start (short requests get one too), then every period.
    let lastGc = performance.now() - LIVE_HEAP_EVERY_MS + 100;
    while (polling) {
      try {
        if (liveHeap && performance.now() - lastGc >= LIVE_HEAP_EVERY_MS) {
          // What is still reachable mid-stream: a full GC, then the heap it left.
          await inspector.call('HeapProfiler.collectGarbage', {}, 5_000);
          const live = await inspector.heapUsage(2_000);
          heap.maxLive = max([heap.maxLive, live.usedSize + (live.backingStorageSize ?? 0)]);
          heap.liveSamples++;
          lastGc = performance.now();
          last = lastGc; // the GC's own duration is not a gap in the isolate's answers
        } else noteHeap(await inspector.heapUsage(2_000));
      } catch {}
      const now = performance.now();
      if (heap.samples > 0) heap.maxGapMs = Math.max(heap.maxGapMs, now - last);
      last = now;
      await sleep(20);
    }
  })();

  const result = { path, status: undefined, bytes: 0, rows: 0, aborted: false, error: undefined };
  const counter = rowCounter(format);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), requestTimeoutMs);
  const start = performance.now();
  try {
    const response = await readBody(worker.baseUrl + path, KEY_HEADERS, {
      signal: abort.signal,
      onChunk(chunk) {
        result.firstByteMs ??= performance.now() - start;
        result.bytes += chunk.byteLength;
        counter.push(chunk);
      },
    });
    result.status = response.status;
  } catch (error) {
    result.aborted = abort.signal.aborted;
    result.error = result.aborted
      ? `aborted after ${requestTimeoutMs / 1000} s`
      : `${error.cause?.message ?? error.message}`;
  } finally {
    clearTimeout(timer);
  }
  result.totalMs = performance.now() - start;
  result.rows = counter.rows;
  polling = false;
  await poller;
  const rss = instrument ? await worker.sampler.stop() : { peakKb: Number.NaN, samples: 0 };
  if (inspector) {
    try {
      heap.after = await inspector.heapUsage(5_000);
      noteHeap(heap.after);
    } catch {}
  }
  const after = rssOf(pid);
  result.cpuS = cpuSeconds(pid) - cpuBefore;
  result.ok = result.status === 200 && !result.error;
  result.rssBeforeMiB = before.rssKb / 1024;
  result.rssPeakMiB = Math.max(rss.peakKb, hwmReset ? after.hwmKb : 0) / 1024;
  result.rssDeltaMiB = result.rssPeakMiB - result.rssBeforeMiB;
  result.rssSamples = rss.samples;
  result.heapBeforeMiB = heap.before ? MiB(heap.before.usedSize) : Number.NaN;
  result.heapPeakMiB = MiB(heap.maxUsed);
  result.heapTotalPeakMiB = MiB(heap.maxTotal);
  result.heapWithBackingPeakMiB = MiB(heap.maxWithBacking);
  result.heapLivePeakMiB = MiB(heap.maxLive);
  result.heapLiveSamples = heap.liveSamples;
  result.heapSamples = heap.samples;
  result.heapMaxGapMs = heap.maxGapMs;
  // Answers more than 1 s apart: the peak may have been missed.
  result.heapLowerBound = !inspector || heap.maxGapMs > 1_000 || !result.ok;
  result.heapCollected = heap.collected;
  return result;
}
