import { requestScope } from './request-scope';

/**
 * One structured JSON line per event. Callers pass only what is safe to keep: never a key, a
 * password or a connection string (test/global-setup.ts scans everything the suite prints).
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes one line; inside a request's scope it carries that request's `request_id`. */
export function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}): void {
  const requestId = requestScope.getStore()?.requestId;
  const line = JSON.stringify(
    requestId && fields.request_id === undefined
      ? { level, event, request_id: requestId, ...fields }
      : { level, event, ...fields },
  );
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
