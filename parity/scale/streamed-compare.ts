// A body compared with a reference body on disk as it streams, in constant memory: at production
// scale a connector body is hundreds of megabytes, too large to hold twice.
import { closeSync, openSync, readSync } from 'node:fs';
import { firstDifference } from '../byte-compare.ts';

/** Bytes of context kept on each side of the first difference. */
const CONTEXT_BYTES = 40;

export interface StreamedVerdict {
  /** Both bodies have the same bytes. */
  same: boolean;
  /** The streamed body's size. */
  size: number;
  /** The reference's size. */
  referenceSize: number;
  /** The offset of the first differing byte (the shorter size when one body is a prefix of the other). */
  offset?: number;
  /** Up to CONTEXT_BYTES before and after the first difference, reference then streamed. */
  reference?: Buffer;
  streamed?: Buffer;
}

/**
 * Feed it the streamed body's chunks in order (`update`), then `finish()`. The reference file is
 * read at the same offsets as the chunks arrive; it must not change meanwhile.
 */
export class StreamedComparison {
  private readonly referencePath: string;
  private readonly referenceSize: number;
  private readonly fd: number;
  private size = 0;
  private offset: number | undefined;
  private streamedContext: Buffer | undefined;
  private finished = false;

  constructor(referencePath: string, referenceSize: number) {
    this.referencePath = referencePath;
    this.referenceSize = referenceSize;
    this.fd = openSync(referencePath, 'r');
  }

  update(chunk: Uint8Array): void {
    if (this.offset === undefined) {
      const reference = this.read(this.size, chunk.length);
      const at = firstDifference(reference, chunk);
      if (at >= 0) {
        this.offset = this.size + at;
        this.streamedContext = Buffer.from(
          chunk.subarray(Math.max(0, at - CONTEXT_BYTES), at + CONTEXT_BYTES),
        );
      }
    }
    this.size += chunk.length;
  }

  finish(): StreamedVerdict {
    if (this.finished) throw new Error('finish() was called twice');
    this.finished = true;
    try {
      // The streamed body ended first: it is a prefix of the reference.
      if (this.offset === undefined && this.size !== this.referenceSize) {
        this.offset = this.size;
        this.streamedContext = Buffer.alloc(0);
      }
      const base = { size: this.size, referenceSize: this.referenceSize };
      if (this.offset === undefined) return { same: true, ...base };
      const from = Math.max(0, this.offset - CONTEXT_BYTES);
      return {
        same: false,
        ...base,
        offset: this.offset,
        reference: this.read(from, this.offset + CONTEXT_BYTES - from),
        streamed: this.streamedContext,
      };
    } finally {
      closeSync(this.fd);
    }
  }

  /** Up to `length` bytes of the reference from `position` (fewer at its end). */
  private read(position: number, length: number): Buffer {
    const available = Math.max(0, Math.min(length, this.referenceSize - position));
    const bytes = Buffer.alloc(available);
    let done = 0;
    while (done < available) {
      const n = readSync(this.fd, bytes, done, available - done, position + done);
      if (n === 0) throw new Error(`${this.referencePath} is shorter than ${this.referenceSize} bytes`);
      done += n;
    }
    return bytes;
  }
}
