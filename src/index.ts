import { app } from './app';
import type { Env } from './env';
import { withPhpQuery } from './request/query';
import { requestScope } from './shared/observability/request-scope';

export { RateLimiter } from '../durable-objects/rate-limiter';
export { StreamSlots } from '../durable-objects/stream-slots';

/**
 * Headers every response carries, whichever part of the app answered it (routes, errors, the
 * CORS preflight, static assets): `nosniff`, so that a browser never guesses a type for a body
 * (a CSV or a JSONP body holding caller-controlled text) other than the one declared.
 */
export function withEveryResponseHeaders(response: Response): Response {
  try {
    response.headers.set('X-Content-Type-Options', 'nosniff');
    return response;
  } catch {
    // Immutable headers (a response as fetch() or the assets binding gave it): a copy takes them.
    const answered = new Response(response.body, response);
    answered.headers.set('X-Content-Type-Options', 'nosniff');
    return answered;
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    // One log scope per request: every line written while it is answered carries its id.
    return requestScope.run({}, async () =>
      withEveryResponseHeaders(await app.fetch(withPhpQuery(request), env, ctx)),
    );
  },
} satisfies ExportedHandler<Env>;
