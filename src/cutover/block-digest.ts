// A body's fingerprint taken as it streams, in constant memory: its size, and a short hash of each
// 16 KiB block. Two fingerprints say whether two bodies are the same and, when not, in which block
// they first differ, without either body ever being held whole (a connector body can be gigabytes).
import { createHash, type Hash } from 'node:crypto';

export const BLOCK_BYTES = 16 * 1024;

export class BlockDigest {
  readonly blocks: string[] = [];
  size = 0;
  private hash: Hash = createHash('sha1');
  private inBlock = 0;
  private finished = false;

  update(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(BLOCK_BYTES - this.inBlock, chunk.length - at);
      this.hash.update(chunk.subarray(at, at + take));
      this.inBlock += take;
      this.size += take;
      at += take;
      if (this.inBlock === BLOCK_BYTES) this.closeBlock();
    }
  }

  finish(): this {
    if (!this.finished && this.inBlock > 0) this.closeBlock();
    this.finished = true;
    return this;
  }

  private closeBlock(): void {
    this.blocks.push(this.hash.digest('hex').slice(0, 16));
    this.hash = createHash('sha1');
    this.inBlock = 0;
  }
}

/** The offset of the first block where two finished digests differ, or null when they are equal. */
export function firstDifferingBlock(a: BlockDigest, b: BlockDigest): number | null {
  const n = Math.max(a.blocks.length, b.blocks.length);
  for (let i = 0; i < n; i++) if (a.blocks[i] !== b.blocks[i]) return i * BLOCK_BYTES;
  return a.size === b.size ? null : Math.min(a.size, b.size);
}

/** Digests a whole stream (the legacy's body, read as it comes). */
export async function digestStream(body: ReadableStream<Uint8Array> | null): Promise<BlockDigest> {
  const digest = new BlockDigest();
  if (!body) return digest.finish();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return digest.finish();
    digest.update(value);
  }
}
