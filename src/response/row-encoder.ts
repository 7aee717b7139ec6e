// The body `{"data":[rows]}` of a format written a row at a time, as bytes: no stream, no timers
// (the pump, src/response/pump.ts, decides when to write and send).
import type { LegacyObject, LegacyRowParts } from '../legacy/types';
import { ChunkBuilder, encodeText } from './chunk-builder';
import type { BodyFormat, MemberWriter } from './formats';

/** A shared part's members with what precedes them in each place a shared part can be. */
interface SharedBytes {
  /** As the first members of the first row. */
  firstOfFirstRow: Uint8Array;
  /** As the first members of a later row, after the separator between rows. */
  firstOfRow: Uint8Array;
  /** After other members of its row. */
  later: Uint8Array;
}

/** The merged row of its parts (LegacyRowParts): what the CSV heading is read from. */
const merged = (row: LegacyRowParts): LegacyObject => Object.assign({}, ...row.shared, row.own);

/**
 * Writes `opening(first)`, then `row(…)` for each row, then `closing()`: the bytes of the format's
 * whole-body render of `{ data: [...rows] }` (each row merged from its parts), taken a chunk at a
 * time with take(). A shared part of a row is encoded once and remembered by identity, the pieces
 * that never change once, and only each row's own part is encoded per row. Without rows the body
 * is `empty()`.
 */
export class RowEncoder {
  private readonly builder: ChunkBuilder;
  private readonly bytesOf: (text: string) => Uint8Array;
  private readonly sharedBytes = new WeakMap<LegacyObject, SharedBytes | null>();
  private readonly writeOwn: MemberWriter;
  private readonly closeBytes: Uint8Array;
  private readonly emptyBytes: Uint8Array;
  private readonly betweenEmptyBytes: Uint8Array;
  private readonly closingBytes: Uint8Array;
  private readonly openBytes: Uint8Array;
  private readonly betweenOpenBytes: Uint8Array;
  private readonly separatorBytes: Uint8Array;
  private written = 0;

  /** `capacity`: the size of the buffer chunks are written in (a longer chunk grows it). */
  constructor(
    private readonly format: BodyFormat,
    capacity: number,
  ) {
    const { encoding, rows } = format;
    const { open, separator, close, empty } = rows.parts;
    this.builder = new ChunkBuilder(encoding, capacity);
    this.bytesOf = (text) => encodeText(text, encoding);
    this.closeBytes = this.bytesOf(close);
    this.emptyBytes = this.bytesOf(empty);
    this.betweenEmptyBytes = this.bytesOf(rows.between + empty);
    this.closingBytes = this.bytesOf(rows.closing);
    this.openBytes = this.bytesOf(open);
    this.betweenOpenBytes = this.bytesOf(rows.between + open);
    this.separatorBytes = this.bytesOf(separator);
    this.writeOwn =
      rows.memberWriter?.() ??
      ((builder, part, opener) => {
        const members = rows.members(part);
        if (members === undefined) return false;
        builder.bytes(opener);
        builder.text(members);
        return true;
      });
  }

  /** The whole body without rows. */
  empty(): Uint8Array {
    return this.bytesOf(this.format.rows.empty);
  }

  /** Writes what precedes the rows; `first` is the first row (the CSV heading is read from it). */
  opening(first: LegacyRowParts): void {
    this.builder.text(this.format.rows.opening(merged(first)));
  }

  /** Writes one row (the separator from the previous one included). */
  row(row: LegacyRowParts): void {
    const builder = this.builder;
    const firstRow = this.written++ === 0;
    let any = false;
    for (const part of row.shared) {
      const encoded = this.sharedBytesOf(part);
      if (encoded === null) continue;
      builder.bytes(any ? encoded.later : firstRow ? encoded.firstOfFirstRow : encoded.firstOfRow);
      any = true;
    }
    const opener = any ? this.separatorBytes : firstRow ? this.openBytes : this.betweenOpenBytes;
    if (this.writeOwn(builder, row.own, opener)) any = true;
    if (any) builder.bytes(this.closeBytes);
    else builder.bytes(firstRow ? this.emptyBytes : this.betweenEmptyBytes);
  }

  /** Writes what follows the last row. */
  closing(): void {
    this.builder.bytes(this.closingBytes);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.written;
  }

  /** Bytes written since the last take(). */
  get size(): number {
    return this.builder.size;
  }

  /** The bytes written since the last take(): they are the caller's. */
  take(): Uint8Array {
    return this.builder.take();
  }

  private sharedBytesOf(part: LegacyObject): SharedBytes | null {
    let encoded = this.sharedBytes.get(part);
    if (encoded === undefined) {
      const members = this.format.rows.members(part);
      const { open, separator } = this.format.rows.parts;
      encoded =
        members === undefined
          ? null
          : {
              firstOfFirstRow: this.bytesOf(open + members),
              firstOfRow: this.bytesOf(this.format.rows.between + open + members),
              later: this.bytesOf(separator + members),
            };
      this.sharedBytes.set(part, encoded);
    }
    return encoded;
  }
}
