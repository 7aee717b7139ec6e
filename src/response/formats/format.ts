// What every output format provides. The PHP-exact encoders themselves are in src/legacy/; a
// format only puts them together for a whole body and for one streamed a row at a time.
import { isPhpInt32 } from '../../legacy';
import type { LegacyObject, LegacyPartRules, LegacyValue } from '../../legacy/types';
import type { BodyEncoding, ChunkBuilder } from '../chunk-builder';

/** One output format of the legacy success bodies. */
export interface BodyFormat {
  /** The body's encoding: UTF-8, or UTF-16LE for CSV. */
  readonly encoding: BodyEncoding;
  /** The whole body of `body`, and its Content-Type. */
  render(body: LegacyObject): { bytes: Uint8Array; contentType: string };
  /** The Content-Type of a body from at least its first `reach` UTF-8 bytes (or all of it). */
  contentType(bodyStart: string): string;
  /** How many leading UTF-8 bytes of the body contentType reads (0: none). */
  readonly reach: number;
  /** How the body `{"data":[rows]}` is written a row at a time (RowEncoder). */
  readonly rows: RowRules;
}

/** The body `{"data":[rows]}` in pieces: opening, rows with what separates them, closing. */
export interface RowRules {
  /** The opening bytes, before the first row; the CSV heading needs the first row (merged). */
  opening(first: LegacyObject): string;
  /** The closing bytes, after the last row. */
  readonly closing: string;
  /** What separates two rows. */
  readonly between: string;
  /** The whole body without rows: some formats write an empty list differently. */
  readonly empty: string;
  /** The members of one part of a row in this format, undefined when it has none. */
  members(part: LegacyObject): string | undefined;
  /** How a row is written from its parts' members. */
  readonly parts: LegacyPartRules;
  /** Optional: a MemberWriter per stream (what `members` gives, written as bytes). */
  memberWriter?(): MemberWriter;
}

/**
 * Writes the members of a part straight into the chunk (the bytes `members` would give), `opener`
 * before the first; false when the part has none (nothing written).
 */
export type MemberWriter = (builder: ChunkBuilder, part: LegacyObject, opener: Uint8Array) => boolean;

/**
 * A MemberWriter: before each member, its prefix (`prefix(key, first)`: the JSON name, or the CSV
 * comma), then the value, an integer as its digits (isPhpInt32), any other value as `text(value)`.
 * The bytes `members` would give, without making its string.
 */
export function memberWriter(
  prefix: (key: string, first: boolean) => Uint8Array,
  text: (value: LegacyValue) => string,
): MemberWriter {
  return (builder, part, opener) => {
    let first = true;
    for (const key in part) {
      if (first) builder.bytes(opener);
      builder.bytes(prefix(key, first));
      first = false;
      const value = part[key]!;
      if (isPhpInt32(value)) builder.int32(value);
      else builder.text(text(value));
    }
    return !first;
  };
}
