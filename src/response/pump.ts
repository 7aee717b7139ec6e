// A streamed body's ReadableStream: chunks pulled from a source as the reader takes them, a reader
// that has stopped given up, a body past its duration cap aborted, the source closed on cancel.

/** Where the pump's chunks come from (src/response/stream.ts: rows through a RowEncoder). */
export interface ChunkSource {
  /**
   * The next chunk, `last` when it ends the body. Stops reading as soon as `stopped()` (the body
   * was given up meanwhile: the chunk is then dropped).
   */
  next(stopped: () => boolean): Promise<{ chunk: Uint8Array; last: boolean }>;
  /** A chunk was handed to the reader: the opening, or one from `next`. */
  enqueued(chunk: 'opening' | 'next'): void;
  /** Closes what the source reads, waiting for a read under way; never throws. */
  close(): Promise<void>;
}

export interface PumpOptions {
  /** The body's first bytes, ready before the response exists. */
  opening: Uint8Array;
  source: ChunkSource;
  /** How long a chunk may wait for the reader (checked once a period: given up after one to two). */
  readerStallMs: number;
  /** When the body is aborted if still running (Date.now() time). */
  endsAt: number;
  /**
   * The body is being aborted: `code` says why (READER_STALLED, STREAM_MAX_DURATION), undefined
   * when the source failed with `error`.
   */
  onAbort(error: unknown, code: string | undefined): void;
}

/**
 * The body: the opening, then the source's chunks, one per pull. A failure of the source aborts it
 * (`controller.error`), so the transfer is visibly broken: it never ends with the closing bytes,
 * and a chunked response lacks its final chunk. So does a body still running at `endsAt`, or
 * whose reader has not pulled for `readerStallMs`. Cancelling the body closes the source.
 */
export function pumpBody({ opening, source, readerStallMs, endsAt, onAbort }: PumpOptions): ReadableStream {
  let first: Uint8Array | undefined = opening;
  let finished = false;
  let cancelled = false;
  const stopped = () => cancelled;
  // The reader's progress, checked by one timer at a time: each stall period it looks whether a
  // chunk is still waiting for the reader and no pull has come since the last look (rather than a
  // timer set and cleared per chunk, which costs on a large body).
  let stall: ReturnType<typeof setTimeout> | undefined;
  let pulls = 0;
  let waiting = false;
  let overtime: ReturnType<typeof setTimeout> | undefined;
  const abort = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
    error: unknown,
    code: string | undefined,
  ) => {
    clearTimeout(stall);
    clearTimeout(overtime);
    onAbort(error, code);
    controller.error(error);
    await source.close();
  };
  const awaitReader = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    waiting = true;
    if (stall !== undefined) return;
    const seen = pulls;
    stall = setTimeout(() => {
      stall = undefined;
      if (!waiting || cancelled) return;
      if (pulls !== seen) {
        awaitReader(controller);
        return;
      }
      cancelled = true; // nothing more is read or enqueued
      void abort(controller, new Error('the reader stopped taking the body'), 'READER_STALLED');
    }, readerStallMs);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The duration cap, from the start of the rendering (the opening included). A body cut here
      // is aborted like any failure after the first byte: never a complete-looking one.
      overtime = setTimeout(
        () => {
          if (finished || cancelled) return;
          cancelled = true; // nothing more is read or enqueued
          void abort(controller, new Error('the stream passed its maximum duration'), 'STREAM_MAX_DURATION');
        },
        Math.max(0, endsAt - Date.now()),
      );
    },
    async pull(controller) {
      pulls++;
      waiting = false;
      if (first !== undefined) {
        controller.enqueue(first);
        source.enqueued('opening');
        first = undefined;
        awaitReader(controller);
        return;
      }
      try {
        const { chunk, last } = await source.next(stopped);
        finished = last;
        // Cancelled while rows were awaited: the reader is gone, nothing more is enqueued.
        if (cancelled) return;
        controller.enqueue(chunk);
        source.enqueued('next');
        if (finished) {
          clearTimeout(stall);
          clearTimeout(overtime);
          controller.close();
        } else awaitReader(controller);
      } catch (error) {
        if (cancelled) return;
        await abort(controller, error, undefined);
      }
    },
    async cancel() {
      cancelled = true;
      clearTimeout(stall);
      clearTimeout(overtime);
      // Waits for a pull's pending read, if any, then closes the source.
      await source.close();
    },
  });
}
