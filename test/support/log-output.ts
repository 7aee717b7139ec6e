// The suite's output without the Workers' JSON log lines (src/shared/observability/logger.ts writes
// several per request): what passing tests log is not worth reading, and SHOW_LOG_LINES=1 prints
// them again. Hidden lines are kept, so test/global-setup.ts scans them for secrets with the rest.
// vitest.config.ts and test/global-setup.ts load this module separately: the lines live on
// globalThis, which both share in vitest's main process.

const HIDDEN = Symbol.for('adventive.hidden-log-lines');
const store = globalThis as { [HIDDEN]?: string[] };

/** The log lines kept out of the output so far. */
export function hiddenLogLines(): string[] {
  store[HIDDEN] ??= [];
  return store[HIDDEN];
}

const isLogLine = (text: string) => text.startsWith('{"level":');

/**
 * Whether `text` (what a test or a Worker printed) is a log line to keep out of the output: it is
 * then kept for the scan instead.
 */
export function hideLogLine(text: string): boolean {
  if (process.env.SHOW_LOG_LINES === '1' || !isLogLine(text)) return false;
  hiddenLogLines().push(text);
  return true;
}

/** vitest's onConsoleLog: the log lines of the code under test, relayed by vitest, are not printed. */
export const onConsoleLog = (text: string): false | undefined => (hideLogLine(text) ? false : undefined);
