import { connect } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Observed } from './compare.ts';
import type { CaseRequest } from './manifest.ts';

/**
 * One HTTP/1.0 request on its own connection, written byte for byte as the capture did
 * (`METHOD target HTTP/1.0`, Host, the case's headers, nothing else), read until the server
 * closes. Node's HTTP clients would normalise the target and add headers.
 */
export function send10(baseUrl: string, request: CaseRequest, timeoutMs = 60_000): Promise<Observed> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (url.protocol !== 'http:')
    return Promise.reject(new Error('send10 speaks plain HTTP; use fetch mode for https'));
  const head = [`${request.method} ${request.target} HTTP/1.0`, `Host: ${url.host}`];
  for (const [name, value] of request.headers) head.push(`${name}: ${value}`);
  const bytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: url.hostname, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseResponse(raw: Buffer): Observed {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) throw new Error('incomplete response (no end of headers)');
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) throw new Error(`bad status line ${JSON.stringify(statusLine)}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body);
  body = decodeContent(body, headers.get('content-encoding'));
  return {
    status,
    contentType: headers.get('content-type') ?? null,
    retryAfter: headers.get('retry-after') ?? null,
    requestId: headers.get('x-request-id') ?? null,
    body: new Uint8Array(body),
  };
}

/**
 * The body as a client reads it. Cloudflare compresses a Worker's answer for a caller that sends
 * Accept-Encoding (wrangler dev emulates it), where `php -S` never did: the content is what is
 * compared, not its transfer coding.
 */
function decodeContent(body: Buffer, contentEncoding: string | undefined): Buffer {
  const coding = contentEncoding?.trim().toLowerCase();
  if (!coding || coding === 'identity' || body.length === 0) return body;
  if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body);
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'deflate') return inflateSync(body);
  throw new Error(`unknown Content-Encoding ${JSON.stringify(contentEncoding)}`);
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) throw new Error('truncated chunked body');
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
