import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { encodeJson, jsonpResponse, toCsv, toXml } from '../legacy';
import type { LegacyObject } from '../legacy/types';
import { jsonpCallback } from '../request/query';

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  // The REST Server labels its UTF-16LE CSV body utf-8; the legacy header is kept as it was.
  csv: 'application/csv; charset=utf-8',
} as const;

/** A legacy success body in the negotiated format, with the legacy Content-Type. */
export function renderLegacy(c: Context<AppEnv>, body: LegacyObject): Response {
  switch (c.var.format) {
    case 'xml':
      return c.body(toXml(body), 200, { 'Content-Type': CONTENT_TYPES.xml });
    case 'csv': {
      // The CSV formatter was handed the value of `data` (or the whole body when there is none).
      const bytes = toCsv('data' in body ? (body.data ?? null) : body);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': CONTENT_TYPES.csv });
    }
    default: {
      const callback = jsonpCallback(c.req.raw);
      if (callback === undefined)
        return c.body(encodeJson(body), 200, { 'Content-Type': CONTENT_TYPES.json });
      const jsonp = jsonpResponse(callback, body);
      return c.body(jsonp.body, 200, { 'Content-Type': jsonp.contentType });
    }
  }
}
