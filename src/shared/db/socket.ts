import { connect } from 'cloudflare:sockets';
import { EventEmitter } from 'node:events';

/** A connection's socket reads start at this many bytes, doubling while they come back full. */
const FIRST_READ_BYTES = 4 * 1024;
const MAX_READ_BYTES = 64 * 1024;
/** A MySQL packet's header: 3 bytes of payload length (little-endian), 1 byte of sequence id. */
const HEADER_BYTES = 4;

/** Where the last whole packet in `bytes[0, end)` ends (0 when the first is not whole yet). */
export function wholePacketsEnd(bytes: Uint8Array, end: number): number {
  let at = 0;
  while (at + HEADER_BYTES <= end) {
    const next = at + HEADER_BYTES + (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16));
    if (next > end) break;
    at = next;
  }
  return at;
}

/**
 * The size of the socket's buffer for the next read: doubled up to MAX_READ_BYTES after a read
 * that filled it, and room for the whole of a packet longer than that (back to MAX_READ_BYTES
 * once it has gone).
 */
function nextReadBytes(bytes: Uint8Array, whole: number, end: number, filled: boolean): number {
  // The packet the held bytes begin, once its header is in.
  const packet =
    end - whole >= HEADER_BYTES
      ? HEADER_BYTES + (bytes[whole]! | (bytes[whole + 1]! << 8) | (bytes[whole + 2]! << 16))
      : 0;
  let size = filled && bytes.length < MAX_READ_BYTES ? bytes.length * 2 : bytes.length;
  if (size > MAX_READ_BYTES) size = MAX_READ_BYTES;
  return Math.max(size, packet);
}

/**
 * The duplex mysql2 is given as its `stream`: a Workers TCP socket (cloudflare:sockets) with the
 * few members of a Node socket that mysql2 uses ('data', 'end', 'close' and 'error' events,
 * write(), end(), destroy(), pause(), resume()). workerd's node:net builds a Node socket on the
 * same TCP socket with several JS layers (a Readable, a Writable, their queues and ticks) that cost
 * more CPU per request than the whole handshake; this is the part of it mysql2 needs.
 *
 * Reads land in one buffer of the socket's own, reused from read to read, that doubles while
 * reads fill it (BYOB), so a large result set is read 64 KB at a time while a handshake or a small
 * query gets small reads. mysql2 is handed a copy of the whole packets only: it keeps views of
 * what it is given (a packet cut by the end of a read, column definitions decoded lazily, packets
 * queued while paused), so a buffer it saw could never be read into again, and a fresh 64 KB
 * buffer per read, alive across the wait for the network, outlived the young generation and piled
 * up as old garbage under concurrent streams. The copy lives as long as mysql2 needs it, mostly
 * less than a task. The part of a packet a read ends in waits at the start of the socket's buffer.
 * pause() stops asking the socket for more (TCP then holds MariaDB back), and what a read already
 * under way brings is handed over after resume().
 */
export class MysqlSocket extends EventEmitter {
  destroyed = false;
  private readonly socket: Socket;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private paused = false;
  private resumed: (() => void) | undefined;
  private closed = false;
  private opened = false;

  constructor(host: string, port: number) {
    super();
    this.socket = connect({ hostname: host, port });
    this.writer = this.socket.writable.getWriter();
    this.socket.opened.then(
      () => {
        this.opened = true;
      },
      () => undefined,
    );
    // Not awaited: the loop ends by itself when the socket ends, fails or is destroyed.
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    const reader = this.socket.readable.getReader({ mode: 'byob' });
    // bytes[0, held) is the start of a packet not yet whole.
    let bytes = new Uint8Array(FIRST_READ_BYTES);
    let held = 0;
    try {
      for (;;) {
        await this.whilePaused();
        if (this.destroyed) return;
        const room = bytes.length - held;
        const { done, value } = await reader.read(bytes.subarray(held));
        // Paused while the read was under way: what it brought waits for resume().
        await this.whilePaused();
        if (this.destroyed) return;
        if (done || !value) {
          // workerd ends the readable of a connection that was refused: tell that from an end.
          const refusal = await this.socket.opened.then(
            () => undefined,
            (error: unknown) => error ?? new Error('connection refused'),
          );
          if (refusal !== undefined) throw refusal;
          this.emit('end');
          break;
        }
        // The read took the buffer over (BYOB; `bytes` is detached): the bytes are in the
        // ArrayBuffer it gives back.
        const received = new Uint8Array(value.buffer);
        const end = held + value.byteLength;
        const whole = wholePacketsEnd(received, end);
        const packets = whole > 0 ? Buffer.allocUnsafe(whole) : undefined;
        packets?.set(received.subarray(0, whole));
        const size = nextReadBytes(received, whole, end, value.byteLength === room);
        held = end - whole;
        if (size === received.length) {
          bytes = received;
          if (whole > 0 && held > 0) bytes.copyWithin(0, whole, end);
        } else {
          bytes = new Uint8Array(size);
          bytes.set(received.subarray(whole, end));
        }
        if (packets) this.emit('data', packets);
      }
    } catch (error) {
      if (!this.destroyed) this.emit('error', this.networkError(error));
    } finally {
      this.finish();
    }
  }

  private async whilePaused(): Promise<void> {
    while (this.paused && !this.destroyed) await new Promise<void>((resolve) => (this.resumed = resolve));
  }

  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean {
    if (this.destroyed) {
      queueMicrotask(() => callback?.(new Error('write on a closed socket')));
      return false;
    }
    this.writer.write(data).then(
      () => callback?.(),
      (error: Error) => callback?.(error),
    );
    return true;
  }

  /** Half-closes: mysql2 has sent COM_QUIT; the server's end closes the rest. */
  end(): this {
    if (!this.destroyed) this.writer.close().catch(() => undefined);
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.resumed?.();
    this.socket.close().catch(() => undefined);
    this.finish();
    return this;
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    const resumed = this.resumed;
    this.resumed = undefined;
    resumed?.();
    return this;
  }

  /** Requests go out at once: cloudflare:sockets does not delay small writes. */
  setNoDelay(): this {
    return this;
  }

  /**
   * The socket's failure with the code a Node socket would give it (the database layer tells an
   * unreachable database by these codes): the connection could not be made, or was lost.
   */
  private networkError(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return Object.assign(new Error(`database socket: ${message}`), {
      code: this.opened ? 'ECONNRESET' : 'ECONNREFUSED',
      cause: error,
    });
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.destroyed = true;
    queueMicrotask(() => this.emit('close'));
  }
}
