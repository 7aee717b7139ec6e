import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send10 } from '../../parity/http10.ts';

// A body as a caller that sends Accept-Encoding gets it from Cloudflare (and from wrangler dev,
// which emulates the edge's compression): the harness compares what a client reads.
const content = Buffer.from('{"data":[{"id":"1","name":"Ärger 😀"}]}');
const encoders: Record<string, (b: Buffer) => Buffer> = {
  gzip: gzipSync,
  br: brotliCompressSync,
  deflate: deflateSync,
  identity: (b) => b,
};

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const coding = new URL(req.url ?? '/', 'http://x').searchParams.get('coding') ?? 'identity';
    const body = encoders[coding]!(content);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Encoding': coding });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('send10', () => {
  for (const coding of Object.keys(encoders)) {
    it(`reads a ${coding} body as its content`, async () => {
      const observed = await send10(baseUrl, { method: 'GET', target: `/?coding=${coding}`, headers: [] });
      expect(observed.status).toBe(200);
      expect(Buffer.from(observed.body).equals(content)).toBe(true);
    });
  }

  it('reads an empty HEAD answer whatever its Content-Encoding', async () => {
    const observed = await send10(baseUrl, { method: 'HEAD', target: '/?coding=gzip', headers: [] });
    expect(observed.body.length).toBe(0);
  });

  it('refuses a coding it cannot read rather than comparing its bytes', async () => {
    const odd = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'zstd' });
      res.end('xx');
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
    await expect(send10(url, { method: 'GET', target: '/', headers: [] })).rejects.toThrow(
      /Content-Encoding/,
    );
    await new Promise<void>((resolve) => odd.close(() => resolve()));
  });
});
