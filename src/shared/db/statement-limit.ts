/**
 * A SELECT limited by the database server itself, so that a statement whose caller has given up
 * (timed out, a stream aborted, an isolate gone) stops on the server too instead of running on.
 *
 * Production is Aurora MySQL 8, local and test MariaDB 10.11, and neither understands the
 * other's way of saying it, so the statement carries both, each invisible to the other server:
 * - MariaDB: `SET STATEMENT max_statement_time=<s> FOR <select>` inside a MariaDB-only
 *   executable comment (`/*M!100300 … *\/`, which MySQL reads as a plain comment); error 1969
 *   ER_STATEMENT_TIMEOUT when exceeded;
 * - MySQL: the optimizer hint `SELECT /*+ MAX_EXECUTION_TIME(<ms>) *\/`, a comment to MariaDB
 *   10.11; error 3024 ER_QUERY_TIMEOUT when exceeded.
 * Both are text in one COM_QUERY (no session state is changed, which a pooled Hyperdrive
 * connection must not carry over to the next request).
 *
 * `netWriteTimeoutS` (MariaDB only: MySQL's hints cannot set it) bounds how long the server
 * waits to write to a client that has stopped reading (a paused stream) before it drops the
 * connection; max_statement_time does not interrupt such a write (src/shared/db/statement-limit.test.ts).
 *
 * Only statements that start with SELECT are limited (the only ones this Worker sends; MySQL
 * allows the hint on SELECT only); any other is returned unchanged.
 */
export function limitStatement(sql: string, limits: { maxMs: number; netWriteTimeoutS?: number }): string {
  const select = /^\s*select\b/i.exec(sql);
  if (!select) return sql;
  const ms = Math.max(1, Math.ceil(limits.maxMs));
  const mariadb = [`max_statement_time=${(ms / 1000).toFixed(3)}`];
  if (limits.netWriteTimeoutS !== undefined) {
    mariadb.push(`net_write_timeout=${Math.max(1, Math.ceil(limits.netWriteTimeoutS))}`);
  }
  return (
    `/*M!100300 SET STATEMENT ${mariadb.join(', ')} FOR */ ` +
    `${select[0]} /*+ MAX_EXECUTION_TIME(${ms}) */${sql.slice(select[0].length)}`
  );
}

/** MariaDB's ER_STATEMENT_TIMEOUT and MySQL's ER_QUERY_TIMEOUT: the server's limit was reached. */
export const SERVER_TIMEOUT_ERRNOS: ReadonlySet<number> = new Set([1969, 3024]);
