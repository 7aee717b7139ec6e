// The request a log line belongs to, without threading it through every call: index.ts opens a
// scope per request, requestContext names it, and logEvent adds its `request_id` to every line
// written inside it (the auth, database, rate-limit and stream lines alike).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  requestId?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
