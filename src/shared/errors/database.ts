import { DatabaseError } from '../db/database-error';
import { ApiError } from './api-error';

/**
 * What the caller is answered for a database failure (seed 001 Phases 5–6): 504 when a statement
 * ran out of its budget, 503 with Retry-After when the database could not be reached or the
 * connection was lost. Any other error is returned unchanged.
 */
export function apiErrorOf(error: unknown): unknown {
  if (!(error instanceof DatabaseError)) return error;
  if (error.kind === 'timeout') {
    return new ApiError(504, 'The database did not answer within its time budget; retry later.', {
      cause: error.cause,
    });
  }
  return new ApiError(503, 'The database is unreachable; retry later.', {
    headers: { 'Retry-After': '30' },
    cause: error.cause,
  });
}
