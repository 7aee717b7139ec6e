// The Markdown of bench/cpu-per-request.mjs: CPU per request of the Worker beside the legacy PHP,
// the floors under the Worker's figures, where the Worker's CPU goes (the V8 profile), the method
// of each, and the targets judged on the cells.
import os from 'node:os';
import {
  CONCURRENCY,
  ENDPOINTS,
  FLOOR_PATH,
  LEGACY_WORKERS,
  REQUESTS,
  WARMUP,
} from './cpu-per-request-cells.mjs';
import { PROFILE_INTERVAL_US, PROFILE_SECONDS } from './cpu-per-request-profile.mjs';
import { fmt, table } from './figures.mjs';

/** The report of the cells and profiles runCpuPerRequest measured: { markdown, targets }. */
export function report({ cells, profiles }) {
  const get = (side, path, c) => cells.find((x) => x.side === side && x.path === path && x.c === c);
  const ms = (v) => fmt(v, 2);
  const cpuRows = [];
  for (const path of ENDPOINTS)
    for (const c of CONCURRENCY) {
      const w = get('Worker', path, c);
      const p = get('PHP', path, c);
      const o = get('PHP + OPcache', path, c);
      const status = [w, p, o].every((x) => x.ok === x.requests) ? 'all 2xx' : 'NOT all 2xx';
      cpuRows.push([
        path,
        String(c),
        ms(w.perRequestMs.workerd),
        ms(w.perRequestMs.proxy),
        ms(w.perRequestMs.node),
        ms(w.perRequestMs.mariadbd),
        ms(p.perRequestMs.php),
        ms(p.perRequestMs.mariadbd),
        ms(o.perRequestMs.php),
        ms(o.perRequestMs.mariadbd),
        `${fmt(w.perRequestMs.workerd / Math.min(p.perRequestMs.php, o.perRequestMs.php), 2)}×`,
        `${fmt(w.p50, 1)} / ${fmt(p.p50, 1)} / ${fmt(o.p50, 1)}`,
        `${fmt(w.rps, 0)} / ${fmt(p.rps, 0)} / ${fmt(o.rps, 0)}`,
        `${fmt(w.dbConnectionsPerRequest, 2)} / ${fmt(p.dbConnectionsPerRequest, 2)}`,
        `${fmt(w.dbStatementsPerRequest, 2)} / ${fmt(p.dbStatementsPerRequest, 2)}`,
        status,
      ]);
    }

  const floorRows = [];
  for (const [side, path, what] of [
    [
      'Worker',
      FLOOR_PATH,
      "the Worker's /__health: every middleware and the request line; no key, database or Durable Object",
    ],
    ['Constant', '/', 'a Worker answering a constant body: the runtime alone'],
    ['Constant', '/logged', 'the same, writing two log lines of the Worker’s size first (console.log)'],
    [
      'Constant',
      '/db',
      'the same, first running /advertisers’s statement with a minimal hand-written MySQL client (bench/floor-worker.js: connect, handshake, the rows read to their end undecoded, COM_QUIT): one statement on the wire, no client library',
    ],
    [
      'Constant + assets',
      '/',
      'the same constant Worker with the Worker’s [assets] block: wrangler dev’s asset router and RPC proxy before it, as before the Worker',
    ],
  ])
    for (const c of CONCURRENCY) {
      const x = get(side, path, c);
      floorRows.push([
        what,
        String(c),
        ms(x.perRequestMs.workerd),
        ms(x.perRequestMs.proxy),
        ms(x.perRequestMs.node),
        `${fmt(x.p50, 1)}`,
        `${fmt(x.rps, 0)}`,
        `${fmt(x.dbConnectionsPerRequest, 2)} / ${fmt(x.dbStatementsPerRequest, 2)}`,
        x.ok === x.requests ? 'all 2xx' : 'NOT all 2xx',
      ]);
    }

  const sections = [
    '## CPU per request: Worker against the legacy PHP',
    '',
    table(
      [
        'endpoint',
        'c',
        'Worker workerd ms',
        'dev proxy workerd ms',
        'dev wrangler node ms',
        'MariaDB (Worker) ms',
        'PHP ms',
        'MariaDB (PHP) ms',
        'PHP+OPcache ms',
        'MariaDB (PHP+OPcache) ms',
        'Worker / lower PHP',
        'p50 ms W / PHP / OPc',
        'req/s W / PHP / OPc',
        'DB connections per request W / PHP',
        'DB statements per request W / PHP',
        'status',
      ],
      cpuRows,
    ),
    '',
    '### The floors under the Worker figures, on the same path',
    '',
    table(
      [
        'served',
        'c',
        'workerd ms',
        'dev proxy workerd ms',
        'dev wrangler node ms',
        'p50 ms',
        'req/s',
        'DB connections / statements per request',
        'status',
      ],
      floorRows,
    ),
    '',
    `Method. For each endpoint and concurrency c: ${WARMUP} requests of warm-up, a wait until the server is idle, then ${REQUESTS} requests from node:http in this process (c connections, each one request at a time, HTTP/1.1 keep-alive; php -S closes every connection, so the PHP side reconnects per request), and the CPU time (utime + stime from /proc/<pid>/stat, 10 ms ticks) each process used over those ${REQUESTS}, per request. Worker: wrangler dev on the tree under test, its local Hyperdrive connecting to the bench MariaDB (a new MySQL connection per request, as through Hyperdrive), the auth answer cached by the public Worker's isolate (warm); "Worker workerd" is the workerd process running both Workers and the Durable Objects, the one figure that exists in production; wrangler dev's ProxyWorker workerd and its node exist only in dev. PHP: the runnable legacy (scripts/legacy-oracle.mjs, \`php -S\` with ${LEGACY_WORKERS} workers, all php processes summed, the key checked in the database on every request as the legacy did) as shipped, which compiles every script on every request because OPcache is off for the CLI, and with \`opcache.enable_cli=1\` (how PHP-FPM runs it in production). MariaDB = the bench mariadbd during the same requests (the two sides do not send the same queries); DB connections and statements per request from its \`Connections\` and \`Questions\` counters over the same requests. The floors: the same cells for the Worker's \`${FLOOR_PATH}\` in the same wrangler dev, and for two Workers answering a constant body (the tree's compatibility date and flags) in a wrangler dev of their own, at \`/\`, at \`/logged\`, where one first writes two log lines the size of the Worker's, and at \`/db\`, where it first runs the statement of \`/advertisers\` through a minimal MySQL client of its own over the tree's Hyperdrive binding: what the runtime and the dev path cost per request before any code of ours runs, what two log lines cost on that path (wrangler dev, serving two Workers, wraps each Worker's \`console.log\` to add its name), and what one connection and statement cost any client (the TCP connection, the handshake and its SHA-1s, the writes and the reads of the answer) before a library's own work; and the constant Worker at \`/\` again in a third wrangler dev with the tree's \`[assets]\` block (every request first through wrangler dev's asset router and its RPC proxy, as the Worker's are): what that routing adds to the Worker's figures, a cost the asset router does not put on the Worker's CPU time in production, where it is Cloudflare's and runs in front of the Worker. "Worker / lower PHP" = Worker workerd CPU over the lower of the two PHP figures. The client (this process) shares the two cores. Same data, same machine, one run per cell; the machine is shared and other work outside the bench lock ran too (1-minute load average at the end of the cells: ${fmt(Math.min(...cells.map((x) => x.load1)), 1)}–${fmt(Math.max(...cells.map((x) => x.load1)), 1)} on ${os.cpus().length} cores), which shows more in req/s and latency than in CPU time.`,
  ];

  const good = profiles.filter((p) => !p.error);
  if (good.length) {
    sections.push('', "## Where the Worker's CPU goes (V8 CPU profile)", '');
    const kindNames = [...new Set(good.flatMap((p) => p.kinds.slice(0, 12).map((k) => k.name)))];
    sections.push(
      table(
        [
          'kind of work (self time)',
          ...good.map((p) => `${p.path} ${p.target.replace('core:user:', '')} ms/req`),
        ],
        kindNames.map((name) => [
          name,
          ...good.map((p) => {
            const k = p.kinds.find((x) => x.name === name);
            return k ? `${fmt(k.msPerRequest, 3)} (${fmt(k.share * 100, 0)} %)` : '–';
          }),
        ]),
      ),
      '',
      table(
        ['isolate', 'endpoint', 'busy ms/request (profiled)', 'workerd CPU ms/request (profiled run)'],
        good.map((p) => [p.target, p.path, fmt(p.busyMsPerRequest, 3), fmt(p.workerdCpuMs, 2)]),
      ),
    );
    // An isolate that hardly ran (the auth helper, its answer cached) has nothing to list.
    for (const p of good.filter((x) => x.busyMsPerRequest >= 0.05)) {
      sections.push(
        '',
        `### ${p.path}, ${p.target}: top functions and modules by self time`,
        '',
        table(
          ['function (module:line)', 'ms/request', 'share'],
          p.functions
            .slice(0, 12)
            .map((f) => [`\`${f.name}\``, fmt(f.msPerRequest, 3), `${fmt(f.share * 100, 1)} %`]),
        ),
        '',
        table(
          ['module', 'ms/request', 'share'],
          p.modules
            .slice(0, 10)
            .map((f) => [`\`${f.name}\``, fmt(f.msPerRequest, 3), `${fmt(f.share * 100, 1)} %`]),
        ),
      );
    }
    sections.push(
      '',
      `Method. After the table above, in the same wrangler dev: for each endpoint a V8 CPU profile (sampling every ${PROFILE_INTERVAL_US} µs) of the public Worker's isolate and of the auth helper's during ${PROFILE_SECONDS} s of load at c = 10; self time per function, per module of the bundle wrangler served (esbuild's \`// path\` comments), and per kind of work: a sample counts as mysql2 connection set-up when any frame above it is in mysql2's connection config, handshake or auth plugin code, as logging when any is in the logger, as zod when any is in zod (code that does not call back into the app), otherwise by the nearest frame with a place (a module of the bundle, or workerd's node-internal code: its node:net sockets); a middleware's own frames count for that middleware only; "(program)" and the garbage collector are V8's own. Idle time is left out; a gap between samples counts at most ${(4 * PROFILE_INTERVAL_US) / 1000} ms. Profiling slows the isolate: compare shares, not these times with the table above.`,
    );
  } else if (profiles[0]?.error) sections.push('', `The profile failed: ${profiles[0].error}.`);

  const targets = ENDPOINTS.map((path) => {
    const parts = CONCURRENCY.map((c) => {
      const w = get('Worker', path, c).perRequestMs.workerd;
      const php = Math.min(
        get('PHP', path, c).perRequestMs.php,
        get('PHP + OPcache', path, c).perRequestMs.php,
      );
      return { c, w, php, ok: w <= php };
    });
    return {
      target: `Worker CPU per request ≤ the legacy PHP's: ${path}`,
      result: parts.every((x) => x.ok) ? 'achieved' : 'not achieved',
      measured: parts
        .map(
          (x) =>
            `c${x.c}: Worker ${ms(x.w)} ms vs PHP ${ms(x.php)} ms (a constant Worker: ${ms(get('Constant', '/', x.c).perRequestMs.workerd)} ms, behind the asset routing: ${ms(get('Constant + assets', '/', x.c).perRequestMs.workerd)} ms)`,
        )
        .join('; '),
    };
  });
  return { markdown: sections.join('\n'), targets };
}
