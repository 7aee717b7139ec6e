// XML: the REST Server's to_xml of the whole body (CONTRACT §3.4).
import { toXml, XML_CONTENT_TYPE, xmlAround, xmlMembers, xmlPartRules } from '../../legacy';
import type { LegacyObject, LegacyValue } from '../../legacy/types';
import type { BodyFormat } from './format';

const utf8 = new TextEncoder();

// The rows' place in the body, by identity: the legacy functions split the body around it.
const list: LegacyValue[] = [];
const { head, itemName, tail, empty } = xmlAround({ data: list }, list);

export const xml: BodyFormat = {
  encoding: 'utf8',
  render: (body: LegacyObject) => ({ bytes: utf8.encode(toXml(body)), contentType: XML_CONTENT_TYPE }),
  contentType: () => XML_CONTENT_TYPE,
  reach: 0,
  rows: {
    opening: () => head,
    closing: tail,
    between: '',
    empty,
    members: (part) => xmlMembers(itemName, part) || undefined,
    parts: xmlPartRules(itemName),
  },
};
