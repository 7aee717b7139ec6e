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

const utf8 = new TextEncoder();

/** A legacy success body in the negotiated format, with the legacy Content-Type. */
export function renderLegacy(c: Context<AppEnv>, body: LegacyObject): Response {
  const { bytes, contentType } = encodeLegacy(c, body);
  // Rendered whole: its size is known, so the request log writes its line without passing the
  // body through a stream of its own.
  c.set('bodyBytes', bytes.byteLength);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': contentType });
}

function encodeLegacy(c: Context<AppEnv>, body: LegacyObject): { bytes: Uint8Array; contentType: string } {
  switch (c.var.format) {
    case 'xml':
      return { bytes: utf8.encode(toXml(body)), contentType: CONTENT_TYPES.xml };
    case 'csv':
      // The CSV formatter was handed the value of `data` (or the whole body when there is none).
      return { bytes: toCsv('data' in body ? (body.data ?? null) : body), contentType: CONTENT_TYPES.csv };
    default: {
      const callback = jsonpCallback(c.req.raw);
      if (callback === undefined)
        return { bytes: utf8.encode(encodeJson(body)), contentType: CONTENT_TYPES.json };
      const jsonp = jsonpResponse(callback, body);
      return { bytes: utf8.encode(jsonp.body), contentType: jsonp.contentType };
    }
  }
}
