// A TCP proxy in front of MariaDB that adds a one-way delay to every byte after the MySQL
// handshake, in both directions, and records each command with the time it was sent and the time
// its last answer byte reached the client (issue 20, Measure 1). In production the connection and
// its handshake are with Hyperdrive at the edge and only commands travel to the database region,
// so the handshake passes undelayed. It never alters a byte; order is kept per direction.
import net from 'node:net';

const COMMANDS = {
  1: 'COM_QUIT',
  2: 'COM_INIT_DB',
  3: 'COM_QUERY',
  14: 'COM_PING',
  17: 'COM_CHANGE_USER',
  22: 'COM_STMT_PREPARE',
  23: 'COM_STMT_EXECUTE',
  25: 'COM_STMT_CLOSE',
  31: 'COM_RESET_CONNECTION',
};
/** Commands the server never answers: not a round trip. */
const UNANSWERED = new Set([0x01, 0x19]);

/**
 * One direction of a connection: chunks leave in arrival order, each no earlier than its due
 * time. One timer at a time per direction (a chain), so a later chunk never overtakes.
 */
class DelayedPipe {
  constructor(target, onWritten, lateness) {
    this.target = target;
    this.onWritten = onWritten;
    this.lateness = lateness;
    this.queue = [];
    this.timer = undefined;
  }

  push(chunk, due, meta) {
    this.queue.push({ chunk, due, meta });
    if (!this.timer) this.pump();
  }

  get empty() {
    return this.queue.length === 0;
  }

  pump() {
    this.timer = undefined;
    while (this.queue.length) {
      const now = performance.now();
      const head = this.queue[0];
      if (head.due > now) {
        // libuv timers count whole milliseconds and may fire up to 1 ms early: re-armed until due.
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(head.due - now)));
        return;
      }
      this.queue.shift();
      if (head.due > 0) this.lateness.note(now - head.due);
      if (!this.target.destroyed) this.target.write(head.chunk);
      this.onWritten?.(head, performance.now());
    }
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}

/**
 * new LatencyProxy({ targetHost, targetPort, delayMs, name }); await proxy.listen() → port.
 * `delayMs` (one way) may be changed between runs; a connection already open uses the new value
 * from its next chunk on. `commands` holds every command seen: { db, conn, command, sql,
 * sentAt, firstAnsweredAt, answeredAt, answerBytes } with times from performance.now() in this process.
 */
