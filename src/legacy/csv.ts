// The legacy CSV body: CodeIgniter Rest Server 3.1.7 `Format::to_csv` of the value of `data`,
// CONTRACT §3.4. Hand-written on purpose: CSV libraries quote by RFC 4180, not like PHP's fputcsv
// (which also encloses fields with a space or tab and never doubles a quote right after a
// backslash), and none writes the UTF-16LE body the library produced with mb_convert_encoding.
import { Buffer } from 'node:buffer';
import { phpStrval } from './php-string';
import {
  isPhpArray,
  type LegacyObject,
  type LegacyPartRules,
  type LegacyScalar,
  type LegacyValue,
} from './types';

/** The library's CSV Content-Type, although the body is UTF-16LE. */
export const CSV_CONTENT_TYPE = 'application/csv; charset=utf-8';

// The legacy base controller handed the value of `data` to the CSV formatter, and the whole body
// when it has no `data` member (`/credentialscheck` → `status` / `1`).
export function csvSource(body: LegacyObject): LegacyValue {
  return 'data' in body ? body.data! : body;
}

// Format::to_csv(): heading row then records, each an fputcsv() line, as UTF-16LE without BOM.
export function toCsv(value: LegacyValue): Uint8Array {
  return encodeUtf16le(csvText(value));
}

/** The text of to_csv() before its conversion to UTF-16LE. */
export function csvText(value: LegacyValue): string {
  // (array) cast: null → [], a scalar → [scalar].
  const data: LegacyValue[] | LegacyObject = value === null ? [] : isPhpArray(value) ? value : [value];
  if (isMultiDimensionalList(data)) {
    const first = data[0]!;
    if (!isPhpArray(first)) throw new TypeError('to_csv: array_keys() of a scalar row');
    let out = csvHeadingLine(first);
    for (const record of data) {
      // to_csv stops at the first record that is not an array.
      if (!isPhpArray(record)) break;
      out += csvRecordLine(record);
    }
    return out;
  }
  // A single record (an object, or a flat or empty list): its keys, then its values.
  return csvLine(keysOf(data)) + csvLine(valuesOf(data).map(csvField));
}

// The two lines of a list of records, for a renderer that writes them as they come: the heading
// (the first record's keys) and one record. A list whose first record has a member is always
// to_csv's multi-dimensional case, so the text is heading + every record's line.
export function csvHeadingLine(first: LegacyValue[] | LegacyObject): string {
  return csvLine(keysOf(first));
}

export function csvRecordLine(record: LegacyValue[] | LegacyObject): string {
  return csvLine(valuesOf(record).map(csvField));
}

// `isset($data[0]) && count($data) !== count($data, COUNT_RECURSIVE)`: a list whose first element
// is not null and with at least one non-empty nested array.
function isMultiDimensionalList(data: LegacyValue[] | LegacyObject): data is LegacyValue[] {
  if (!Array.isArray(data) || data.length === 0 || data[0] === null) return false;
  return data.some((item) => isPhpArray(item) && valuesOf(item).length > 0);
}

function keysOf(value: LegacyValue[] | LegacyObject): string[] {
  return Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
}

function valuesOf(value: LegacyValue[] | LegacyObject): LegacyValue[] {
  return Array.isArray(value) ? value : Object.values(value);
}

// `@array_map('strval', $record)`: a nested array becomes the string `Array`.
export function csvField(value: LegacyValue): string {
  return isPhpArray(value) ? 'Array' : phpStrval(value);
}

// Characters that make fputcsv enclose a field: delimiter, enclosure, escape char, LF, CR, tab, space.
const MUST_ENCLOSE = /[,"\\\n\r\t ]/;

// PHP 8.2 php_fputcsv($fields, ',', '"', '\\', "\n"): one line with its LF. Enclosed fields double
// each `"` except one directly preceded by a backslash (the escape char, as PHP tracks it).
export function csvLine(fields: LegacyScalar[]): string {
  return `${csvJoin(fields)}\n`;
}

function csvJoin(fields: LegacyScalar[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvFieldText(fields[i]!);
  }
  return line;
}

/** One field as fputcsv writes it in a line (enclosed when it must be), without the comma. */
export function csvFieldText(value: LegacyValue): string {
  const field = csvField(value);
  return MUST_ENCLOSE.test(field) ? encloseField(field) : field;
}

/**
 * The fields of a record as its fputcsv line writes them, without the LF, or undefined when it
 * has no member. A record given in parts (LegacyRowParts), its parts' fields written by
 * CSV_PART_RULES, is the bytes csvRecordLine gives for the merged record.
 */
export function csvRecordFields(record: LegacyObject): string | undefined {
  const values = valuesOf(record);
  return values.length === 0 ? undefined : csvJoin(values.map(csvField));
}

/** A record's line from its parts' fields (csvRecordFields); none at all is an empty line. */
export const CSV_PART_RULES: LegacyPartRules = { open: '', separator: ',', close: '\n', empty: '\n' };

function encloseField(field: string): string {
  if (!field.includes('"')) return `"${field}"`;
  let out = '"';
  let escaped = false;
  for (const ch of field) {
    if (ch === '\\') escaped = true;
    else if (!escaped && ch === '"') out += '"';
    else escaped = false;
    out += ch;
  }
  return `${out}"`;
}

// mb_convert_encoding($csv, 'UTF-16LE', 'UTF-8'): two bytes per UTF-16 code unit, little-endian,
// no BOM; astral characters as surrogate pairs (which a JS string already holds).
export function encodeUtf16le(text: string): Uint8Array {
  if (text.length >= 4096) {
    // The runtime's own UTF-16LE encoder, much faster than the loop on streamed chunks.
    // Only for large texts: node:buffer may carve small Buffers out of a shared pool, and a body
    // chunk must own its memory.
    const encoded = Buffer.from(text, 'utf16le');
    return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  }
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return bytes;
}
