import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { jsonpCallback } from '../../request/query';
import { csv } from './csv';
import type { BodyFormat } from './format';
import { json } from './json';
import { jsonp, jsonpUnencodable } from './jsonp';
import { xml } from './xml';

export type { BodyFormat, MemberWriter, RowRules } from './format';

/**
 * The format of a request's success body: the negotiated one (src/request/format.ts), JSON becoming
 * JSONP when the request has a `callback` parameter (which changes nothing in XML or CSV).
 */
export function bodyFormat(c: Context<AppEnv>): BodyFormat {
  switch (c.get('format')) {
    case 'xml':
      return xml;
    case 'csv':
      return csv;
    default: {
      const callback = jsonpCallback(c.req.raw);
      if (callback === undefined) return json;
      return typeof callback === 'string' ? jsonp(callback) : jsonpUnencodable(callback);
    }
  }
}
