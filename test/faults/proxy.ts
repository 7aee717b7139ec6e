// A TCP proxy between the Workers (their Hyperdrive bindings) and MariaDB that injects faults
// into the real MySQL traffic: database down (connections refused), slow (answers delayed),
// slow for one query only, or cut after N bytes of one query's result. It reads the client's
// COM_QUERY packets (text protocol) to know which query an answer belongs to; it never alters a byte.
import net from 'node:net';

/** A fault bound to the queries whose SQL text matches `match`. */
export interface QueryFault {
  match: RegExp;
  /** Hold the answer to a matching query this long. */
  delayMs?: number;
  /** Forward this many bytes of the answer, then close both sides (the client sees the end mid-result). */
  cutAfterBytes?: number;
}

interface Session {
  client: net.Socket;
  server: net.Socket;
  /** Client bytes not yet parsed into whole packets. */
  pending: Buffer;
  /** The query being answered, its fault, and the answer bytes forwarded since it was sent. */
  query?: { sql: string; answerBytes: number };
  fault?: QueryFault;
  answered: number;
  /** Server chunks are written in order through this chain (delays keep their order). */
  chain: Promise<void>;
}

const COM_QUERY = 0x03;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FaultProxy {
  /** Every server→client chunk is held this long (the database is slow). */
  delayMs = 0;
  faults: QueryFault[] = [];
  /** What the proxy saw: connections accepted, every query with the bytes of its answer, cuts made. */
  readonly seen = { connections: 0, queries: [] as Array<{ sql: string; answerBytes: number }>, cuts: 0 };

  private server?: net.Server;
  private readonly sessions = new Set<Session>();
  private listenPort = 0;

  private readonly targetHost: string;
  private readonly targetPort: number;

  constructor(targetHost: string, targetPort: number) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  get port(): number {
    return this.listenPort;
  }

  /** Starts accepting on 127.0.0.1 (on the previous port after down()). */
  up(): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => {
        const address = server.address();
        this.listenPort = typeof address === 'object' && address ? address.port : 0;
        resolve(this.listenPort);
      });
    });
  }

  /** The database is down: new connections are refused (ECONNREFUSED), open ones closed. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const session of this.sessions) this.drop(session);
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Back to pass-through. */
  heal(): void {
    this.delayMs = 0;
    this.faults = [];
  }

  close(): Promise<void> {
    return this.down();
  }

  private accept(client: net.Socket): void {
    this.seen.connections += 1;
    const server = net.connect(this.targetPort, this.targetHost);
    const session: Session = {
      client,
      server,
      pending: Buffer.alloc(0),
      answered: 0,
      chain: Promise.resolve(),
    };
    this.sessions.add(session);
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (chunk: Buffer) => {
      this.inspect(session, chunk);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => this.answer(session, chunk));
    // Either side failing (MariaDB stopped: ECONNREFUSED upstream) drops the other.
    const end = () => this.drop(session);
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', () => {
      // Let delayed chunks already queued reach the client before it sees the end.
      void session.chain.then(() => this.drop(session, true));
    });
  }

  /** Splits the client's bytes into MySQL packets and notes each COM_QUERY (sequence id 0). */
  private inspect(session: Session, chunk: Buffer): void {
    session.pending = Buffer.concat([session.pending, chunk]);
    while (session.pending.length >= 4) {
      const length = session.pending.readUIntLE(0, 3);
      if (session.pending.length < 4 + length) break;
      const sequence = session.pending[3];
      const payload = session.pending.subarray(4, 4 + length);
      session.pending = session.pending.subarray(4 + length);
      if (sequence === 0 && payload[0] === COM_QUERY) {
        const sql = payload.subarray(1).toString('utf8');
        session.query = { sql, answerBytes: 0 };
        this.seen.queries.push(session.query);
        session.fault = this.faults.find((fault) => fault.match.test(sql));
        session.answered = 0;
      }
    }
  }

  private answer(session: Session, chunk: Buffer): void {
    const fault = session.fault;
    const delay = this.delayMs + (fault?.delayMs ?? 0);
    let forward = chunk;
    let cut = false;
    if (fault?.cutAfterBytes !== undefined) {
      const room = fault.cutAfterBytes - session.answered;
      if (room < chunk.length) {
        forward = chunk.subarray(0, Math.max(0, room));
        cut = true;
        // Nothing more reaches the client from this connection.
        session.server.pause();
      }
    }
    session.answered += forward.length;
    if (session.query) session.query.answerBytes += forward.length;
    const due = Date.now() + delay;
    session.chain = session.chain.then(async () => {
      if (delay > 0) await sleep(due - Date.now());
      if (forward.length > 0 && !session.client.destroyed) session.client.write(forward);
      if (cut) {
        this.seen.cuts += 1;
        this.drop(session, true);
      }
    });
  }

  /** Closes both sides; `flush` lets what was written reach the client first (FIN, not reset). */
  private drop(session: Session, flush = false): void {
    if (!this.sessions.delete(session)) return;
    if (flush) session.client.end();
    else session.client.destroy();
    session.server.destroy();
  }
}
