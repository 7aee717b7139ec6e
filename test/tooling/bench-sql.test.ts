import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The bench's floors (a) and (a') are the Worker's own SQL only while bench/sql.mjs can load the
// tree's query code in plain Node. When it cannot, the bench falls back to a copy of the SQL and
// says so in one line of the report, which is easy to miss: a named import of mysql2's `Types`
// getter did that once (issue 6, session 4). Run as the bench runs it, not through Vite's module
// interop, which would have accepted that import.
const root = join(import.meta.dirname, '../..');

describe('bench/sql.mjs', () => {
  it("compiles /dataconnector's queries and date ranges from this tree's own code", () => {
    const output = execFileSync(process.execPath, [join(root, 'bench/sql.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    const printed = output.split(/\n(?=\{)/).map((part) => JSON.parse(part));
    expect(printed.map((p) => p.version)).toEqual([1, 2]);
    for (const p of printed) {
      expect(p.source).toBe('compiled from src/queries/connector-names.ts and connector-metrics.ts');
      expect(p.metrics.sql).toMatch(/^select `kpi_daily`\.`stat_date`/);
      // 365 days of 4,000 pairs in ranges of ~25,000 rows (metricSegments): 61 ranges of 6 days.
      expect(p.segments).toBe(61);
    }
  });
});
