import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { type LogFields, logEvent } from '../shared/observability/logger';

/** How the body ended: read to its end, given up by the reader, or failed (a broken transfer). */
type BodyEnd = 'complete' | 'aborted' | 'failed';

/**
 * Passes the body through, counting its bytes, and calls `ended` once when it has ended: the
 * request line is written then, not when the handler returned (a streamed body can run minutes).
 */
function watchBody(body: ReadableStream<Uint8Array>, ended: (how: BodyEnd, bytes: number) => void) {
  const reader = body.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          ended('complete', bytes);
          return;
        }
        bytes += value.byteLength;
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        ended('failed', bytes);
      }
    },
    async cancel(reason) {
      ended('aborted', bytes);
      await reader.cancel(reason);
    },
  });
}

/**
 * Wraps every request: one structured log line when its body has ended (never the keys: only the
 * account id, which the auth helper resolved), the cache rule for authenticated answers, and the
 * request id a caller can quote to support.
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const route = c.get('route');
  if (route?.authenticated) c.res.headers.set('Cache-Control', 'private, no-store');
  const requestId = c.get('requestId');
  if (requestId) c.res.headers.set('X-Request-Id', requestId);
  const fields: LogFields = {
    request_id: requestId,
    trace_id: c.get('trace')?.traceId,
    account_id: c.get('auth')?.accountId ?? null,
    endpoint: route?.template ?? null,
    version: route?.version ?? null,
    format: c.get('format') ?? null,
    method: c.req.method,
    status: c.res.status,
    cached: c.get('authCached') ?? null,
    commit_sha: c.env.COMMIT_SHA,
    outcome: c.get('rateLimit') ?? null,
    origin: c.get('origin') ?? null,
    shadowed: c.get('shadowed') ?? false,
  };
  const status = c.res.status;
  const write = (body: BodyEnd, bytes: number | null) =>
    logEvent(status >= 500 || body === 'failed' ? 'error' : 'info', 'request', {
      ...fields,
      body,
      bytes,
      rows: c.get('bodyProgress')?.rows ?? null,
      query_ms: c.get('queryMs') ?? 0,
      queries_console: c.get('queries')?.console ?? 0,
      queries_aggregate: c.get('queries')?.aggregate ?? 0,
      total_ms: Date.now() - started,
    });
  const response = c.res;
  if (!response.body) {
    write('complete', 0);
    return;
  }
  // A body rendered whole is handed to the runtime whole: its line is written now.
  const known = c.get('bodyBytes');
  if (known !== undefined) {
    write('complete', known);
    return;
  }
  let logged = false;
  c.res = new Response(
    watchBody(response.body, (how, bytes) => {
      if (logged) return;
      logged = true;
      write(how, bytes);
    }),
    response,
  );
};
