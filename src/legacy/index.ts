// Byte-exact reproductions of the legacy PHP API's output quirks (CONTRACT §3).
export {
  CSV_CONTENT_TYPE,
  CSV_PART_RULES,
  csvField,
  csvFieldText,
  csvHeadingLine,
  csvLine,
  csvRecordFields,
  csvRecordLine,
  csvSource,
  csvText,
  encodeUtf16le,
  toCsv,
} from './csv';
export { HTML401_ENTITIES, htmlEntityDecode } from './html-entities';
export { singular } from './inflector';
export { isPhpInt, isPhpInt32, phpFloatToJson, phpFloatToString, phpIntToString } from './php-float';
export { contractFloat, type PhpInt, phpIntval, phpRatio, phpRatio2 } from './php-int';
export {
  type Envelope,
  encodeJson,
  encodeJsonAround,
  encodeJsonMembers,
  encodeJsonName,
  encodeJsonString,
  JSON_CONTENT_TYPE,
  JSON_PART_RULES,
} from './php-json';
export {
  JSONP_CONTENT_TYPE,
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  jsonpResponse,
  jsonpUnencodableContentType,
} from './php-jsonp';
export { phpRound } from './php-round';
export { phpStrval } from './php-string';
export type { LegacyObject, LegacyPartRules, LegacyRowParts, LegacyScalar, LegacyValue } from './types';
export {
  toXml,
  XML_CONTENT_TYPE,
  XML_PROLOG,
  xmlAround,
  xmlElement,
  xmlItemName,
  xmlMembers,
  xmlPartRules,
  xmlText,
} from './xml';
