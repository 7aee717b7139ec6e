// Writes a dataset into the scratch databases both origins read: every table emptied, then the
// rows inserted. The same SQL is what a regression case keeps as its seed.
import mysql from 'mysql2/promise';
import { AGGREGATE_TABLES, CONSOLE_TABLES, type Dataset, type Tables } from './dataset.ts';

/** INSERT IGNORE: rows equal under the collation in a key (click names) keep the first spelling. */
export function tablesSql(tables: Tables, order: readonly string[]): string {
  const lines: string[] = [];
  for (const table of order) {
    const rows = tables[table] ?? [];
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]!);
    for (let i = 0; i < rows.length; i += 200) {
      const values = rows
        .slice(i, i + 200)
        .map((row) => `(${columns.map((col) => mysql.escape(row[col] ?? null)).join(',')})`);
      lines.push(
        `INSERT IGNORE INTO \`${table}\` (${columns.map((col) => `\`${col}\``).join(',')}) VALUES\n${values.join(',\n')};`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function datasetSql(ds: Pick<Dataset, 'console' | 'aggregate'>): {
  console: string;
  aggregate: string;
} {
  return {
    console: tablesSql(ds.console, CONSOLE_TABLES),
    aggregate: tablesSql(ds.aggregate, AGGREGATE_TABLES),
  };
}

export interface ScratchDatabases {
  console: string;
  aggregate: string;
}

export class DatasetLoader {
  private readonly connection: mysql.Connection;
  private readonly names: ScratchDatabases;

  private constructor(connection: mysql.Connection, names: ScratchDatabases) {
    this.connection = connection;
    this.names = names;
  }

  /** `adminUrl`: a user allowed to write the scratch databases (local-db's admin user). */
  static async open(adminUrl: string, names: ScratchDatabases): Promise<DatasetLoader> {
    const connection = await mysql.createConnection({
      uri: adminUrl,
      multipleStatements: true,
      charset: 'utf8mb4_unicode_ci',
    });
    // The dirt includes zero dates, which a strict sql_mode would refuse.
    await connection.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    return new DatasetLoader(connection, names);
  }

  async load(sql: { console: string; aggregate: string }): Promise<void> {
    for (const [logical, tables] of [
      ['console', CONSOLE_TABLES],
      ['aggregate', AGGREGATE_TABLES],
    ] as const) {
      const db = this.names[logical];
      const empty = tables.map((t) => `TRUNCATE TABLE \`${db}\`.\`${t}\`;`).join('\n');
      await this.connection.query(`${empty}\nUSE \`${db}\`;\n${sql[logical]}`);
    }
  }

  close(): Promise<void> {
    return this.connection.end();
  }
}
