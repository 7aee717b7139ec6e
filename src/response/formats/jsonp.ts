// JSON with a `callback` parameter (CONTRACT §3.2): wrapped as `cb(…);`, or given a warning member,
// and typed JavaScript when the legacy's `preg_match('/^' . $callback . '/', $body)` matches.
import {
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  jsonpResponse,
  jsonpUnencodableContentType,
} from '../../legacy';
import type { LegacyObject, LegacyValue } from '../../legacy/types';
import type { BodyFormat, RowRules } from './format';
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

/** Row rules that write nothing: not a byte for any row, nor around them. */
const NO_BYTES: RowRules = {
  opening: () => '',
  closing: '',
  between: '',
  empty: '',
  members: () => undefined,
  parts: { open: '', separator: '', close: '', empty: '' },
};

/**
 * The JSON body for a `callback` whose bytes are not UTF-8: empty, whatever the data
 * (jsonpUnencodableContentType says why). A stream's rows are still read to their end, as the
 * legacy read them all before encoding: a failure on the way is still a broken transfer.
 */
export function jsonpUnencodable(callbackBytes: Uint8Array): BodyFormat {
  const contentType = jsonpUnencodableContentType(callbackBytes);
  return {
    encoding: 'utf8',
    render: () => ({ bytes: new Uint8Array(0), contentType }),
    contentType: () => contentType,
    reach: 0,
    rows: NO_BYTES,
  };
}
