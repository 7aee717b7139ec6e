import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { aggregateQueryBuilder, streamAggregateRows } from '.';
import { createTextProtocolPool } from './pool';
import { type TextRowField, textRowReader } from './text-rows';

// Edge values of the columns the direct reader takes: signed and unsigned BIGINTs on both sides of
// 2^53, NULLs, INTs, and DATEs repeated, changed and NULL between repeats. (A UNION's literals
// are DECIMAL: the outer casts make the columns BIGINT and DATE again.)
const EDGES = `SELECT CAST(d AS DATE) AS d, CAST(i AS SIGNED) AS i, CAST(b AS UNSIGNED) AS b, n, 'x' AS s FROM (
    SELECT '2025-01-01' AS d, -5 AS i, 18446744073709551615 AS b, 7 AS n
    UNION ALL SELECT '2025-01-01', 0, 9007199254740993, 8
    UNION ALL SELECT NULL, NULL, 123456789012345, NULL
    UNION ALL SELECT '2025-01-01', 2147483647, 9007199254740991, 9
    UNION ALL SELECT '2025-01-02', -2147483648, NULL, 10
    UNION ALL SELECT '2025-01-02', -9007199254740993, 0, 11
    UNION ALL SELECT '2025-01-12', 42, 42, 12) AS edges`;

async function streamed(columns: string[]) {
  const query = sql`SELECT ${sql.raw(columns.join(', '))} FROM (${sql.raw(EDGES)}) AS typed`.compile(
    aggregateQueryBuilder,
  );
  const rows: unknown[][] = [];
  for await (const batch of streamAggregateRows(env, [query], columns, 3)) rows.push(...batch);
  return rows;
}

/** The columns of `select` as mysql2 describes them. */
async function fieldsOf(select: string): Promise<TextRowField[]> {
  const pool = createTextProtocolPool(env.DB_AGGREGATE);
  try {
    const [, fields] = await pool.promise().query(`SELECT ${select} FROM (${EDGES}) AS typed`);
    return fields as TextRowField[];
  } finally {
    await pool.promise().end();
  }
}

describe('streamed rows read straight from the packets (text-rows)', () => {
  it('gives what mysql2 gives: numbers, strings beyond 2^53, DATE strings, nulls', async () => {
    expect(textRowReader(await fieldsOf('d, i, b, n'))).toBeTypeOf('function');
    expect(textRowReader(await fieldsOf('d, i, b, n, s'))).toBeUndefined();
    const direct = await streamed(['d', 'i', 'b', 'n']);
    // With a text column the same rows are left to mysql2's own parser (textRowReader declines).
    const mysql2 = (await streamed(['d', 'i', 'b', 'n', 's'])).map((row) => row.slice(0, 4));
    expect(direct).toEqual(mysql2);
    expect(direct).toEqual([
      ['2025-01-01', -5, '18446744073709551615', 7],
      ['2025-01-01', 0, '9007199254740993', 8],
      [null, null, 123456789012345, null],
      ['2025-01-01', 2147483647, 9007199254740991, 9],
      ['2025-01-02', -2147483648, null, 10],
      ['2025-01-02', '-9007199254740993', 0, 11],
      ['2025-01-12', 42, 42, 12],
    ]);
  });

  it('takes only integer and DATE columns', () => {
    const [date, long, longlong, varchar, decimal, datetime] = [10, 3, 8, 253, 246, 12];
    expect(textRowReader([{ columnType: date }, { columnType: long }, { columnType: longlong }])).toBeTypeOf(
      'function',
    );
    for (const other of [varchar, decimal, datetime])
      expect(textRowReader([{ columnType: long }, { columnType: other }])).toBeUndefined();
  });
});