export class LatencyProxy {
  constructor({ targetHost = '127.0.0.1', targetPort, delayMs = 0, name = 'db' }) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.delayMs = delayMs;
    this.name = name;
    this.commands = [];
    this.connections = 0;
    this.sessions = new Set();
    /** How late delayed chunks left, against their due time (the event loop being busy). */
    this.lateness = {
      count: 0,
      sumMs: 0,
      maxMs: 0,
      note(ms) {
        this.count++;
        this.sumMs += ms;
        this.maxMs = Math.max(this.maxMs, ms);
      },
    };
    this.port = 0;
    this.lastActivity = 0;
  }

  listen(port = 0) {
    this.server = net.createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = this.server.address().port;
        resolve(this.port);
      });
    });
  }

  /** `url` (mysql://…@host:port/db) with its host and port replaced by this proxy's. */
  urlFor(url) {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Forgets the recorded commands (and the lateness figures). */
  reset() {
    this.commands = [];
    Object.assign(this.lateness, { count: 0, sumMs: 0, maxMs: 0 });
  }

  /** Commands sent and not yet answered (COM_QUIT and the like excluded). */
  get inFlight() {
    let n = 0;
    for (const s of this.sessions)
      if (s.current && s.current.answeredAt === undefined && !s.current.noAnswer) n++;
    return n;
  }

  /** No command waiting for its answer, nothing queued, and no byte through for `quietMs`. */
  idle(quietMs = 20) {
    if (this.inFlight > 0) return false;
    for (const s of this.sessions) if (!s.toClient.empty || !s.toServer.empty) return false;
    return performance.now() - this.lastActivity >= quietMs;
  }

  async close() {
    for (const session of this.sessions) this.drop(session);
    if (this.server) await new Promise((resolve) => this.server.close(resolve));
  }

  accept(client) {
    const conn = ++this.connections;
    const server = net.connect(this.targetPort, this.targetHost);
    const session = {
      conn,
      client,
      server,
      pending: Buffer.alloc(0),
      commandPhase: false,
      tls: false,
      current: undefined,
    };
    session.toServer = new DelayedPipe(server, undefined, this.lateness);
    session.toClient = new DelayedPipe(
      client,
      (item, at) => {
        const record = item.meta;
        if (!record) return;
        record.firstAnsweredAt ??= at;
        record.answeredAt = at;
        record.answerBytes += item.chunk.length;
      },
      this.lateness,
    );
    this.sessions.add(session);
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (chunk) => {
      const now = performance.now();
      this.lastActivity = now;
      this.inspect(session, chunk, now);
      // Everything from the chunk holding the first command on is delayed.
      session.toServer.push(chunk, session.commandPhase ? now + this.delayMs : 0);
    });
    server.on('data', (chunk) => {
      const now = performance.now();
      this.lastActivity = now;
      // The client sends its next command only after the whole answer to this one reached it,
      // so every server chunk arriving now belongs to the current command.
      const record = session.commandPhase ? session.current : undefined;
      session.toClient.push(chunk, session.commandPhase ? now + this.delayMs : 0, record);
    });
    const end = () => this.drop(session);
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', () => this.drain(session));
  }

  /** Splits the client's bytes into MySQL packets; a sequence-id-0 packet starts a command. */
  inspect(session, chunk, now) {
    if (session.tls) return;
    session.pending = session.pending.length ? Buffer.concat([session.pending, chunk]) : chunk;
    while (session.pending.length >= 4) {
      const length = session.pending.readUIntLE(0, 3);
      if (session.pending.length < 4 + length) break;
      const sequence = session.pending[3];
      const payload = session.pending.subarray(4, 4 + length);
      session.pending = session.pending.subarray(4 + length);
      if (!session.commandPhase && sequence === 1 && length === 32 && payload.readUInt32LE(0) & 0x800) {
        // An SSLRequest: what follows is encrypted and cannot be read (not the case locally).
        session.tls = true;
        return;
      }
      if (sequence !== 0) continue;
      session.commandPhase = true;
      const code = payload[0];
      const record = {
        db: this.name,
        conn: session.conn,
        command: COMMANDS[code] ?? `0x${code.toString(16)}`,
        sql: code === 0x03 ? payload.subarray(1).toString('utf8') : undefined,
        sentAt: now,
        firstAnsweredAt: undefined,
        answeredAt: undefined,
        answerBytes: 0,
        noAnswer: UNANSWERED.has(code),
      };
      this.commands.push(record);
      session.current = record;
    }
  }

  /** The server closed: what is queued still reaches the client, then the client is ended. */
  drain(session) {
    const wait = () => {
      if (!this.sessions.has(session)) return;
      if (session.toClient.empty) {
        this.sessions.delete(session);
        session.client.end();
      } else setTimeout(wait, 5);
    };
    wait();
  }

  drop(session) {
    if (!this.sessions.delete(session)) return;
    session.toServer.clear();
    session.toClient.clear();
    session.client.destroy();
    session.server.destroy();
  }
}

/**
 * The sequential database round trips of one request: the commands sent after `start` whose
 * answer began to reach the client by `end` (one still running at `end` counts until `end`: a
 * streamed body's first byte waits for the first rows only), and the longest chain of
 * them that do not overlap in time (interval scheduling, earliest answer first). Commands in
 * parallel on several connections count once; each command that had to wait for the previous
 * one's answer counts again.
 */
export function sequentialChain(commands, start, end) {
  const candidates = commands
    .filter(
      (c) => !c.noAnswer && c.sentAt >= start && c.firstAnsweredAt !== undefined && c.firstAnsweredAt <= end,
    )
    .map((c) => ({ ...c, until: Math.min(c.answeredAt, end) }))
    .sort((a, b) => a.until - b.until);
  const chain = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.sentAt >= last) {
      chain.push(c);
      last = c.until;
    }
  }
  return chain;
}
