import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../test/support/bytes';
import { captureErrorLines } from '../../test/support/log-lines';
import type { AppEnv } from '../env';
import { onError } from '../errors/error-handler';
import { encodeJson } from '../legacy';
import type { LegacyObject, LegacyRowParts } from '../legacy/types';
import type { OutputFormat } from '../request/format';
import { DatabaseError } from '../shared/db';
import { ApiError } from '../shared/errors/api-error';
import { renderLegacy } from './render';
import { renderLegacyStream } from './stream';

/** How a test source hands its rows over: keys cut into parts, rows in batches (see partsOf). */
interface Shape {
  /** Key counts of the leading (shared) parts; the rest of the keys is the row's own part. */
  cuts: number[];
  batch: number;
}
const SHAPE: Shape = { cuts: [1, 2], batch: 3 };

/**
 * A row in parts as a streaming source gives it (LegacyRowParts): its keys cut into consecutive
 * parts, the leading ones shared: content-equal shared parts are one object, as a connector
 * stream shares one names object per pair, so the renderer's identity cache is exercised.
 */
function partsOf(row: LegacyObject, cuts: number[], interned: Map<string, LegacyObject>): LegacyRowParts {
  const entries = Object.entries(row);
  const shared: LegacyObject[] = [];
  let at = 0;
  for (const size of cuts) {
    const part = Object.fromEntries(entries.slice(at, at + size));
    at += size;
    const key = JSON.stringify(Object.entries(part), (_, v) => (Object.is(v, -0) ? '-0' : v));
    if (!interned.has(key)) interned.set(key, part);
    shared.push(interned.get(key)!);
  }
  return { shared, own: Object.fromEntries(entries.slice(at)) };
}

async function* iterate(rows: LegacyObject[], failAfter?: number, onClose?: () => void, shape = SHAPE) {
  const interned = new Map<string, LegacyObject>();
  try {
    let batch: LegacyRowParts[] = [];
    for (const [i, row] of rows.entries()) {
      if (i === failAfter) {
        if (batch.length > 0) yield batch;
        throw new Error('the database went away');
      }
      batch.push(partsOf(row, shape.cuts, interned));
      if (batch.length >= shape.batch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    if (failAfter === rows.length) throw new Error('the database went away');
  } finally {
    onClose?.();
  }
}

/** One app per renderer: `?fmt=` picks the format (the edge middleware's job in the Worker). */
function appOf(render: (c: Parameters<typeof renderLegacy>[0]) => Response | Promise<Response>) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('format', (c.req.query('fmt') ?? 'json') as OutputFormat);
    c.set('requestId', 'req-1');
    await next();
  });
  app.get('/', render);
  app.onError(onError);
  return app;
}

const query = (format: OutputFormat, callback?: string) =>
  `/?fmt=${format}${callback === undefined ? '' : `&callback=${encodeURIComponent(callback)}`}`;

