import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BlockDigest, digestStream, firstDifferingBlock } from './block-digest';

const bytes = (n: number, fill = 97) => new Uint8Array(n).fill(fill);
const streamOf = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

describe('block digests: two bodies compared as they stream, never held whole', () => {
  it('the same bytes in any chunking give the same digest', async () => {
    const whole = bytes(3 * BLOCK_BYTES + 123);
    const a = new BlockDigest();
    a.update(whole);
    a.finish();
    const b = await digestStream(
      streamOf([whole.subarray(0, 7), whole.subarray(7, 40_000), whole.subarray(40_000)]),
    );
    expect(b.size).toBe(whole.length);
    expect(firstDifferingBlock(a, b)).toBeNull();
  });

  it('names the block of the first difference', async () => {
    const one = bytes(4 * BLOCK_BYTES);
    const other = one.slice();
    other[2 * BLOCK_BYTES + 5] = 98;
    const [a, b] = await Promise.all([digestStream(streamOf([one])), digestStream(streamOf([other]))]);
    expect(firstDifferingBlock(a, b)).toBe(2 * BLOCK_BYTES);
  });

  it('a body that is a prefix of the other differs where it ends', async () => {
    const a = await digestStream(streamOf([bytes(BLOCK_BYTES)]));
    const b = await digestStream(streamOf([bytes(BLOCK_BYTES + 10)]));
    expect(firstDifferingBlock(a, b)).toBe(BLOCK_BYTES);
    expect(firstDifferingBlock(await digestStream(null), await digestStream(streamOf([])))).toBeNull();
  });
});
