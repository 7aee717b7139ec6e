import { DEFAULTS } from '../config/defaults';

/**
 * Time budgets of seed 001 Phases 5–6: a slower connect is a failure, a slower query a timeout.
 * `deadline` (epoch ms) is shared by every statement of one Kysely (a request's, or a stream's
 * connections): a statement gets what is left of it, at most `queryMs`, limited on the server too
 * (limitStatement), and one sent past it fails at once. A streamed query also gets `queryMs`
 * between rows (see RowQueue).
 */
export interface DbBudgets {
  connectMs: number;
  queryMs: number;
  deadline?: number | undefined;
  /** Streams: how long MariaDB may wait to write to a reader that has stopped (limitStatement). */
  netWriteTimeoutS?: number | undefined;
}
export const DEFAULT_BUDGETS: DbBudgets = { ...DEFAULTS.db };

/** What a statement sent now may take: `queryMs`, or what is left before the deadline if less. */
export function statementBudgetMs(budgets: DbBudgets, now = Date.now()): number {
  return budgets.deadline === undefined ? budgets.queryMs : Math.min(budgets.queryMs, budgets.deadline - now);
}
