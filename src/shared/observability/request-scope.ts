// The request a log line belongs to, without threading it through every call: index.ts opens a
// scope per request, requestContext names it, and logEvent adds its `request_id` to every line
// written inside it (the auth, database, rate-limit and stream lines alike). Only the Public API
// imports this (node:async_hooks); the logger it feeds is shared with Workers that do not.
import { AsyncLocalStorage } from 'node:async_hooks';
import { useRequestIdSource } from './logger';

export interface RequestScope {
  requestId?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
useRequestIdSource(() => requestScope.getStore()?.requestId);