async function chunksOf(response: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** Both renderers on the same rows: status, Content-Type and bytes must be identical. */
async function compare(
  rows: LegacyObject[],
  format: OutputFormat,
  callback?: string,
  chunkBytes = 64,
  shape = SHAPE,
) {
  const path = query(format, callback);
  const buffered = await appOf((c) => renderLegacy(c, { data: rows })).request(path);
  const streamed = await appOf((c) =>
    renderLegacyStream(c, iterate(rows, undefined, undefined, shape), chunkBytes),
  ).request(path);
  const chunks = await chunksOf(streamed);
  expect(streamed.status).toBe(buffered.status);
  expect(streamed.headers.get('content-type')).toBe(buffered.headers.get('content-type'));
  expect(concatBytes(chunks)).toEqual(new Uint8Array(await buffered.arrayBuffer()));
  return chunks;
}

const ROW = (i: number): LegacyObject => ({
  date: `2026-11-${String((i % 28) + 1).padStart(2, '0')}`,
  advertiser_id: String(11 + i),
  advertiser_name: i % 3 === 0 ? 'Acme & Sons <b>"quoted"</b>' : `Café 𝄞 ${i}\r\nline`,
  campaign_name: 'back\\slash, comma; tab\there 😀 &amp; &eacute;',
  placement_name: i % 2 ? '' : 'U+2028 \u2028 / slash',
  impressions: i * 1000,
  clicks: i,
  ctr: i === 0 ? 0 : Math.round((i / (i * 1000)) * 10000) / 100,
  engagement_time: i + 0.005,
  negative_zero: -0,
  flag: i % 2 === 0,
  nothing: null,
});

describe('renderLegacyStream: the bytes and Content-Type of renderLegacy', () => {
  const rows = Array.from({ length: 25 }, (_, i) => ROW(i));
  const FORMATS: OutputFormat[] = ['json', 'xml', 'csv'];
  // JSONP: absent, plain, valid, `$` (type from the name), invalid with the warning member, and
  // invalid callbacks whose type comes from matching the body's start (CONTRACT §3.2).
  const CALLBACKS = [
    undefined,
    '',
    '0',
    'cb',
    'My.ns_1.$fn',
    '1bad',
    'alert(1)',
    '{',
    '.',
    '{"data":[{"date":"2026-11-01"',
    '{"data":[{"date":"2026-11-0.",".....',
    '{"data":[]}$',
    '{"data":[{"da$',
    '(?={"d)',
    '[{x]"',
    '.*',
  ];

  it.each(FORMATS)('%s: no rows, one row, many rows over many chunks', async (format) => {
    await compare([], format);
    await compare(rows.slice(0, 1), format);
    expect((await compare(rows, format)).length).toBeGreaterThan(10);
  });

  it.each(['json', 'xml'] as const)(
    '%s: a row whose parts are all empty is an empty array',
    async (format) => {
      await compare([{ a: 1 }, {}, { b: '' }], format);
      await compare([{ a: 1 }, {}], format, undefined, 64, { cuts: [0, 1], batch: 1 });
    },
  );

  it.each(CALLBACKS)('JSONP callback %j', async (callback) => {
    await compare([], 'json', callback);
    await compare(rows.slice(0, 1), 'json', callback);
    await compare(rows, 'json', callback);
    // The format decides: a callback on XML or CSV changes nothing.
    await compare(rows, 'xml', callback);
  });

  it('any rows, callbacks and chunk sizes (property)', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom('&', 'amp;', '<', '"', '\\', '/', ',', ' ', '\r', '\n', '😀', 'é'),
        maxLength: 8,
      }),
    );
    const value = fc.oneof(
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const row = fc.record({ date: text, name: value, count: value });
    const callback = fc.option(
      fc.string({
        unit: fc.constantFrom('{', '"', 'd', 'a', ':', '[', ']', '.', '$', '^', '(', ')', '?', '='),
        maxLength: 12,
      }),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 12 }),
        fc.constantFrom<OutputFormat>('json', 'xml', 'csv'),
        callback,
        fc.integer({ min: 1, max: 200 }),
        fc.record({
          cuts: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
          batch: fc.integer({ min: 1, max: 5 }),
        }),
        async (rows, format, cb, chunkBytes, shape) => {
          await compare(rows, format, cb, chunkBytes, shape);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a JSONP type decided by a callback matching more than the first row (property)', async () => {
    // Short rows and a callback that is the body's start with wildcards: only several rows decide.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ a: fc.integer({ min: 0, max: 9 }) }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.array(fc.boolean(), { maxLength: 64 }),
        async (rows, cut, wildcards) => {
          const plain = encodeJson({ data: rows });
          const start = [...plain.slice(0, cut % plain.length)];
          const callback = start
            .map((ch, i) => (ch === '[' || ch === ']' || wildcards[i] ? '.' : ch))
            .join('');
          await compare(rows, 'json', callback, 1);
        },
      ),
      { numRuns: 100 },
    );
    const rows = Array.from({ length: 5 }, () => ({ a: 1 }));
    const path = query('json', '{"data":.{"a":1},{"a":1},{"a":1');
    const streamed = await appOf((c) => renderLegacyStream(c, iterate(rows), 1)).request(path);
    expect(streamed.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
  });

  it('a HEAD request gets the headers only, and the rows are closed', async () => {
    let closed = false;
    const app = appOf((c) =>
      renderLegacyStream(
        c,
        iterate(rows, undefined, () => (closed = true)),
        64,
      ),
    );
    const response = await app.request(query('xml'), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.body).toBeNull();
    expect(closed).toBe(true);
  });
});

