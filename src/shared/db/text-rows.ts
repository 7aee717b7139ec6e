// Rows of a streamed query read straight from mysql2's packets, for the connector streams' columns
// (integers and DATEs). mysql2's own row parser inside workerd is its eval-free one (disableEval):
// per field of every row it makes a closure and an options object and re-reads the query's
// options (bench:profile, issue 6: a large share of a long /dataconnector's isolate time). This
// reads the same values with one small function per column, and decodes a DATE only when it
// differs from the row before (the connector rows come in date order).

/**
 * Column types of the MySQL protocol (ColumnDefinition `columnType`, mysql2's `Types`, which is a
 * lazy getter Node's ESM import of mysql2 cannot name: bench/sql.mjs loads this module in Node).
 */
const Types = { TINY: 1, SHORT: 2, LONG: 3, LONGLONG: 8, INT24: 9, DATE: 10, YEAR: 13 } as const;

/** What the readers use of mysql2's Packet (the class is not exported with its type). */
export interface TextRowPacket {
  buffer: Uint8Array;
  offset: number;
  parseLengthCodedInt(supportBigNumbers: boolean): number | string | null;
  readLengthCodedString(encoding: string): string | null;
}

/** A column as mysql2's ColumnDefinition describes it. */
export interface TextRowField {
  columnType: number;
}

type FieldReader = (packet: TextRowPacket) => unknown;

const INTEGER_TYPES: ReadonlySet<number> = new Set([
  Types.TINY,
  Types.SHORT,
  Types.LONG,
  Types.INT24,
  Types.YEAR,
  Types.LONGLONG,
]);

/** Below this many digits an integer is exact as a JS number (2^53 has 16). */
const EXACT_DIGITS = 16;
const MINUS = 0x2d;
const ZERO = 0x30;

/**
 * An integer column as mysql2 gives it with `supportBigNumbers` (RowOptions `numbers`): a number,
 * a string beyond 2^53, null for NULL. The digits are summed in place; a NULL, a long length
 * prefix or a long number is left to mysql2's own reader.
 */
const readInteger: FieldReader = (packet) => {
  const buffer = packet.buffer;
  const length = buffer[packet.offset]!;
  if (length === 0 || length >= EXACT_DIGITS) return packet.parseLengthCodedInt(true);
  let at = packet.offset + 1;
  const end = at + length;
  const sign = buffer[at] === MINUS ? -1 : 1;
  if (sign === -1) at++;
  let value = 0;
  for (; at < end; at++) value = value * 10 + (buffer[at]! - ZERO);
  packet.offset = end;
  return sign * value;
};

/**
 * A DATE column as mysql2 gives it with `dateStrings` ('YYYY-MM-DD', null for NULL), decoded only
 * when its bytes differ from the previous row's: the same string then comes back, row after row.
 */
function repeatingDateReader(): FieldReader {
  const last = new Uint8Array(16);
  let lastLength = -1;
  let lastValue: string | null = null;
  return (packet) => {
    const buffer = packet.buffer;
    const start = packet.offset;
    const length = buffer[start]!;
    if (length === lastLength) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (buffer[start + 1 + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        packet.offset = start + 1 + length;
        return lastValue;
      }
    }
    lastValue = packet.readLengthCodedString('ascii');
    // NULL (0xfb) and longer length prefixes are not remembered: never a DATE's.
    lastLength = length < last.length ? length : -1;
    if (lastLength > 0) last.set(buffer.subarray(start + 1, start + 1 + length));
    return lastValue;
  };
}

/**
 * A reader of whole rows (arrays in column order) for `fields`, or undefined when a column is
 * neither an integer nor a DATE: such a query is left to mysql2's own parser.
 */
export function textRowReader(
  fields: readonly TextRowField[],
): ((packet: TextRowPacket) => unknown[]) | undefined {
  const readers: FieldReader[] = [];
  for (const field of fields) {
    if (INTEGER_TYPES.has(field.columnType)) readers.push(readInteger);
    else if (field.columnType === Types.DATE) readers.push(repeatingDateReader());
    else return undefined;
  }
  const count = readers.length;
  return (packet) => {
    const row = new Array<unknown>(count);
    for (let i = 0; i < count; i++) row[i] = readers[i]!(packet);
    return row;
  };
}
