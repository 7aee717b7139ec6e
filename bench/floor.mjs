// (a) of `npm run bench` (bench/run.mjs): the floor, the two bulk SQL queries of /dataconnector
// (bench/sql.mjs compiles them from the measured tree's query code) run straight from Node with
// mysql2 against the bench MariaDB, every row read; and (a') the same window read as the Worker
// reads it. What a Worker request's time is compared with.
import mysql from 'mysql2';
import { ACCOUNT_ID, windowOf } from './dataset.mjs';
import { fmt, median, sec } from './figures.mjs';
import { dataConnectorQueries, dataConnectorSegments } from './sql.mjs';

const mysqliTypeCast = (field, next) => (field.type === 'BLOB' ? next() : field.string());

/**
 * The Worker's own reads (src/shared/db streamRowsInTurn): `queries` one after the other, each next one
 * sent on the other connection as soon as the one before it starts being read. Rows are counted,
 * not kept; Node reads each as it comes, with no backpressure (unlike the Worker).
 */
async function timedQueriesInTurn(connections, queries) {
  const start = performance.now();
  let rows = 0;
  let next = queries.length > 0 ? timedQuery(connections[0], queries[0]) : undefined;
  for (let i = 0; next !== undefined; i++) {
    const current = next;
    next = i + 1 < queries.length ? timedQuery(connections[(i + 1) % 2], queries[i + 1]) : undefined;
    next?.catch(() => undefined);
    rows += (await current).rows;
  }
  return { ms: performance.now() - start, rows, queries: queries.length };
}

function timedQuery(connection, { sql, parameters }) {
  return new Promise((resolveQuery, reject) => {
    const start = performance.now();
    let rows = 0;
    connection
      .query(sql, parameters)
      .on('result', () => rows++)
      .on('error', reject)
      .on('end', () => resolveQuery({ ms: performance.now() - start, rows }));
  });
}

/**
 * The floor's two queries on connections of their own, to be run at any time: by (a), and just
 * before each Worker run of (b), whose ratio is taken to that paired run (MariaDB's time for a
 * window, mostly its sort, was seen to vary widely between runs minutes apart on this machine).
 */
export function openFloor(db, tree) {
  // The same options as the Worker's pool (src/shared/db/pool.ts): every column as a string.
  const connect = (url) =>
    mysql.createConnection({ uri: url, typeCast: mysqliTypeCast, charset: 'utf8mb4_unicode_ci' });
  const consoleDb = connect(db.urls.console);
  const aggregateDb = connect(db.urls.aggregate);
  const aggregateDb2 = connect(db.urls.aggregate);
  return {
    async run(version, days) {
      const queries = await dataConnectorQueries(tree.dir, ACCOUNT_ID, windowOf(days), version);
      const names = await timedQuery(consoleDb, queries.names);
      const metrics = await timedQuery(aggregateDb, queries.metrics);
      // (a') the Worker's own reads of the same window, when its tree reads it in date ranges.
      const segments = await dataConnectorSegments(tree.dir, ACCOUNT_ID, windowOf(days), version, names.rows);
      const own = segments && (await timedQueriesInTurn([aggregateDb, aggregateDb2], segments));
      return {
        names,
        metrics,
        totalMs: names.ms + metrics.ms,
        own,
        ownTotalMs: own ? names.ms + own.ms : Number.NaN,
        source: queries.source,
      };
    },
    close() {
      consoleDb.end();
      aggregateDb.end();
      aggregateDb2.end();
    },
  };
}

/**
 * (a): every window of the run's settings (bench/run.mjs) and both versions, each up to `runs`
 * times (fewer once the cell has used `cellBudgetMs`), medians reported.
 */
export async function runFloor(db, tree, { windows, runs: runsPerCell, cellBudgetMs }, log) {
  const floor = openFloor(db, tree);
  const results = [];
  let sqlSource;
  try {
    for (const days of windows) {
      for (const version of [1, 2]) {
        const runs = [];
        const cellStart = performance.now();
        while (runs.length < runsPerCell) {
          const run = await floor.run(version, days);
          sqlSource = run.source;
          runs.push(run);
          const used = performance.now() - cellStart;
          if (used + runs.at(-1).totalMs > cellBudgetMs) break;
        }
        const cell = {
          days,
          version,
          runs: runs.length,
          namesMs: median(runs.map((r) => r.names.ms)),
          metricsMs: median(runs.map((r) => r.metrics.ms)),
          totalMs: median(runs.map((r) => r.totalMs)),
          ownTotalMs: median(runs.map((r) => r.ownTotalMs)),
          ownQueries: runs[0].own?.queries,
          nameRows: runs[0].names.rows,
          metricRows: runs[0].metrics.rows,
        };
        results.push(cell);
        log(
          `floor v${version} ${days} d: ${cell.metricRows} rows, ${sec(cell.totalMs)} s (names ${fmt(cell.namesMs, 0)} ms); own reads ${sec(cell.ownTotalMs)} s in ${cell.ownQueries ?? '–'} ranges; ${cell.runs} run(s)`,
        );
      }
    }
  } finally {
    floor.close();
  }
  return { results, sqlSource };
}
