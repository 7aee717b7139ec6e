import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import type { PoolConnection } from 'mysql2';
import { type DbBudgets, statementBudgetMs } from './budgets';
import { databaseErrorOf } from './database-error';
import { RowQueue } from './row-queue';
import { limitStatement } from './statement-limit';
import { type TextRowField, type TextRowPacket, textRowReader } from './text-rows';

/** The error of a statement not sent because its deadline has passed (a timeout). */
const overBudget = () =>
  Object.assign(new Error('The database budget of this request is spent'), {
    code: 'PROTOCOL_SEQUENCE_TIMEOUT',
  });

/**
 * How a streamed query's rows come. By default, objects of mysqli strings (the connection's type
 * cast), as every other query. `numbers`: integer columns as JS numbers parsed by mysql2 itself
 * (an integer beyond 2^53 stays a string), DATE/DATETIME and DECIMAL as their strings: for rows
 * whose counts become numbers anyway, it skips the type cast callback and the four objects mysql2
 * builds for it per column of every row. `columns`: each row an array of its values in exactly
 * this column order (checked against the result's columns before the first row): no object with
 * a dynamic key per column and row. With both, a query whose columns are all integers and DATEs
 * is read straight from mysql2's packets (src/shared/db/text-rows.ts: the same values, a fraction of the
 * CPU).
 */
export interface RowOptions {
  numbers?: boolean;
  columns?: readonly string[];
}
const NUMBERS = { typeCast: true, dateStrings: true, supportBigNumbers: true } as const;

/** Wraps a connection so that every query failure is classified (DatabaseError), and streams in batches. */
export class BudgetedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    /** The mysql2 connection under `inner` (Kysely keeps it private). */
    private readonly raw: PoolConnection,
    private readonly database: string,
    private readonly budgets: DbBudgets,
  ) {}

  async executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    try {
      if (statementBudgetMs(this.budgets) <= 0) throw overBudget();
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw databaseErrorOf(error, this.database, 'query');
    }
  }

  /**
   * The query's rows in batches of up to `chunkSize` as mysql2 parses them (Kysely's own MySQL
   * stream yields them one by one through a Node stream: several times the CPU of a buffered
   * query), with the stream budget of RowQueue. When the stream does not reach its end (failure,
   * timeout, or the reader stopped early) the connection is destroyed: mysql2 would otherwise read
   * the rest of the result set to its end, and a connection must not go back to a pool mid-result.
   */
  async *streamQuery<R>(
    query: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    for await (const rows of this.rowBatches<R>(query, chunkSize)) yield { rows };
  }

  /** streamQuery's batches as bare row arrays (see startRows). */
  async *rowBatches<R>(
    query: CompiledQuery,
    chunkSize: number,
    options: RowOptions = {},
  ): AsyncGenerator<R[], void, undefined> {
    const rows = this.startRows(query, chunkSize, options);
    try {
      for (let batch = await rows.next(); batch !== undefined; batch = await rows.next()) {
        yield batch as R[];
      }
    } finally {
      rows.close();
    }
  }

  /**
   * Sends `query` now; its rows queue up (RowQueue: at most a few batches, then the socket is
   * paused) until read with `next()`. `close()` must follow: unless every row was read, it
   * destroys the connection: mysql2 would otherwise read the rest of the result set to its end,
   * and a connection must not go back to a pool mid-result.
   */
  startRows(query: CompiledQuery, chunkSize: number, options: RowOptions = {}): RowsInFlight {
    const raw = this.raw;
    const rows = new RowQueue(raw, Math.max(1, chunkSize), this.budgets.queryMs);
    // On the server, a streamed statement is limited by its deadline (a stream's: its duration
    // cap), not by queryMs, which is the wait for rows here (RowQueue).
    const { deadline, netWriteTimeoutS } = this.budgets;
    const sql =
      deadline === undefined
        ? query.sql
        : limitStatement(query.sql, { maxMs: deadline - Date.now(), netWriteTimeoutS });
    // An options object: the pool's query() wrapper leaves it without mysql2's whole-query timeout.
    const command = raw.query({
      sql,
      values: [...query.parameters],
      ...(options.numbers ? NUMBERS : {}),
      ...(options.columns ? { rowsAsArray: true } : {}),
    });
    const { columns } = options;
    if (columns) {
      command.once('fields', (fields: Array<TextRowField & { name: string }> | undefined) => {
        const names = (fields ?? []).map((field) => field.name);
        if (names.join('\0') !== columns.join('\0')) {
          rows.fail(new Error(`streamed columns ${names.join(', ')} are not ${columns.join(', ')}`));
          return;
        }
        const read = options.numbers ? textRowReader(fields ?? []) : undefined;
        if (read) readRowsDirectly(command, read, rows.add);
      });
    }
    command.on('result', rows.add).on('end', rows.end).on('error', rows.fail);
    // A connection lost mid-stream is reported to the connection only (mysql2 tells a command
    // without a callback nothing): without this the stream would wait for its budget.
    raw.on('error', rows.fail);
    let complete = false;
    return {
      next: async () => {
        try {
          const batch = await rows.next();
          if (batch === undefined) complete = true;
          return batch;
        } catch (error) {
          throw databaseErrorOf(error, this.database, 'query');
        }
      },
      close: () => {
        rows.close();
        raw.off('error', rows.fail);
        command.off('result', rows.add);
        if (!complete) {
          // mysql2's destroy() only half-closes the socket: MariaDB, busy writing the result, would
          // not notice. Destroying the socket ends the query at once.
          raw.destroy();
          (raw as { stream?: { destroy?(): void } }).stream?.destroy?.();
        }
      },
    };
  }
}

/** mysql2's Query command, as far as readRowsDirectly replaces its row state. */
type RowState = (this: unknown, packet: TextRowPacket & { isEOF(): boolean }, connection: unknown) => unknown;
interface QueryCommand {
  row: RowState;
  off(event: 'result', listener: (row: unknown) => void): unknown;
}

/**
 * Hands a query's rows to `onRow` as `read` decodes them (src/shared/db/text-rows.ts) instead of through
 * mysql2's row parser and 'result' event. mysql2 parses a result's rows in the state its
 * column-definitions end returns as `this.row`: the query's own `row`, replaced here once the
 * columns are known ('fields'), before the first row. The end of the rows is still mysql2's
 * (its `row` state given the EOF packet). The 'result' listener is removed: should a mysql2
 * upgrade stop calling the replaced state, the stream tests see no rows at all rather than a
 * silently slower path.
 */
function readRowsDirectly(
  command: unknown,
  read: (packet: TextRowPacket) => unknown[],
  onRow: (row: unknown) => void,
): void {
  const query = command as QueryCommand;
  const mysql2Row = query.row;
  const row: RowState = function (this: unknown, packet, connection) {
    if (packet.isEOF()) return mysql2Row.call(this, packet, connection);
    onRow(read(packet));
    return row;
  };
  query.row = row;
  query.off('result', onRow);
}

/** A query sent and not yet read to its end (BudgetedConnection.startRows). */
export interface RowsInFlight {
  /** The next batch of rows, undefined after the last; a failure as databaseErrorOf gives it. */
  next(): Promise<unknown[] | undefined>;
  /** Stops reading (destroying the connection unless every row was read). */
  close(): void;
}
