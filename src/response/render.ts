import type { Context } from 'hono';
import type { AppEnv } from '../env';
import type { LegacyObject } from '../legacy/types';
import { bodyFormat } from './formats';

/** A legacy success body in the negotiated format, with the legacy Content-Type. */
export function renderLegacy(c: Context<AppEnv>, body: LegacyObject): Response {
  const { bytes, contentType } = bodyFormat(c).render(body);
  // Rendered whole: its size is known, so the request log writes its line without passing the
  // body through a stream of its own.
  c.set('bodyBytes', bytes.byteLength);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': contentType });
}
