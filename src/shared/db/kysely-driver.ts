import { type DatabaseConnection, type Driver, Kysely, MysqlDialect } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import { BudgetedConnection } from './budgeted-connection';
import { type DbBudgets, DEFAULT_BUDGETS } from './budgets';
import { databaseErrorOf, isConnectionFailure } from './database-error';
import { createTextProtocolPool } from './pool';

/**
 * One mysql2 pool holding one connection, and Kysely's MySQL driver over it. A database of a
 * request is a few lanes: one connection runs its queries one after another even inside
 * `Promise.all`, so queries sent together need a connection each (cheap through Hyperdrive,
 * which pools them), and with one connection per pool the connection a pool acquires is the one
 * Kysely wraps.
 */
class Lane {
  readonly pool: Pool;
  readonly driver: Driver;
  private ready: Promise<void> | undefined;

  constructor(hyperdrive: Hyperdrive, budgets: DbBudgets) {
    this.pool = createTextProtocolPool(hyperdrive, budgets);
    this.driver = new MysqlDialect({ pool: this.pool }).createDriver();
  }

  /** Kysely's connection plus the mysql2 connection under it (the pool's `acquire` names it). */
  async acquire(database: string, budgets: DbBudgets): Promise<BudgetedConnection> {
    this.ready ??= this.driver.init();
    await this.ready;
    let raw: PoolConnection | undefined;
    const onAcquire = (connection: PoolConnection) => {
      raw = connection;
    };
    this.pool.once('acquire', onAcquire);
    try {
      const inner = await this.driver.acquireConnection();
      if (!raw) throw new Error('the pool did not report the acquired connection');
      return new BudgetedConnection(inner, raw, database, budgets);
    } finally {
      this.pool.off('acquire', onAcquire);
    }
  }
}

/** Connections of one database a request may hold at once (queries sent together). */
export const MAX_LANES = 4;

/**
 * Kysely's MySQL driver plus the budgets, over up to `maxLanes` connections (Lane): one retry with
 * jittered backoff when a connection cannot be made (never for a failed query), and errors
 * classified (DatabaseError). Kysely acquires a connection per query, so queries of one Kysely sent
 * together run on connections of their own; beyond `maxLanes` they wait for one to be free.
 */
class BudgetedDriver implements Driver {
  private readonly lanes: Lane[] = [];
  private readonly idle: Lane[] = [];
  private readonly waiting: Array<(lane: Lane) => void> = [];
  private readonly laneOf = new WeakMap<DatabaseConnection, Lane>();

  constructor(
    private readonly hyperdrive: Hyperdrive,
    private readonly database: string,
    private readonly budgets: DbBudgets,
    private readonly maxLanes = MAX_LANES,
  ) {}

  async init(): Promise<void> {}

  private takeLane(): Promise<Lane> {
    const lane = this.idle.pop();
    if (lane) return Promise.resolve(lane);
    if (this.lanes.length < this.maxLanes) {
      const created = new Lane(this.hyperdrive, this.budgets);
      this.lanes.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private giveBack(lane: Lane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const lane = await this.takeLane();
    try {
      const connection = await this.acquireOn(lane);
      this.laneOf.set(connection, lane);
      return connection;
    } catch (error) {
      this.giveBack(lane);
      throw error;
    }
  }

  private async acquireOn(lane: Lane): Promise<BudgetedConnection> {
    try {
      return await lane.acquire(this.database, this.budgets);
    } catch (error) {
      if (!isConnectionFailure(error)) throw databaseErrorOf(error, this.database, 'connect');
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      try {
        return await lane.acquire(this.database, this.budgets);
      } catch (retryError) {
        throw databaseErrorOf(retryError, this.database, 'connect');
      }
    }
  }

  beginTransaction(): Promise<void> {
    // A transaction would pin one lane across queries; nothing here needs one.
    throw new Error('transactions are not supported by this driver');
  }

  commitTransaction(): Promise<void> {
    throw new Error('transactions are not supported by this driver');
  }

  rollbackTransaction(): Promise<void> {
    throw new Error('transactions are not supported by this driver');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lane = this.laneOf.get(connection);
    if (!lane) return;
    this.laneOf.delete(connection);
    try {
      await lane.driver.releaseConnection((connection as BudgetedConnection).inner);
    } finally {
      this.giveBack(lane);
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.driver.destroy()));
  }
}

export class BudgetedMysqlDialect extends MysqlDialect {
  constructor(
    private readonly hyperdrive: Hyperdrive,
    private readonly database: string,
    private readonly budgets: DbBudgets,
    private readonly maxLanes = MAX_LANES,
  ) {
    // The pools are the lanes' own (BudgetedDriver); this one is never opened.
    super({ pool: async () => ({}) as Pool });
  }

  override createDriver(): Driver {
    return new BudgetedDriver(this.hyperdrive, this.database, this.budgets, this.maxLanes);
  }
}

/** Kysely over one Hyperdrive binding; the caller owns it and must `destroy()` it. */
export function createKysely<Database>(
  hyperdrive: Hyperdrive,
  budgets: DbBudgets = DEFAULT_BUDGETS,
  label = hyperdrive.database,
  onQuery?: (durationMs: number) => void,
): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new BudgetedMysqlDialect(hyperdrive, label, budgets),
    // Query time feeds the request log's query_ms (errors included: a timeout is time spent too).
    log: onQuery ? (event) => onQuery(event.queryDurationMillis) : undefined,
  });
}
