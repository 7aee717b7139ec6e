// JSON: the REST Server's json_encode of the body (CONTRACT §3.1), without a `callback` parameter.
import {
  encodeJson,
  encodeJsonAround,
  encodeJsonMembers,
  encodeJsonName,
  JSON_CONTENT_TYPE,
  JSON_PART_RULES,
} from '../../legacy';
import type { LegacyObject, LegacyValue } from '../../legacy/types';
import { encodeText } from '../chunk-builder';
import { type BodyFormat, type MemberWriter, memberWriter, type RowRules } from './format';

const utf8 = new TextEncoder();

/** JSON members (encodeJsonMembers): each name encoded once per stream, with and without its comma. */
function jsonMemberWriter(): MemberWriter {
  const names = new Map<string, { first: Uint8Array; later: Uint8Array }>();
  const prefix = (key: string, first: boolean) => {
    let encoded = names.get(key);
    if (encoded === undefined) {
      const name = encodeJsonName(key);
      encoded = { first: encodeText(name, 'utf8'), later: encodeText(`,${name}`, 'utf8') };
      if (names.size < 256) names.set(key, encoded);
    }
    return first ? encoded.first : encoded.later;
  };
  return memberWriter(prefix, encodeJson);
}

/**
 * The rows of a JSON body `{"data":[rows]}` between `head` and `tail` (the body split around its
 * list: encodeJsonAround, or jsonpAround for a JSONP body).
 */
export function jsonRows({ head, tail }: { head: string; tail: string }): RowRules {
  return {
    opening: () => head,
    closing: tail,
    between: ',',
    empty: head + tail,
    members: encodeJsonMembers,
    parts: JSON_PART_RULES,
    memberWriter: jsonMemberWriter,
  };
}

// The rows' place in the body, by identity: the legacy functions split the body around it.
const list: LegacyValue[] = [];

export const json: BodyFormat = {
  encoding: 'utf8',
  render: (body: LegacyObject) => ({ bytes: utf8.encode(encodeJson(body)), contentType: JSON_CONTENT_TYPE }),
  contentType: () => JSON_CONTENT_TYPE,
  reach: 0,
  rows: jsonRows(encodeJsonAround({ data: list }, list)),
};
