import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An RFC 9457 problem answer, as the Public API Worker gives its own errors. */
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail: string): Response {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail }), status, {
    'Content-Type': 'application/problem+json',
  });
}
