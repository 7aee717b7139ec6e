import { afterEach, beforeEach } from 'vitest';

/**
 * The JSON lines (src/shared/observability/logger.ts) the code under test writes to console.error during
 * each test of the calling suite, parsed: `captured.lines`, emptied before each test, with
 * console.error restored after it.
 */
export function captureErrorLines(): { lines: Array<Record<string, unknown>> } {
  const captured = { lines: [] as Array<Record<string, unknown>> };
  const original = console.error;
  beforeEach(() => {
    captured.lines = [];
    console.error = (line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) captured.lines.push(JSON.parse(line));
    };
  });
  afterEach(() => {
    console.error = original;
  });
  return captured;
}
