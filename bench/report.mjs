// What `npm run bench` (bench/run.mjs) hands over: the Markdown report (bench/RESULTS.md by
// default), section by section in the order the parts ran, with the targets and the method, and
// the summary tables printed on the console at the end.
import { SWEEP_VARIANT, variantName } from './connector-cells.mjs';
import { DAYS, END_DATE, INSTANCE, PLACEMENTS, TEST_CLOCK } from './dataset.mjs';
import { fmt, heapFmt, sec, table } from './figures.mjs';
import { LIVE_HEAP_EVERY_MS } from './measure-request.mjs';
import { HEALTH } from './small-endpoints.mjs';
import { firstLine, issue20Targets } from './targets.mjs';

/**
 * An issue-20 part's section, lettered after (a)-(d): its one `## ` heading prefixed, or,
 * when its markdown has several, under a heading of its own with theirs one level down.
 */
function issue20Section({ letter, title, markdown, error }) {
  if (error)
    return `## (${letter}) ${title}\n\nNot measured: the part failed (${firstLine(error)}); see the log.\n`;
  const headings = markdown.match(/^## /gm)?.length ?? 0;
  if (headings === 1 && markdown.startsWith('## ')) return markdown.replace(/^## /, `## (${letter}) `);
  return `## (${letter}) ${title}\n\n${markdown.replace(/^(#{2,5}) /gm, '#$1 ')}`;
}

/**
 * The report's Markdown: `ctx` is what bench/run.mjs gathered (also written as the raw JSON),
 * `settings` the run's options (label, runs, cellBudgetMs, requestTimeoutMs, durationS, and
 * leftOut, the parts left out).
 */
export function report(ctx, settings) {
  const { facts, tree, data, floor, sqlSource, matrix, sweep, small, targets, issue20 } = ctx;
  const yes = (a) => (a === undefined ? 'not measured' : a ? '**achieved**' : '**not achieved**');
  const lines = [];
  lines.push(`# Benchmark results: commit ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
  lines.push('');
  if (settings.label) lines.push(`**${settings.label}**`, '');
  lines.push(
    `Measured ${facts.date} by \`npm run bench\` (bench/run.mjs) from ${tree.source}` +
      `${tree.dirty ? ` with ${tree.changes.length} uncommitted change(s)` : ''}. ` +
      `Total run time ${fmt(ctx.elapsedS / 60)} min. Re-run with \`npm run bench:data && npm run bench\`; ` +
      'raw figures of every run are in `bench/data/` (gitignored).' +
      (settings.leftOut.length
        ? ` Left out of this run (\`--skip\`/\`--only\`): ${settings.leftOut.join(', ')}.`
        : ''),
  );
  lines.push('');
  lines.push('## Machine');
  lines.push('');
  lines.push(
    table(
      ['what', 'value'],
      [
        ['CPU', `${facts.cpu}, ${facts.nproc} cores (nproc)`],
        ['memory', `${fmt(facts.memoryGiB)} GiB`],
        ['kernel', facts.kernel],
        ['Node', facts.node],
        ['wrangler / workerd', `${facts.wrangler} / ${facts.workerd}`],
        ['MariaDB', facts.mariadb],
        ['mysql2 / autocannon', `${facts.mysql2} / ${facts.autocannon}`],
        ['load average (1/5/15 min) at start', facts.loadavgStart.map((l) => fmt(l, 2)).join(' / ')],
        ['load average at end', facts.loadavgEnd.map((l) => fmt(l, 2)).join(' / ')],
      ],
    ),
  );
  lines.push('');
  lines.push(
    'The client (this script and autocannon), wrangler dev with its two workerd processes and MariaDB all share these cores; ' +
      'other work running on the machine at the same time shows up in the load average above and in the figures.',
  );
  lines.push('');
  lines.push('## Dataset');
  lines.push('');
  lines.push(
    `\`npm run bench:data\` (bench/load-data.mjs): instance \`${INSTANCE}\` of scripts/local-db.mjs (port 33308), schema from db/schema, no seed. ` +
      `1 account, 1 key pair; rows: ${Object.entries(data.counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', ')}; ${DAYS} days ending ${END_DATE}. ` +
      `Loaded in ${fmt(data.loadMs / 1000)} s${data.loaded ? ' during this run' : ' (earlier)'}. ` +
      `A window of N days is [${END_DATE} − (N − 1) days, ${END_DATE}]: N × ${PLACEMENTS.toLocaleString('en-US')} kpi rows. ` +
      'v2 drops rows whose counts are all zero (about 1 %), so its bodies have slightly fewer rows than its SQL.',
  );
  lines.push('');

  lines.push("## (a) Floor: the two bulk queries straight from Node, and (a') the Worker's own reads");
  lines.push('');
  lines.push(
    `SQL: ${sqlSource}. mysql2 ${facts.mysql2} text protocol (\`query()\`, the Worker's type cast: every column as a string), ` +
      'one open connection per database, names query then metrics query, every row read (row events, not kept). ' +
      `Median of up to ${settings.runs} runs (fewer when a cell would exceed ${settings.cellBudgetMs / 1000} s). ` +
      "(a') the same window as the Worker reads it (src/queries/metric-segments.ts metricSegments: consecutive date ranges, " +
      'each next one sent on a second connection as soon as the one before it starts being read), names query included; ' +
      'MariaDB sorts each range instead of the whole window, so this floor is lower than (a).',
  );
  lines.push('');
  lines.push(
    table(
      [
        'version',
        'days',
        'metric rows',
        'names ms',
        'metrics ms',
        'total ms',
        "(a') ranges",
        "(a') total ms",
        'runs',
      ],
      floor.map((f) => [
        `v${f.version}`,
        f.days,
        f.metricRows.toLocaleString('en-US'),
        fmt(f.namesMs, 0),
        fmt(f.metricsMs, 0),
        fmt(f.totalMs, 0),
        f.ownQueries ?? '',
        fmt(f.ownTotalMs, 0),
        f.runs,
      ]),
    ),
  );
  lines.push('');

  lines.push('## (b) + (c) Worker: /dataconnector through wrangler dev');
  lines.push('');
  lines.push(
    `\`wrangler dev\` (both Workers, local Hyperdrive to the bench instance, \`ENVIRONMENT=test\`, \`TEST_CLOCK=${TEST_CLOCK}\`, ` +
      `\`DB_QUERY_TIMEOUT_MS=${settings.requestTimeoutMs}\` so that the figures measure the work rather than the 10 s production query budget). ` +
      `Explicit from/to. Time to first body byte and to last byte, read with node:http (bench/worker.mjs readBody). Each cell first makes one memory run (instrumented as in Method: its time is not used), then up to ${settings.runs} timed runs without the heap polling and RSS sampling (at least one; fewer when a cell would exceed ${settings.cellBudgetMs / 1000} s): times, first byte and CPU are their medians; a request is aborted after ${settings.requestTimeoutMs / 1000} s. ` +
      'Rows are counted in the body (CSV lines, JSON objects). Ratio = Worker total / floor total of the same version and window, the two floor queries run just before each Worker run (paired floor; median over the runs), because the time MariaDB itself takes for a window varied by up to 40 % between runs minutes apart. ' +
      "Ratio (a') = the same to the Worker's own reads run just before it. " +
      'Memory columns: the memory run (see Method). CPU = workerd process CPU time during the request (all its threads). Runs = memory run + timed runs.',
  );
  lines.push('');
  lines.push(
    table(
      [
        'variant',
        'days',
        'rows',
        'MB',
        'first byte s',
        'total s',
        'paired floor s',
        'ratio',
        "paired (a') s",
        "ratio (a')",
        'over 10 s budget',
        'heap peak MiB',
        'heap+ext MiB',
        'RSS growth MiB',
        'CPU s',
        'runs',
        'result',
      ],
      matrix.map((c) =>
        c.skipped
          ? [variantName(c), c.days, ...Array(13).fill(''), 0, `not run: ${c.skipped}`]
          : [
              variantName(c),
              c.days,
              c.rows.toLocaleString('en-US'),
              fmt(c.bytes / 1e6),
              sec(c.firstByteMs),
              `${c.ok ? '' : '≥ '}${sec(c.totalMs)}`,
              c.floorMs ? sec(c.floorMs) : '',
              Number.isFinite(c.ratio) ? `${c.ok ? '' : '≥ '}${fmt(c.ratio, 2)}×` : '',
              Number.isFinite(c.ownFloorMs) ? sec(c.ownFloorMs) : '',
              Number.isFinite(c.ownRatio) ? `${c.ok ? '' : '≥ '}${fmt(c.ownRatio, 2)}×` : '',
              c.totalMs > 10_000 ? 'yes' : 'no',
              heapFmt(c, c.heapPeakMiB),
              heapFmt(c, c.heapWithBackingPeakMiB),
              fmt(c.rssDeltaMiB),
              fmt(c.cpuS, 2),
              c.runs,
              c.ok ? '200' : `${c.status}${c.error ? `: ${c.error}` : ''}`,
            ],
      ),
    ),
  );
  lines.push('');

  lines.push(`## (c) Memory against row count (${variantName(SWEEP_VARIANT)})`);
  lines.push('');
  lines.push(
    table(
      [
        'days',
        'kpi rows',
        'body MB',
        'total s',
        'heap before MiB',
        'heap peak MiB',
        'heap+ext MiB',
        'heap total MiB',
        'live heap MiB',
        'RSS before MiB',
        'RSS growth MiB',
        'result',
      ],
      sweep.map((c) =>
        c.skipped
          ? [
              c.days,
              (c.days * PLACEMENTS).toLocaleString('en-US'),
              ...Array(9).fill(''),
              `not run: ${c.skipped}`,
            ]
          : [
              c.days,
              (c.days * PLACEMENTS).toLocaleString('en-US'),
              fmt(c.bytes / 1e6),
              `${c.ok ? '' : '≥ '}${sec(c.totalMs)}`,
              fmt(c.heapBeforeMiB),
              heapFmt(c, c.heapPeakMiB),
              heapFmt(c, c.heapWithBackingPeakMiB),
              fmt(c.heapTotalPeakMiB),
              c.heapLiveSamples > 0 ? fmt(c.heapLivePeakMiB) : '–',
              fmt(c.rssBeforeMiB),
              fmt(c.rssDeltaMiB),
              c.ok ? '200' : `${c.status}${c.error ? `: ${c.error}` : ''}`,
            ],
      ),
    ),
  );
  lines.push('');

  lines.push('## (d) Small endpoints (autocannon)');
  lines.push('');
  lines.push(
    `autocannon ${facts.autocannon}, ${settings.durationS} s per endpoint and concurrency after a 200-request warm-up, keep-alive, loopback. ` +
      'Percentiles computed from every response time; requests/s = responses / duration. `/analytics/1` uses the default window (last 30 days before the pinned clock). ' +
      `\`${HEALTH}\` does no work (no key, no database): the floor of this harness, wrangler dev's ProxyWorker, its entry Worker and the client on the same two cores. The inspector session is closed before this part.`,
  );
  lines.push('');
  lines.push(
    table(
      ['endpoint', 'concurrency', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'statuses', 'errors'],
      small.map((s) => [
        `\`${s.path}\``,
        s.connections,
        s.requests,
        fmt(s.rps, 0),
        fmt(s.p50),
        fmt(s.p95),
        fmt(s.p99),
        Object.entries(s.statuses)
          .map(([k, v]) => `${k}×${v}`)
          .join(' '),
        s.errors + s.timeouts,
      ]),
    ),
  );
  lines.push('');

  for (const part of issue20) lines.push(issue20Section(part).trimEnd(), '');

  lines.push('## Targets of issue 6');
  lines.push('');
  lines.push(
    table(
      ['target', 'result', 'measured'],
      targets.map((t) => [t.target, yes(t.achieved), t.detail]),
    ),
  );
  lines.push('');

  if (issue20.length) {
    lines.push('## Targets of issue 20');
    lines.push('');
    lines.push(
      table(
        ['target', 'result', 'measured'],
        issue20Targets(issue20).map((t) => [t.target, `**${t.result}**`, t.measured]),
      ),
    );
    lines.push('');
  }

  lines.push('## Method and its limits');
  lines.push('');
  lines.push(
    [
      '- **Time.** Wall clock in the client from sending the request to the last body byte (and to the first body byte). Loopback only; the body is read as it arrives and counted, not kept. In (b) the timed runs are not instrumented: polling the heap over the inspector (every ~20 ms) interrupts the isolate, and the RSS sampler thread takes CPU from the same two cores; a run reading memory is made apart, first. The sweep (c) times instrumented runs and is not compared with (a).',
      "- **Floor.** (a) The two bulk statements of the window (names, then the whole window's metrics in one query), compiled by Kysely from src/queries/connector-names.ts and connector-metrics.ts (connectorMetrics) of the measured tree; (a') the statements the Worker actually sends (the metrics as the date ranges of metricSegments, in turn on two connections). Both from Node rather than from workerd, on warm connections: they leave out connection set-up, the conversion of rows and rendering. A ratio therefore is the whole cost of the Worker path over the bare database read.",
      `- **Isolate heap.** The bench connects to the inspector of the workerd process running the Workers (target \`core:user:<name>\`; wrangler's own inspector proxy is switched off with \`VSCODE_INSPECTOR_OPTIONS\` because it was seen reading an isolate whose heap never moved). Before each request it forces a full GC (\`HeapProfiler.collectGarbage\`, given a turn by a /__health request), so "heap before" is the live heap; during the request it polls \`Runtime.getHeapUsage\` every ~20 ms and reports the highest \`usedSize\` ("heap peak") and \`usedSize + backingStorageSize\` ("heap+ext": ArrayBuffer memory outside the V8 heap, e.g. body chunks). This is the closest local figure to the 128 MB isolate limit, with limits: (1) \`usedSize\` counts garbage not yet collected, and V8 collects lazily when far from its limit; locally that limit is workerd's V8 default (heap out of memory at about 1.4 GB when it was reached while this bench was written), not 128 MB, so a heap that stays under 64 MB here stays under it because little is allocated, and a higher peak is an upper bound on live memory, not proof that 128 MB would be exceeded; (2) the inspector answers only between the isolate's tasks, so a peak inside one long synchronous step (e.g. rendering a whole buffered body) is missed: a heap figure is marked "≥" (a lower bound) when two answers were more than 1 s apart or the request failed, and the RSS columns are then the better guide (samples and the longest gap per request are in the raw data). The memory sweep (c) also reads the **live heap**: every ${LIVE_HEAP_EVERY_MS / 1000} s during the request it forces a full GC (\`HeapProfiler.collectGarbage\`) and reads the heap it leaves (used + backing stores), the memory the stream actually holds; these GCs slow those requests slightly, so the sweep's times are not compared with (a). The inspector was ${ctx.inspector === 'available' ? 'available in this run' : `NOT available in this run (${ctx.inspector ?? 'not started'}), so heap columns are empty`}.`,
      '- **workerd RSS.** The process running the Workers (the workerd child of wrangler dev started with `--inspector-addr`, not the proxy in front of it): `/proc/<pid>/status` VmRSS sampled every ~2 ms on a separate thread, and VmHWM after resetting it (`echo 5 > /proc/<pid>/clear_refs`) just before the request; "RSS growth" is the peak minus the RSS just before the request. RSS includes the whole runtime (both Workers, the auth helper, Durable Objects, KV, socket and stream buffers) and V8 keeps freed pages mapped for a while, so growth after an earlier larger request is understated; it is a cross-check, not the isolate figure.',
      '- **Settling.** Before each measured request the bench waits until workerd uses ≤ 10 % of a core over 200 ms (at most 30 s), so an earlier request (or an aborted one) does not overlap the next.',
      '- **Counts and time are bounded:** runs per cell, a per-cell time budget, a per-request timeout (an aborted request is reported as "≥" its time) and skipping longer windows of a variant after a failure; see the options at the top of bench/run.mjs.',
      '- **(e)–(h)** (issue 20) each have their method and limits in their own section: bench/wan.mjs, bench/legacy.mjs, bench/cpu-per-request.mjs and bench/concurrent-streams.mjs, run here one after the other on the same snapshot after the wrangler dev of (b)–(d) was stopped, each with its own wrangler dev; each also runs alone (`npm run bench:wan`, `bench:legacy`, `bench:cpu-per-request`, `bench:streams`).',
    ].join('\n'),
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/** The summary printed on the console at the end: the tables of (b)-(d) and the targets. */
export function printTables(ctx) {
  const { matrix, sweep, small, targets } = ctx;
  console.log('\n(b)+(c) /dataconnector');
  console.table(
    matrix.map((c) => ({
      variant: variantName(c),
      days: c.days,
      rows: c.rows,
      MB: c.bytes === undefined ? '' : fmt(c.bytes / 1e6),
      'total s': c.skipped ? 'skipped' : `${c.ok ? '' : '≥'}${sec(c.totalMs)}`,
      'floor s': c.floorMs ? sec(c.floorMs) : '',
      ratio: Number.isFinite(c.ratio) ? `${c.ok ? '' : '≥'}${fmt(c.ratio, 2)}` : '',
      'heap MiB': heapFmt(c, c.heapWithBackingPeakMiB),
      'RSS+ MiB': fmt(c.rssDeltaMiB),
      result: c.skipped ? c.skipped : c.ok ? 200 : `${c.status} ${c.error ?? ''}`,
    })),
  );
  console.log('(c) memory against row count');
  console.table(
    sweep.map((c) => ({
      days: c.days,
      rows: c.days * PLACEMENTS,
      'heap MiB': c.skipped ? 'skipped' : heapFmt(c, c.heapWithBackingPeakMiB),
      'RSS+ MiB': c.skipped ? '' : fmt(c.rssDeltaMiB),
      result: c.skipped ?? (c.ok ? 200 : `${c.status} ${c.error ?? ''}`),
    })),
  );
  console.log('(d) small endpoints');
  console.table(
    small.map((s) => ({
      endpoint: s.path,
      c: s.connections,
      'req/s': fmt(s.rps, 0),
      p50: fmt(s.p50),
      p95: fmt(s.p95),
      p99: fmt(s.p99),
    })),
  );
  console.log('targets');
  for (const t of targets)
    console.log(`  ${t.achieved === undefined ? '?' : t.achieved ? '✓' : '✗'} ${t.target}: ${t.detail}`);
  if (ctx.issue20.length) {
    console.log('targets of issue 20');
    for (const t of issue20Targets(ctx.issue20))
      console.log(
        `  ${t.result === 'achieved' ? '✓' : t.result === 'not achieved' ? '✗' : '?'} ${t.target}: ${t.measured}`,
      );
  }
}
