import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../test/support/bytes';
import { encodeUtf16le } from '../legacy';
import { type BodyEncoding, ChunkBuilder, encodeText } from './chunk-builder';

const utf8 = new TextEncoder();
const reference = (text: string, encoding: BodyEncoding) =>
  encoding === 'utf8' ? utf8.encode(text) : encodeUtf16le(text);

// ASCII, Latin-1, BMP, astral characters and lone surrogates (TextEncoder writes U+FFFD for those).
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', '0', ',', '"', '\n', ' ', '{', '}'),
    fc.constantFrom('é', 'ß', '\u00ff', '\u0080', 'Ω', '\u2028', '€', '😀', '𝄞', '\ud800', '\udfff'),
  ),
  maxLength: 40,
});

describe('ChunkBuilder: the bytes of the runtime encoders', () => {
  it.each(['utf8', 'utf16le'] as const)(
    '%s: text is encoded as TextEncoder / encodeUtf16le do',
    (encoding) => {
      fc.assert(
        fc.property(text, (value) => {
          expect(encodeText(value, encoding)).toEqual(reference(value, encoding));
        }),
        { numRuns: 500 },
      );
    },
  );

  it.each(['utf8', 'utf16le'] as const)('%s: a 32-bit integer is written as its digits', (encoding) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.integer({ min: 0, max: 12 }),
          fc.constantFrom(
            0,
            999_999_999,
            1e9,
            ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((k) => [10 ** k - 1, 10 ** k]),
          ),
        ),
        (n) => {
          const builder = new ChunkBuilder(encoding, 4);
          builder.text('x');
          builder.int32(n);
          expect(builder.take()).toEqual(reference(`x${n}`, encoding));
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each(['utf8', 'utf16le'] as const)(
    '%s: pieces of text and bytes over many chunks are their encodings, in order',
    (encoding) => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ value: text, preEncoded: fc.boolean(), takeAfter: fc.boolean() }), {
            maxLength: 30,
          }),
          fc.integer({ min: 1, max: 64 }),
          (pieces, capacity) => {
            const builder = new ChunkBuilder(encoding, capacity);
            const chunks: Uint8Array[] = [];
            for (const { value, preEncoded, takeAfter } of pieces) {
              if (preEncoded) builder.bytes(reference(value, encoding));
              else builder.text(value);
              if (takeAfter) chunks.push(builder.take());
            }
            chunks.push(builder.take());
            // A taken chunk is the caller's: later writes never touch it. (Piece by piece: a lone
            // surrogate at the end of one piece does not pair with one starting the next.)
            expect(concatBytes(chunks)).toEqual(concatBytes(pieces.map((p) => reference(p.value, encoding))));
            expect(builder.size).toBe(0);
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
