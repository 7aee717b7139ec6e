import { logEvent } from '../observability/logger';
import { SERVER_TIMEOUT_ERRNOS } from './statement-limit';

/**
 * What failed: no connection could be made (`connect`), a statement ran out of its budget
 * (`timeout`, the server's limit or the client's), or a connection made was lost under a query
 * (`lost`). What the caller is answered is the error handler's business (src/shared/errors/database.ts).
 */
export type DatabaseFailure = 'connect' | 'timeout' | 'lost';

/** A database failure of one of the kinds above, on `database` (console, aggregate…); `cause` is the driver's error. */
export class DatabaseError extends Error {
  constructor(
    readonly kind: DatabaseFailure,
    readonly database: string,
    /** The driver's error code (mysql2's or the socket's), when it gave one. */
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`${database}: ${kind}${code === undefined ? '' : ` (${code})`}`, { cause });
    this.name = 'DatabaseError';
  }
}

const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'HANDSHAKE_NO_SSL_SUPPORT',
]);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** What a driver error means, without logging anything. */
function kindOf(error: unknown): 'timeout' | 'unreachable' | 'other' {
  const code = codeOf(error);
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') return 'timeout';
  // The server's own limit (limitStatement): mysql2 names neither MariaDB's 1969 nor gives it a code.
  if (
    typeof error === 'object' &&
    error !== null &&
    SERVER_TIMEOUT_ERRNOS.has(Number((error as { errno?: unknown }).errno))
  )
    return 'timeout';
  // The pool closed by the request's own teardown (a query still pending when the response was
  // sent, e.g. one started in parallel and no longer needed): not the database's failure.
  if (error instanceof Error && code === undefined && /^Pool is closed/.test(error.message)) return 'other';
  const unreachable =
    (code !== undefined && CONNECTION_FAILURES.has(code)) ||
    (error instanceof Error && /connect|socket|network|closed/i.test(error.message) && code === undefined);
  return unreachable ? 'unreachable' : 'other';
}

/**
 * A driver error of `database` as a DatabaseError (logged once, here), or unchanged when it is none
 * of the failures above (a query's own error, a closed pool). `phase` says whether a connection
 * was being made (`connect`) or already held (`query`), which tells a refused connection from a lost one.
 */
export function databaseErrorOf(error: unknown, database: string, phase: 'connect' | 'query'): unknown {
  if (error instanceof DatabaseError) return error;
  const code = codeOf(error);
  switch (kindOf(error)) {
    case 'timeout':
      logEvent('error', 'db.query_timeout', { database });
      return new DatabaseError('timeout', database, code, error);
    case 'unreachable':
      logEvent('error', 'db.unreachable', { database, code: code ?? 'unknown' });
      return new DatabaseError(phase === 'connect' ? 'connect' : 'lost', database, code, error);
    default:
      return error;
  }
}

/** A failure to connect that one retry may cure (classified only: the final failure is logged). */
export const isConnectionFailure = (error: unknown) =>
  !(error instanceof DatabaseError) && kindOf(error) === 'unreachable';
