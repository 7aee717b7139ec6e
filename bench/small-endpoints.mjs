// (d) of `npm run bench` (bench/run.mjs): the small endpoints under load, with autocannon at a few
// concurrencies through the wrangler dev of (b) and (c), beside a request that does no work; each
// run's latency percentiles and requests/s.
import autocannon from 'autocannon';
import { KEY_HEADERS } from './dataset.mjs';
import { fmt, percentile } from './figures.mjs';
import { settle } from './worker.mjs';

const SMALL = ['/advertisers', '/campaigns/1', '/analytics/1'];
/**
 * Measured first, beside them: a request that does no work (no key, no database), through the same
 * wrangler dev path. Not one of the target's endpoints: the harness's own floor on this machine.
 */
export const HEALTH = '/__health';
const CONCURRENCY = [1, 10, 50];

function cannon(options) {
  const latencies = [];
  const statuses = {};
  const instance = autocannon({ timeout: 10, ...options, headers: KEY_HEADERS });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  return new Promise((resolveRun, reject) => {
    instance.on('done', (result) => resolveRun({ result, latencies, statuses }));
    instance.on('error', reject);
  });
}

/**
 * (d): every endpoint at every concurrency for `settings.durationS`, after a warm-up. `bench` is
 * the run's context from bench/run.mjs: `settings`, `log`, `worker` (wrangler dev as it runs now)
 * and `ensureWorker()`, which restarts it when its workerd is gone.
 */
export async function runSmall(bench) {
  const { settings, log } = bench;
  const results = [];
  // The heap is not read here, and an attached DevTools session is sent every console line (the
  // request log), which costs isolate time on every request (bench:cpu).
  bench.worker?.inspector?.close();
  if (bench.worker) bench.worker.inspector = undefined;
  for (const path of [HEALTH, ...SMALL]) {
    await bench.ensureWorker();
    const url = bench.worker.baseUrl + path;
    await settle(bench.worker.workerdPid);
    await cannon({ url, connections: 10, amount: 200 }); // warm-up, not recorded
    for (const connections of CONCURRENCY) {
      await settle(bench.worker.workerdPid);
      const { result, latencies, statuses } = await cannon({
        url,
        connections,
        duration: settings.durationS,
      });
      const sorted = latencies.sort((a, b) => a - b);
      const row = {
        path,
        connections,
        requests: sorted.length,
        durationS: result.duration,
        rps: sorted.length / result.duration,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
      };
      results.push(row);
      log(
        `small ${path} c=${connections}: ${row.requests} req, ${fmt(row.rps, 0)} req/s, p50 ${fmt(row.p50)} ms, p95 ${fmt(row.p95)} ms, p99 ${fmt(row.p99)} ms, statuses ${JSON.stringify(statuses)}${row.errors ? `, ${row.errors} errors` : ''}`,
      );
    }
  }
  return results;
}
