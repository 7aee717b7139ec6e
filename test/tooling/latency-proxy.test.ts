import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bench/latency-proxy.mjs (issue 20, Measure 1) between a client and a fake MySQL server that
// speaks just enough of the protocol: greeting, handshake response, OK, then an OK per command.

interface CommandRecord {
  conn: number;
  command: string;
  sql?: string;
  sentAt: number;
  firstAnsweredAt?: number;
  answeredAt?: number;
}
interface ProxyModule {
  LatencyProxy: new (o: {
    targetPort: number;
    delayMs: number;
    name?: string;
  }) => {
    listen(): Promise<number>;
    close(): Promise<void>;
    reset(): void;
    commands: CommandRecord[];
  };
  sequentialChain(commands: CommandRecord[], start: number, end: number): CommandRecord[];
}

const D = 60;
const packet = (sequence: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = sequence;
  return Buffer.concat([head, payload]);
};
const OK = Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);

/** Reads whole packets from a socket, one at a time. */
function packetReader(socket: net.Socket) {
  let buffered = Buffer.alloc(0);
  const waiting: Array<(p: { sequence: number; payload: Buffer }) => void> = [];
  const ready: Array<{ sequence: number; payload: Buffer }> = [];
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUIntLE(0, 3)) {
      const length = buffered.readUIntLE(0, 3);
      const p = { sequence: buffered[3], payload: buffered.subarray(4, 4 + length) };
      buffered = buffered.subarray(4 + length);
      const next = waiting.shift();
      if (next) next(p);
      else ready.push(p);
    }
  });
  return () =>
    new Promise<{ sequence: number; payload: Buffer }>((resolve) => {
      const p = ready.shift();
      if (p) resolve(p);
      else waiting.push(resolve);
    });
}

function fakeMysql(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const next = packetReader(socket);
    socket.write(packet(0, Buffer.from('\x0afake-mysql\0', 'latin1')));
    void (async () => {
      const response = await next();
      socket.write(packet(response.sequence + 1, OK));
      for (;;) {
        const command = await next();
        socket.write(packet(command.sequence + 1, OK));
      }
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A client: connects and finishes the handshake (timed), then sends COM_QUERYs one at a time. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const next = packetReader(socket);
  const start = performance.now();
  await next(); // greeting
  socket.write(packet(1, Buffer.from('handshake response, no SSL', 'latin1')));
  const ok = await next();
  const handshakeMs = performance.now() - start;
  expect(ok.sequence).toBe(2);
  return {
    handshakeMs,
    async query(sql: string) {
      const sent = performance.now();
      socket.write(packet(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(sql)])));
      const answer = await next();
      expect(answer.sequence).toBe(1);
      return performance.now() - sent;
    },
    close: () => socket.destroy(),
  };
}

describe('bench/latency-proxy.mjs', () => {
  let mod: ProxyModule;
  let server: net.Server;
  let proxy: InstanceType<ProxyModule['LatencyProxy']>;
  let port: number;

  beforeAll(async () => {
    // A computed specifier: the module is plain JavaScript with no declarations for tsc.
    const path: string = join(import.meta.dirname, '../../bench/latency-proxy.mjs');
    mod = (await import(path)) as ProxyModule;
    server = await fakeMysql();
    const address = server.address() as net.AddressInfo;
    proxy = new mod.LatencyProxy({ targetPort: address.port, delayMs: D, name: 'fake' });
    port = await proxy.listen();
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('passes the handshake undelayed and delays a query by about 2 × D', async () => {
    const client = await connect(port);
    expect(client.handshakeMs).toBeLessThan(D / 2);
    const ms = await client.query('SELECT 1');
    expect(ms).toBeGreaterThanOrEqual(2 * D - 1);
    expect(ms).toBeLessThan(2 * D + 40);
    const recorded = proxy.commands.at(-1);
    expect(recorded?.command).toBe('COM_QUERY');
    expect(recorded?.sql).toBe('SELECT 1');
    expect((recorded?.answeredAt ?? 0) - (recorded?.sentAt ?? 0)).toBeGreaterThanOrEqual(2 * D - 1);
    client.close();
  });

  it('counts two queries on two connections at once as 1 round trip, two in turn as 2', async () => {
    const a = await connect(port);
    const b = await connect(port);
    proxy.reset();
    let start = performance.now();
    await Promise.all([a.query('SELECT "a"'), b.query('SELECT "b"')]);
    let end = performance.now();
    expect(proxy.commands).toHaveLength(2);
    expect(mod.sequentialChain(proxy.commands, start, end)).toHaveLength(1);

    proxy.reset();
    start = performance.now();
    await a.query('SELECT "first"');
    await b.query('SELECT "second"');
    end = performance.now();
    const chain = mod.sequentialChain(proxy.commands, start, end);
    expect(chain.map((c) => c.sql)).toEqual(['SELECT "first"', 'SELECT "second"']);
    expect(end - start).toBeGreaterThanOrEqual(4 * D - 2);

    // Overlapping but not sent together (5 ms apart, each answer takes 2 × D): still 1.
    proxy.reset();
    start = performance.now();
    await Promise.all([
      a.query('SELECT 1'),
      new Promise((r) => setTimeout(r, 5)).then(() => b.query('SELECT 2')),
    ]);
    end = performance.now();
    expect(mod.sequentialChain(proxy.commands, start, end)).toHaveLength(1);
    a.close();
    b.close();
  });
});
