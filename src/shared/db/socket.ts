import { connect } from 'cloudflare:sockets';
import { EventEmitter } from 'node:events';

/** A connection's socket reads start at this many bytes, doubling while they come back full. */
const FIRST_READ_BYTES = 4 * 1024;
const MAX_READ_BYTES = 64 * 1024;

/**
 * The duplex mysql2 is given as its `stream`: a Workers TCP socket (cloudflare:sockets) with the
 * few members of a Node socket that mysql2 uses ('data', 'end', 'close' and 'error' events,
 * write(), end(), destroy(), pause(), resume()). workerd's node:net builds a Node socket on the
 * same TCP socket with several JS layers (a Readable, a Writable, their queues and ticks) that cost
 * more CPU per request than the whole handshake; this is the part of it mysql2 needs.
 *
 * Reads land in buffers that double while reads fill them (BYOB), so a large result set is read
 * 64 KB at a time while a handshake or a small query gets small ones. pause() stops asking the
 * socket for more (TCP then holds MariaDB back), and what a read already under way brings is
 * handed over after resume().
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
    let size = FIRST_READ_BYTES;
    try {
      for (;;) {
        await this.whilePaused();
        if (this.destroyed) return;
        const { done, value } = await reader.read(new Uint8Array(size));
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
        if (value.byteLength === size && size < MAX_READ_BYTES) size *= 2;
        this.emit('data', Buffer.from(value.buffer, value.byteOffset, value.byteLength));
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
