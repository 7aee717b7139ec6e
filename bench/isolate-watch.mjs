// The public Worker's isolate watched over a stretch of requests (bench/legacy.mjs,
// bench/concurrent-streams.mjs): its heap polled over workerd's inspector, its live heap after
// forced GCs, and the RSS and CPU of the workerd running it.
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { MiB } from './figures.mjs';
import { cpuSeconds, rssOf } from './worker.mjs';

/** A full GC of the public isolate; a /__health request gives the isolate the turn it needs. */
export async function collectGarbage(worker) {
  if (!worker.inspector) return false;
  try {
    const gc = worker.inspector.call('HeapProfiler.collectGarbage', {}, 10_000);
    await fetch(`${worker.baseUrl}/__health`)
      .then((r) => r.arrayBuffer())
      .catch(() => {});
    await gc;
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches the public isolate and the workerd running it from now until stop(): heap usage polled
 * every ~20 ms (peak used, and used + backingStorageSize: ArrayBuffers outside the V8 heap),
 * with `liveEveryMs` a full GC that often and the heap it leaves (the live heap), workerd's RSS
 * sampled every ~2 ms and its VmHWM (reset now), and its CPU.
 */
export async function watchIsolate(worker, { liveEveryMs = 0 } = {}) {
  const pid = worker.workerdPid;
  const inspector = worker.inspector;
  const max = (a, b) => (Number.isFinite(a) ? Math.max(a, b) : b);
  const s = {
    maxUsed: Number.NaN,
    maxWithBacking: Number.NaN,
    maxLive: Number.NaN,
    maxLiveUsed: Number.NaN,
    samples: 0,
    liveSamples: 0,
    maxGapMs: 0,
  };
  const note = (h) => {
    s.maxUsed = max(s.maxUsed, h.usedSize);
    s.maxWithBacking = max(s.maxWithBacking, h.usedSize + (h.backingStorageSize ?? 0));
    s.samples++;
  };
  const before = rssOf(pid);
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM := current RSS
    hwmReset = true;
  } catch {}
  let heapBefore;
  if (inspector)
    try {
      heapBefore = await inspector.heapUsage(5_000);
      note(heapBefore);
    } catch {}
  const cpuBefore = cpuSeconds(pid);
  worker.sampler.start();
  let polling = Boolean(inspector);
  const poller = (async () => {
    let last = performance.now();
    let lastGc = performance.now() - liveEveryMs + 100;
    while (polling) {
      try {
        if (liveEveryMs && performance.now() - lastGc >= liveEveryMs) {
          await inspector.call('HeapProfiler.collectGarbage', {}, 10_000);
          const live = await inspector.heapUsage(5_000);
          s.maxLive = max(s.maxLive, live.usedSize + (live.backingStorageSize ?? 0));
          s.maxLiveUsed = max(s.maxLiveUsed, live.usedSize);
          s.liveSamples++;
          lastGc = performance.now();
          last = lastGc;
        } else note(await inspector.heapUsage(2_000));
      } catch {}
      const now = performance.now();
      if (s.samples > 0) s.maxGapMs = Math.max(s.maxGapMs, now - last);
      last = now;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      polling = false;
      await poller;
      const rss = await worker.sampler.stop();
      if (inspector)
        try {
          note(await inspector.heapUsage(5_000));
        } catch {}
      const after = rssOf(pid);
      const peakKb = Math.max(rss.peakKb, hwmReset ? after.hwmKb : 0);
      return {
        cpuS: cpuSeconds(pid) - cpuBefore,
        heapBeforeMiB: heapBefore ? MiB(heapBefore.usedSize) : Number.NaN,
        heapPeakMiB: MiB(s.maxUsed),
        heapWithBackingPeakMiB: MiB(s.maxWithBacking),
        liveHeapMiB: MiB(s.maxLive),
        liveHeapUsedMiB: MiB(s.maxLiveUsed),
        heapSamples: s.samples,
        liveSamples: s.liveSamples,
        heapMaxGapMs: s.maxGapMs,
        rssBeforeMiB: before.rssKb / 1024,
        rssPeakMiB: peakKb / 1024,
        rssGrowthMiB: (peakKb - before.rssKb) / 1024,
        rssSamples: rss.samples,
      };
    },
  };
}
