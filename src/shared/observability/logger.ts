/**
 * One structured JSON line per event. Callers pass only what is safe to keep: never a key, a
 * password or a connection string (test/global-setup.ts scans everything the suite prints).
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

// The id of the request being answered, where the Worker keeps one (request-scope.ts registers
// it); the auth helper and the tail Worker share this logger without one.
let currentRequestId: () => string | undefined = () => undefined;

/** Where logEvent reads the current request's id from. */
export function useRequestIdSource(source: () => string | undefined): void {
  currentRequestId = source;
}

/** Writes one line; while a request is answered it carries that request's `request_id`. */
export function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}): void {
  const requestId = currentRequestId();
  const line = JSON.stringify(
    requestId && fields.request_id === undefined
      ? { level, event, request_id: requestId, ...fields }
      : { level, event, ...fields },
  );
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