describe('renderLegacyStream: failures', () => {
  const errorLog = captureErrorLines();

  const rows = Array.from({ length: 40 }, (_, i) => ROW(i));

  it.each([
    ['json', ']}'],
    ['xml', '</xml>\n'],
    ['csv', undefined],
  ] as const)(
    '%s: a failure after some rows aborts the body; it never looks complete',
    async (format, closing) => {
      let closed = false;
      const app = appOf((c) =>
        renderLegacyStream(
          c,
          iterate(rows, 30, () => (closed = true)),
          256,
        ),
      );
      const response = await app.request(query(format));
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const received: Uint8Array[] = [];
      const failure = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          received.push(value);
        }
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(received.length).toBeGreaterThan(0);
      const bytes = concatBytes(received);
      if (closing) expect(new TextDecoder().decode(bytes).endsWith(closing)).toBe(false);
      // Fewer bytes than the complete body of the rows before the failure would have.
      const complete = await appOf((c) => renderLegacy(c, { data: rows.slice(0, 30) })).request(
        query(format),
      );
      expect(bytes.length).toBeLessThan((await complete.arrayBuffer()).byteLength);
      expect(closed).toBe(true);
      const logged = errorLog.lines.filter((l) => l.event === 'response.stream_aborted');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 'error',
        request_id: 'req-1',
        format,
        status: 500,
        code: 'Error',
      });
    },
  );

  it('a failure at the last row still aborts: the closing tokens are never sent', async () => {
    const app = appOf((c) => renderLegacyStream(c, iterate(rows, rows.length), 1 << 20));
    const response = await app.request(query('json'));
    await expect(response.text()).rejects.toThrow();
  });

  it('a failure before the first row is an ordinary error response (problem+json)', async () => {
    const unreachable: AsyncIterable<LegacyRowParts[]> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new ApiError(503, 'The database is unreachable; retry later.')),
      }),
    };
    const response = await appOf((c) => renderLegacyStream(c, unreachable)).request(query('csv'));
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(errorLog.lines.filter((l) => l.event === 'response.stream_aborted')).toHaveLength(0);
  });

  it.each([
    ['lost', 'ECONNRESET', 503],
    ['timeout', 'PROTOCOL_SEQUENCE_TIMEOUT', 504],
  ] as const)(
    'a database failure (%s) mid-body is logged with the status the error handler gives it',
    async (kind, code, status) => {
      async function* failing() {
        yield [{ shared: [], own: ROW(0) }];
        throw new DatabaseError(kind, 'aggregate', code, Object.assign(new Error('driver'), { code }));
      }
      const response = await appOf((c) => renderLegacyStream(c, failing(), 1)).request(query('json'));
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      const logged = errorLog.lines.filter((l) => l.event === 'response.stream_aborted');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ status, code });
    },
  );

  it("a database failure before the first row is the error handler's answer (503 problem+json)", async () => {
    const refused: AsyncIterable<LegacyRowParts[]> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          Promise.reject(new DatabaseError('connect', 'aggregate', 'ECONNREFUSED', new Error('refused'))),
      }),
    };
    const response = await appOf((c) => renderLegacyStream(c, refused)).request(query('csv'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('cancelling while rows are awaited closes them without an error line or a late chunk', async () => {
    let closed = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      try {
        const one = (row: LegacyObject) => [{ shared: [], own: row }];
        yield one(ROW(0));
        yield one(ROW(1));
        await gate;
        yield one(ROW(2));
        yield one(ROW(3));
      } finally {
        closed = true;
      }
    }
    const app = appOf((c) => renderLegacyStream(c, slow(), 1));
    const reader = (await app.request(query('json'))).body!.getReader();
    await reader.read();
    await reader.read();
    // The stream now pulls the next chunk and waits at the gate.
    const cancelled = reader.cancel();
    release();
    await cancelled;
    expect(closed).toBe(true);
    expect(errorLog.lines).toHaveLength(0);
  });

  it('a reader that stops taking the body is given up: rows closed, one error line', async () => {
    let closed = false;
    const app = appOf((c) =>
      renderLegacyStream(
        c,
        iterate(rows, undefined, () => (closed = true)),
        64,
        { readerStallMs: 100, maxDurationMs: 60_000 },
      ),
    );
    const reader = (await app.request(query('json'))).body!.getReader();
    await reader.read();
    await reader.read();
    expect(closed).toBe(false);
    // The reader now stops for longer than the stall budget.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closed).toBe(true);
    const logged = errorLog.lines.filter((l) => l.event === 'response.stream_aborted');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ code: 'READER_STALLED', status: 500, request_id: 'req-1' });
    // What was queued may still arrive; the body never completes.
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'complete';
      })(),
    ).rejects.toThrow();
  });

  it('a slow reader that keeps reading keeps its stream', async () => {
    const app = appOf((c) =>
      renderLegacyStream(c, iterate(rows), 64, { readerStallMs: 300, maxDurationMs: 60_000 }),
    );
    const reader = (await app.request(query('csv'))).body!.getReader();
    const received: Uint8Array[] = [];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { done, value } = await reader.read();
      if (done) break;
      received.push(value);
    }
    const complete = await appOf((c) => renderLegacy(c, { data: rows })).request(query('csv'));
    expect(concatBytes(received)).toEqual(new Uint8Array(await complete.arrayBuffer()));
    expect(errorLog.lines).toHaveLength(0);
  });

  it('a reader that keeps reading past the duration cap loses its stream: rows closed, one error line', async () => {
    let closed = false;
    const app = appOf((c) =>
      renderLegacyStream(
        c,
        iterate(rows, undefined, () => (closed = true)),
        64,
        // Reading a chunk every 50 ms never stalls (300 ms), but the whole body would take ~2 s.
        { readerStallMs: 300, maxDurationMs: 400 },
      ),
    );
    const reader = (await app.request(query('json'))).body!.getReader();
    const received: Uint8Array[] = [];
    const failure = await (async () => {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const { done, value } = await reader.read();
        if (done) return undefined;
        received.push(value);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received.length).toBeGreaterThan(1);
    expect(new TextDecoder().decode(concatBytes(received)).endsWith(']}')).toBe(false);
    expect(closed).toBe(true);
    const logged = errorLog.lines.filter((l) => l.event === 'response.stream_aborted');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ code: 'STREAM_MAX_DURATION', request_id: 'req-1' });
  });

  it('cancelling the body (the client went away) closes the rows', async () => {
    let closed = false;
    const app = appOf((c) =>
      renderLegacyStream(
        c,
        iterate(rows, undefined, () => (closed = true)),
        64,
      ),
    );
    const response = await app.request(query('json'));
    const reader = response.body!.getReader();
    await reader.read();
    expect(closed).toBe(false);
    await reader.cancel();
    expect(closed).toBe(true);
    expect(errorLog.lines).toHaveLength(0);
  });
});
