// The constant Worker of bench/cpu-per-request.mjs's floors: what the runtime and the dev path
// cost per request before any code of ours runs (`/`), what two log lines add (`/logged`), and
// what one database statement costs on the wire with no client library (`/db`). Self-contained:
// the bench copies this file alone into the floor's own tree, so it imports nothing of ours.

import { connect } from 'cloudflare:sockets';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

// Two lines the size of the Worker's (its request line and the rate limiter's), written as the
// Worker writes them: console.log of one JSON string.
const LINE = JSON.stringify({ level: 'info', event: 'request', padding: 'x'.repeat(400) });

// The statement of /advertisers for the bench's account, as the Worker sends it (without the
// statement-time wrapper): the same rows over the same connection set-up.
const SQL =
  "select `id`, `name` from `advertiser` where `account_id` = '1' and `is_deleted` = '0' order by `name` asc, `id` asc";

// Client capabilities: 4.1 protocol, 20-byte scrambled password, a database at connect, named
// auth plugins, transactions and multiple results (what mysql2 announces that matters here).
const CAPABILITIES = 0x1 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;
const UTF8MB4_UNICODE_CI = 224;
const encoder = new TextEncoder();

/** MySQL packets off a socket's reader: payload and sequence id, one at a time. */
class Packets {
  constructor(reader) {
    this.reader = reader;
    this.held = new Uint8Array(0);
    this.seq = 0;
  }

  async next() {
    for (;;) {
      const held = this.held;
      if (held.length >= 4) {
        const length = held[0] | (held[1] << 8) | (held[2] << 16);
        if (held.length >= 4 + length) {
          this.seq = held[3];
          this.held = held.subarray(4 + length);
          return held.subarray(4, 4 + length);
        }
      }
      const { value, done } = await this.reader.read();
      if (done) throw new Error('the database closed the connection');
      const joined = new Uint8Array(held.length + value.length);
      joined.set(held);
      joined.set(value, held.length);
      this.held = joined;
    }
  }
}

const concat = (...parts) => Buffer.concat(parts);

const frame = (seq, payload) =>
  concat(
    Uint8Array.of(payload.length & 255, (payload.length >> 8) & 255, payload.length >> 16, seq),
    payload,
  );

const int4 = (n) => Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);

const sha1 = (...parts) => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/** mysql_native_password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). */
function nativePassword(password, scramble) {
  if (!password) return new Uint8Array(0);
  const stage1 = sha1(encoder.encode(password));
  const mix = sha1(scramble, sha1(stage1));
  return stage1.map((byte, i) => byte ^ mix[i]);
}

/** The 20-byte scramble of the server's greeting (protocol 10). */
function scrambleOf(greeting) {
  let at = 1;
  while (greeting[at] !== 0) at++;
  at += 1 + 4;
  const first = greeting.subarray(at, at + 8);
  at += 8 + 1 + 2 + 1 + 2 + 2;
  const authLength = greeting[at];
  at += 1 + 10;
  return concat(first, greeting.subarray(at, at + Math.max(13, authLength - 8) - 1));
}

function failIfError(packet) {
  if (packet[0] === 0xff) throw new Error(`database error: ${new TextDecoder().decode(packet.subarray(9))}`);
}

/** Connects, authenticates, runs SQL, reads its rows to the end without decoding them, quits. */
async function oneStatement(hyperdrive) {
  const socket = connect({ hostname: hyperdrive.host, port: hyperdrive.port });
  const writer = socket.writable.getWriter();
  const packets = new Packets(socket.readable.getReader());
  try {
    const scramble = scrambleOf(await packets.next());
    const token = nativePassword(hyperdrive.password, scramble);
    const response = concat(
      int4(CAPABILITIES),
      int4(0x1000000),
      Uint8Array.of(UTF8MB4_UNICODE_CI),
      new Uint8Array(23),
      encoder.encode(`${hyperdrive.user}\0`),
      Uint8Array.of(token.length),
      token,
      encoder.encode(`${hyperdrive.database}\0mysql_native_password\0`),
    );
    await writer.write(frame(packets.seq + 1, response));
    let answer = await packets.next();
    if (answer[0] === 0xfe) {
      // Auth switch: the plugin's name, then its scramble (NUL-terminated).
      const nameEnd = answer.indexOf(0, 1);
      const switched = answer.subarray(nameEnd + 1, nameEnd + 21);
      await writer.write(frame(packets.seq + 1, nativePassword(hyperdrive.password, switched)));
      answer = await packets.next();
    }
    failIfError(answer);

    await writer.write(frame(0, concat(Uint8Array.of(0x03), encoder.encode(SQL))));
    const head = await packets.next();
    failIfError(head);
    let rows = 0;
    if (head[0] !== 0x00) {
      // Column definitions up to an EOF packet, then rows up to the next.
      const isEof = (packet) => packet[0] === 0xfe && packet.length < 9;
      while (!isEof(await packets.next()));
      for (let packet = await packets.next(); !isEof(packet); packet = await packets.next()) {
        failIfError(packet);
        rows++;
      }
    }
    await writer.write(frame(0, Uint8Array.of(0x01)));
    return rows;
  } finally {
    await writer.close().catch(() => undefined);
    await socket.close().catch(() => undefined);
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/logged') {
      console.log(LINE);
      console.log(LINE);
    } else if (pathname === '/db') {
      const rows = await oneStatement(env.DB_CONSOLE);
      return new Response(`{"rows":${rows}}`, { headers: { 'Content-Type': 'application/json' } });
    }
    return new Response('{"status":"ok"}', { headers: { 'Content-Type': 'application/json' } });
  },
};
