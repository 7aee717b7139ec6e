import type { CompiledQuery, Driver } from 'kysely';
import type { BudgetedConnection, RowOptions, RowsInFlight } from './budgeted-connection';
import { type DbBudgets, DEFAULT_BUDGETS } from './budgets';
import { BudgetedMysqlDialect } from './kysely-driver';

/**
 * One connection of a stream (streamRowsInTurn), opened at once over its own pool and driver
 * (connection retry, error classification), and closed with them.
 */
class StreamLane {
  private readonly driver: Driver;
  private readonly connection: Promise<BudgetedConnection>;

  constructor(hyperdrive: Hyperdrive, budgets: DbBudgets, label: string) {
    const driver = new BudgetedMysqlDialect(hyperdrive, label, budgets, 1).createDriver();
    this.driver = driver;
    this.connection = driver.init().then(() => driver.acquireConnection() as Promise<BudgetedConnection>);
    // Reported by start(); a lane closed before its first query must not leave it unhandled.
    this.connection.catch(() => undefined);
  }

  async start(query: CompiledQuery, batchRows: number, options: RowOptions): Promise<RowsInFlight> {
    return (await this.connection).startRows(query, batchRows, options);
  }

  async close(): Promise<void> {
    const connection = await this.connection.catch(() => undefined);
    if (connection) await this.driver.releaseConnection(connection).catch(() => undefined);
    // A failed goodbye (QUIT on a connection already gone) changes nothing for the rows.
    await this.driver.destroy().catch(() => undefined);
  }
}

/**
 * The rows of `queries`, one query after the other, as one stream of batches (each query's rows as
 * BudgetedConnection.startRows reads them: backpressure and the stream's inactivity budget).
 * While a query is read, the next one already runs on a second connection, so that MariaDB
 * prepares it (a sort, say) while the rows before it are still being used: a long read split into
 * consecutive queries starts answering after the first one's preparation, not the whole read's.
 * Each connection is its own over `hyperdrive`; both are closed when the rows end, fail, or the
 * reader stops early. One query, one connection. For the large connector bodies: Kysely's own
 * `.stream()` hands rows over one at a time, an await (several promise hops) per row.
 */
export async function* streamRowsInTurn<R>(
  hyperdrive: Hyperdrive,
  queries: readonly CompiledQuery[],
  batchRows: number,
  options: RowOptions,
  budgets: DbBudgets = DEFAULT_BUDGETS,
  label = hyperdrive.database,
): AsyncGenerator<R[], void, undefined> {
  const lanes: StreamLane[] = [];
  const start = (index: number) => {
    lanes[index % 2] ??= new StreamLane(hyperdrive, budgets, label);
    const started = lanes[index % 2]!.start(queries[index]!, batchRows, options);
    // Awaited when its turn comes; one that fails before then must not go unhandled meanwhile.
    started.catch(() => undefined);
    return started;
  };
  let next = queries.length > 0 ? start(0) : undefined;
  try {
    for (let index = 0; next !== undefined; index++) {
      const rows = await next;
      next = index + 1 < queries.length ? start(index + 1) : undefined;
      try {
        for (let batch = await rows.next(); batch !== undefined; batch = await rows.next()) {
          yield batch as R[];
        }
      } finally {
        rows.close();
      }
    }
  } finally {
    // Stopped early: the query running ahead is ended (its connection destroyed) before closing.
    (await next?.catch(() => undefined))?.close();
    await Promise.all(lanes.map((lane) => lane.close()));
  }
}
