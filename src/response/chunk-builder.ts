// Body chunks of a streamed response assembled as bytes: pieces already encoded (a row's shared
// parts, the separators) are copied, and only the text that changes from row to row is encoded.
// Building one string per chunk and encoding it cost two copies of every byte, and in workerd a
// chunk's rope of small strings was slow to flatten (bench:profile, issue 6).

/** The body's encoding: UTF-8, or UTF-16LE code units as the legacy CSV body (encodeUtf16le). */
export type BodyEncoding = 'utf8' | 'utf16le';

import { Buffer } from 'node:buffer';

const utf8 = new TextEncoder();

/** Texts at least this long are encoded by a native call; shorter ones by a loop (call overhead). */
const NATIVE_FROM = 24;

/** `text` in `encoding`: what ChunkBuilder.text appends. */
export function encodeText(text: string, encoding: BodyEncoding): Uint8Array {
  const builder = new ChunkBuilder(encoding, text.length * 3);
  builder.text(text);
  return builder.take();
}

export class ChunkBuilder {
  private buffer: Uint8Array;
  /** node:buffer's view of `buffer`, for its native UTF-16LE writer (made when first needed). */
  private view: Buffer | undefined;
  private length = 0;

  constructor(
    readonly encoding: BodyEncoding,
    capacity: number,
  ) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes appended since the last take(). */
  get size(): number {
    return this.length;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = undefined;
  }

  /** Appends bytes already in this builder's encoding. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    if (bytes.length < 16) {
      // A separator or a bracket: cheaper than a native call.
      for (let i = 0; i < bytes.length; i++) this.buffer[this.length + i] = bytes[i]!;
    } else {
      this.buffer.set(bytes, this.length);
    }
    this.length += bytes.length;
  }

  /** Appends the decimal digits of a 32-bit integer (`${value}`), without making a string. */
  int32(value: number): void {
    if (value < 0 || value > 999_999_999) {
      this.text(`${value}`);
      return;
    }
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    let rest = value;
    if (this.encoding === 'utf16le') {
      // Each digit's code unit, then its high byte (0).
      this.reserve(digits * 2);
      const buffer = this.buffer;
      let at = this.length + digits * 2;
      this.length = at;
      do {
        buffer[--at] = 0;
        buffer[--at] = 48 + (rest % 10);
        rest = (rest / 10) | 0;
      } while (rest > 0);
      return;
    }
    this.reserve(digits);
    const buffer = this.buffer;
    let at = this.length + digits;
    this.length = at;
    do {
      buffer[--at] = 48 + (rest % 10);
      rest = (rest / 10) | 0;
    } while (rest > 0);
  }

  /** Appends `text` encoded: short ASCII byte by byte, anything else by the runtime's encoders. */
  text(text: string): void {
    const n = text.length;
    if (this.encoding === 'utf16le') {
      // Each UTF-16 code unit as two little-endian bytes, surrogates included (encodeUtf16le).
      this.reserve(n * 2);
      if (n >= NATIVE_FROM) {
        const view =
          this.view ?? Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
        this.view = view;
        this.length += view.write(text, this.length, n * 2, 'utf16le');
        return;
      }
      const buffer = this.buffer;
      let at = this.length;
      for (let i = 0; i < n; i++) {
        const unit = text.charCodeAt(i);
        buffer[at++] = unit & 0xff;
        buffer[at++] = unit >> 8;
      }
      this.length = at;
      return;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.reserve(n * 3);
    if (n >= NATIVE_FROM) {
      this.length += utf8.encodeInto(text, this.buffer.subarray(this.length)).written;
      return;
    }
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) {
        // The rest as TextEncoder writes it (a lone surrogate becomes U+FFFD there too).
        at += utf8.encodeInto(text.slice(i), buffer.subarray(at)).written;
        break;
      }
      buffer[at++] = unit;
    }
    this.length = at;
  }

  /**
   * The bytes appended so far, as a chunk of their own (the builder starts a new chunk in the same
   * buffer). The copy is handed on and let go within a task or two, so it dies young; the buffer,
   * when each chunk was one taken over, lived across the awaits for rows, outlived the young
   * generation and piled up as old garbage under concurrent streams.
   */
  take(): Uint8Array {
    const chunk = this.buffer.slice(0, this.length);
    this.length = 0;
    return chunk;
  }
}
