// CSV: the REST Server's to_csv of the value of `data` (CONTRACT §3.4), a UTF-16LE body.
import {
  CSV_CONTENT_TYPE,
  CSV_PART_RULES,
  csvFieldText,
  csvHeadingLine,
  csvRecordFields,
  csvText,
  toCsv,
} from '../../legacy';
import type { LegacyObject } from '../../legacy/types';
import { encodeText } from '../chunk-builder';
import { type BodyFormat, type MemberWriter, memberWriter } from './format';

/** CSV fields (csvRecordFields): a comma between them, each by fputcsv's rules. */
function csvFieldWriter(): MemberWriter {
  const none = new Uint8Array(0);
  const comma = encodeText(',', 'utf16le');
  return memberWriter((_, first) => (first ? none : comma), csvFieldText);
}

export const csv: BodyFormat = {
  encoding: 'utf16le',
  // The CSV formatter was handed the value of `data` (or the whole body when there is none).
  render: (body: LegacyObject) => ({
    bytes: toCsv('data' in body ? (body.data ?? null) : body),
    contentType: CSV_CONTENT_TYPE,
  }),
  // The library labelled its UTF-16LE body utf-8; the legacy header is kept as it was.
  contentType: () => CSV_CONTENT_TYPE,
  reach: 0,
  rows: {
    opening: (first) => {
      // With a member in its first record the list is to_csv's multi-dimensional case: heading,
      // then one line per record. Without one, to_csv would need the later rows to decide.
      if (Object.keys(first).length === 0) throw new TypeError('streamed CSV: the first row is empty');
      return csvHeadingLine(first);
    },
    closing: '',
    between: '',
    empty: csvText([]),
    members: csvRecordFields,
    parts: CSV_PART_RULES,
    memberWriter: csvFieldWriter,
  },
};
