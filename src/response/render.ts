import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import type { LegacyObject } from '../legacy/types';
import { bodyFormat } from './formats';

const utf8 = new TextEncoder();

/**
 * A body rendered whole. Its size is known, so the request log writes its line at once instead of
 * passing the body through a stream of its own to count it (a Response, a stream and a reader
 * more per request, on every answer that is not a stream: errors and refusals included).
 */
export function wholeBody(
  c: Context<AppEnv>,
  body: string | Uint8Array | ArrayBuffer,
  status: ContentfulStatusCode,
  headers: Record<string, string>,
): Response {
  const bytes =
    typeof body === 'string' ? utf8.encode(body) : body instanceof Uint8Array ? body : new Uint8Array(body);
  c.set('bodyBytes', bytes.byteLength);
  return c.body(bytes as Uint8Array<ArrayBuffer>, status, headers);
}

/** A legacy success body in the negotiated format, with the legacy Content-Type. */
export function renderLegacy(c: Context<AppEnv>, body: LegacyObject): Response {
  const { bytes, contentType } = bodyFormat(c).render(body);
  return wholeBody(c, bytes, 200, { 'Content-Type': contentType });
}
