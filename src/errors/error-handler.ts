import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../shared/errors/api-error';
import { apiErrorOf } from '../shared/errors/database';
import { unknownPath } from './not-found';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const utf8 = new TextEncoder();

/** The request's id; every request has one once requestContext ran, this covers any before it. */
function requestIdOf(c: Context<AppEnv>): string {
  const id = c.get('requestId');
  if (id) return id;
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Renders an ApiError as RFC 9457 problem+json, whatever output format the request asked for. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const instance = new URL(c.req.url).pathname;
  const headers = new Headers(error.headers);
  headers.set('Content-Type', PROBLEM_CONTENT_TYPE);
  // A HEAD request gets the status and headers only.
  if (c.req.method === 'HEAD') return new Response(null, { status: error.status, headers });
  const body = utf8.encode(JSON.stringify(error.toProblem(instance, requestIdOf(c))));
  // Its size is known: the request log writes its line at once (src/response/render.ts wholeBody).
  c.set('bodyBytes', body.byteLength);
  return new Response(body, { status: error.status, headers });
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const error = apiErrorOf(err);
  if (error instanceof ApiError) return problemResponse(c, error);
  // Never leak a stack or a message to the caller: log the fault, answer a generic 500.
  console.error(
    JSON.stringify({
      level: 'error',
      event: 'unhandled_error',
      request_id: c.get('requestId'),
      error: err instanceof Error ? err.name : typeof err,
      message: err instanceof Error ? err.message : String(err),
    }),
  );
  return problemResponse(c, new ApiError(500, 'An unexpected error occurred; it has been logged.'));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(c, unknownPath(new URL(c.req.url).pathname));
