// The Markdown of bench/wan.mjs: per delay the round trips and p50/p95 of every endpoint beside
// the legacy's, the sequential queries behind the counts, the bodies of both sides compared, the
// method and its limits, and the targets judged on the cells.
import { CLICK_DAYS } from './dataset.mjs';
import { fmt, table } from './figures.mjs';
import { ORACLE_NOW } from './legacy-server.mjs';
import { CACHED_TTL_MS, ENDPOINTS, LEGACY_WORKERS, WARMUP } from './wan-settings.mjs';

/**
 * The report of runWan's cells and bodies: the tables per delay, the sequential queries, the
 * bodies of both sides, the method, and the targets. `requests`: the requests per cell of the run;
 * `spellingsUsed`: the fresh key spellings it sent. Returns { markdown, targets, raw }.
 */
export function report({ cells, bodies, delays, requests, spellingsUsed }) {
  const find = (q) => cells.find((c) => Object.entries(q).every(([k, v]) => c[k] === v));
  const pp = (c) =>
    c
      ? `${fmt(c.p50, 0)} / ${fmt(c.p95, 0)}${c.ok < c.requests ? ` (${c.requests - c.ok} failed)` : ''}`
      : '–';
  const rt = (c) => {
    if (!c?.roundTrips) return '–';
    const { median: m, min, max } = c.roundTrips;
    return min === max ? String(m) : `${m} (${min}–${max})`;
  };
  const label = (e) => `\`${e.path}\`${e.stream ? ' (first byte)' : ''}`;
  const sections = [];
  for (const delayMs of delays) {
    const rows = ENDPOINTS.map((e) => {
      const w = (concurrency, auth) => find({ side: 'worker', delayMs, path: e.path, concurrency, auth });
      const l = (concurrency) => find({ side: 'legacy', path: e.path, concurrency });
      return [
        label(e),
        rt(w(1, 'cached')),
        rt(w(1, 'uncached')),
        pp(w(1, 'cached')),
        pp(w(1, 'uncached')),
        pp(w(10, 'cached')),
        pp(w(10, 'uncached')),
        e.legacy ? pp(l(1)) : 'not run',
        e.legacy ? pp(l(10)) : 'not run',
      ];
    });
    sections.push(
      `## WAN latency D = ${delayMs} ms each way (round trip ${2 * delayMs} ms)`,
      '',
      table(
        [
          'endpoint',
          'DB round trips, auth cached',
          'DB round trips, auth not cached',
          'c1 p50 / p95 ms, cached',
          'c1 p50 / p95 ms, not cached',
          'c10 p50 / p95 ms, cached',
          'c10 p50 / p95 ms, not cached',
          'legacy PHP c1 p50 / p95 ms (D = 0)',
          'legacy PHP c10 p50 / p95 ms (D = 0)',
        ],
        rows,
      ),
      '',
    );
  }

  const maxD = Math.max(...delays);
  const chainRows = ENDPOINTS.map((e) => {
    const c = find({ side: 'worker', delayMs: maxD, path: e.path, concurrency: 1, auth: 'cached' });
    const steps = c?.chains?.[0]?.steps ?? [];
    return [
      label(e),
      String(steps.length),
      steps.length
        ? steps.map((s) => `\`${s.replace(/#\d+/, '').replaceAll('|', '\\|')}\``).join('<br>')
        : 'none: the answer needs only the key check, whose answer the isolate holds',
    ];
  });
  sections.push(
    `## The sequential queries, D = ${maxD} ms, auth cached (the most frequent chain per endpoint; SQL without the SET STATEMENT wrapper and optimizer hints every query carries)`,
    '',
    table(['endpoint', 'round trips', 'queries in turn (database: first 80 characters)'], chainRows),
    '',
  );

  const bodyRows = ENDPOINTS.map((e) => {
    const b = bodies[e.path];
    const same =
      b.worker.status === 200 &&
      b.legacy?.status === 200 &&
      b.worker.bytes === b.legacy.bytes &&
      b.worker.sha256 !== undefined &&
      b.worker.sha256 === b.legacy.sha256;
    return [
      label(e).replace(' (first byte)', ''),
      `${b.worker.status ?? b.worker.error} ${b.worker.bytes}`,
      `${b.legacy?.status ?? b.legacy?.error ?? '–'} ${b.legacy?.bytes ?? ''}`,
      same ? 'same' : '**differs**',
    ];
  });
  sections.push(
    '## Same data on both sides',
    '',
    table(['endpoint', 'Worker status, body bytes', 'legacy status, body bytes', 'body (SHA-256)'], bodyRows),
    '',
  );

  const lateness = cells.flatMap((c) => c.lateness ?? []);
  const maxLate = Math.max(0, ...lateness.map((l) => l.maxMs));
  const spellingsNote = `${spellingsUsed} fresh spellings were used`;
  sections.push(
    '## Method and its limits',
    '',
    `- **What is delayed.** One TCP proxy per database (console, aggregate; bench/latency-proxy.mjs) between the Hyperdrive bindings of both Workers (the Public API and the auth helper, wrangler dev's local Hyperdrive connection strings) and the bench MariaDB. From the first command a client sends after the MySQL handshake (sequence id 0), every chunk in either direction leaves the proxy D ms after it arrived, in arrival order per direction (one timer chain per direction and connection); the greeting, the handshake response, the server's OK (and any auth exchange) pass undelayed, since in production the connection and its handshake are with Hyperdrive at the edge and only commands travel to the database region. A query therefore costs 2·D more than on loopback. The proxies run in the client's process: the latest a delayed chunk left after its due time was ${fmt(maxLate, 1)} ms in the concurrency-1 cells (raw data, \`lateness\`).`,
    `- **What is counted.** At concurrency 1 the proxies record every command (connection, SQL of COM_QUERY, the time the client sent it, before the delay, and the time the first and last bytes of its answer reached the client). For each request, the commands sent after the request started whose answer began to arrive before the response ended (for a streamed body: before its first body byte; an answer still streaming then counts until then) form intervals [sent, answered]; the count is the longest chain of them that do not overlap (earliest answer first), so queries sent together on several connections count once and each query that had to wait for an answer counts again. The tables give the median over the ${requests[1]} requests, with the range when they differ; every request's count and the distinct chains with their SQL are in the raw data. Before each counted request the bench waits until the proxies are idle (no command unanswered, nothing queued, no byte for 20 ms: a dropped connector stream's rows may still be flowing). Round trips are counted at every D and should agree: a count that differs between D values means an overlap that depends on timing.`,
    `- **Auth cached / not cached.** Cached: the Public API Worker's isolate holds the auth helper's answer (AUTH_CACHE_TTL_MS = ${CACHED_TTL_MS} for this run so that it never expires within a cell; production's 5 s is renewed by any request within 5 s). Not cached: AUTH_CACHE_TTL_MS = 0 would turn the isolate's cache off, but the auth helper keeps its own KV cache of answers (5 minutes, CACHE_TTL_VALID_S in auth-helper/src/kv-cache.ts, no setting), so the helper would not query the database either. Instead every request sends a case spelling of the key pair never sent before (the database's utf8mb4_unicode_ci holds them equal, both caches are keyed by the spelling): both caches miss and the helper looks the pair up in the console database, the cost of a first request of a key pair (${spellingsNote}). The middle case (isolate cache expired, KV entry warm) adds no database round trip; its KV read is not simulated here.`,
    `- **Requests.** node:http in this process, keep-alive, each connection one request at a time: ${WARMUP[1]} warm-up then ${requests[1]} requests at concurrency 1, ${WARMUP[10]} then ${requests[10]} at concurrency 10 (${ENDPOINTS.find((e) => e.c10)?.c10} for the connectors), per cell, headers of bench/dataset.mjs (the key's allowance is high; STREAM_MAX_PER_KEY = 100 so that ten connector streams of one key may run at once). Time = from sending the request to the last body byte; for \`/clickthroughs\` (read whole) and the connectors (\`/connector\`, \`/dataconnector\`, default 30-day windows, the connection dropped after the first body byte) to the first body byte. p50/p95 over the answers of a cell (nearest rank). The Workers run under wrangler dev (its ProxyWorker hop included) with the test clock pinned to the dataset's last day. The bench dataset has no clickthrough rows; this bench adds ${CLICK_DAYS * 20} to aggregate.clickthrough_daily for campaign 1 (10 placements × 2 click names × ${CLICK_DAYS} days) so that \`/clickthroughs\` streams rows. A dropped connector stream may keep the Worker busy after the client left; the concurrency-1 cells wait until its rows stop, the concurrency-10 cells do not, so their connector figures include that work.`,
    `- **The legacy.** The runnable legacy PHP (scripts/legacy-oracle.mjs, \`php -S\` with ${LEGACY_WORKERS} workers and OPcache on, as PHP-FPM runs it, memory_limit unlimited) on the same bench databases without a proxy (D = 0: it sits next to the database), clock pinned to ${ORACLE_NOW} New York (X-Oracle-Now), its rate limit reset before each cell; same endpoints, requests and percentiles. php -S closes every connection after its answer, so it reconnects per request. The connectors are not timed on the PHP side (it builds the whole body before its first byte: bench/legacy.mjs measures /dataconnector), only their bodies are compared (SHA-256 of each whole body, "Same data on both sides"; \`npm run parity:scale\` compares every format and window byte for byte).`,
    "- **Limits.** A fixed delay with no jitter, bandwidth limit or loss; the Worker, the auth helper and its Durable Objects and KV are all local (their hops cost nothing here), wrangler dev opens a new MySQL connection per request (the handshake is free, as with Hyperdrive at the edge, but Hyperdrive's own pooling is not modelled). The machine has 2 shared cores; the client, the proxies, wrangler dev, workerd and MariaDB share them, which shows in the concurrency-10 figures more than in the counts.",
    '',
  );

  // Targets
  const small = ENDPOINTS.filter((e) => !e.stream);
  const rtOf = (e) =>
    find({ side: 'worker', delayMs: maxD, path: e.path, concurrency: 1, auth: 'cached' })?.roundTrips;
  const over = (list, limit) =>
    list.map((e) => ({ e, r: rtOf(e) })).filter(({ r }) => !r || r.median > limit);
  const listRt = (list) => list.map((e) => `${e.path} ${rtOf(e)?.median ?? '–'}`).join(', ');
  const smallOver = over(small, 2);
  const connectors = ENDPOINTS.filter((e) => e.stream === 'abort');
  const connectorsOver = over(connectors, 3);
  const readWhole = ENDPOINTS.filter((e) => e.stream === 'read');
  // Judged on the non-streaming endpoints, which the issue's 2 × 50 + 25 ms is for; the streams'
  // first byte (/clickthroughs, the connectors) is shown beside them, not judged.
  const streamed = ENDPOINTS.filter((e) => e.stream);
  const d25 = delays.includes(25);
  const p50Of = (e) =>
    find({ side: 'worker', delayMs: 25, path: e.path, concurrency: 1, auth: 'cached' })?.p50;
  const p50Over = small.filter((e) => !(p50Of(e) <= 125));
  const targets = [
    {
      target: '≤ 2 sequential DB round trips on every non-streaming endpoint, auth cached',
      result: smallOver.length ? 'not achieved' : 'achieved',
      measured: `median at D = ${maxD} ms: ${listRt(small)}`,
    },
    {
      target: "≤ 3 before a connector's first byte",
      result: connectorsOver.length ? 'not achieved' : 'achieved',
      measured: `median at D = ${maxD} ms, auth cached: ${listRt(connectors)} (${listRt(readWhole)})`,
    },
    {
      target: 'p50 at D = 25 ms ≤ 125 ms for every small (non-streaming) endpoint (c1, auth cached)',
      result: !d25 ? 'not achieved' : p50Over.length ? 'not achieved' : 'achieved',
      measured: d25
        ? `${small.map((e) => `${e.path} ${fmt(p50Of(e), 0)} ms`).join(', ')}; ` +
          `not judged (streams, to their first byte): ${streamed.map((e) => `${e.path} ${fmt(p50Of(e), 0)} ms`).join(', ')}`
        : 'D = 25 ms not measured',
    },
  ];
  const raw = { cells, bodies, spellingsUsed };
  return { markdown: sections.join('\n'), targets, raw };
}
