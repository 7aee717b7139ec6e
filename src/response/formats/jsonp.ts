// JSON with a `callback` parameter (CONTRACT §3.2): wrapped as `cb(…);`, or given a warning member,
// and typed JavaScript when the legacy's `preg_match('/^' . $callback . '/', $body)` matches.
import { jsonpAround, jsonpContentType, jsonpContentTypeReach, jsonpResponse } from '../../legacy';
import type { LegacyObject, LegacyValue } from '../../legacy/types';
import type { BodyFormat } from './format';
import { jsonRows } from './json';

const utf8 = new TextEncoder();

/** The JSON body for a request whose `callback` parameter is `callback` (any string, even empty). */
export function jsonp(callback: string): BodyFormat {
  // The rows' place in the body, by identity: the legacy functions split the body around it.
  const list: LegacyValue[] = [];
  return {
    encoding: 'utf8',
    render: (body: LegacyObject) => {
      const { body: text, contentType } = jsonpResponse(callback, body);
      return { bytes: utf8.encode(text), contentType };
    },
    contentType: (bodyStart) => jsonpContentType(callback, bodyStart),
    reach: jsonpContentTypeReach(callback),
    rows: jsonRows(jsonpAround(callback, { data: list }, list)),
  };
}
