import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorV2ResponseSchema } from '../../../generated/schemas';
import { captureErrorLines } from '../../../test/support/log-lines';
import { pollUntil } from '../../../test/support/poll';
import { scratchHyperdrive } from '../../../test/support/scratch-db';
import { isolatedStreamSlots } from '../../../test/support/stream-slots';
import { keyHeaders } from '../../../test/workers/keys';
import { app } from '../../app';
import { createKysely } from '../../shared/db';

// /connector and /dataconnector stream their bodies (src/response/stream.ts); byte parity with the
// capture is test/workers/parity.test.ts's. The app is called directly so that the body read here
// is the Worker's own stream, chunk for chunk.
const request = (path: string, init: RequestInit = {}, bindings: Partial<typeof env> = {}) =>
  app.request(
    path,
    { headers: keyHeaders('main'), ...init },
    { ...env, ...bindings },
    createExecutionContext(),
  );

async function read(response: Response): Promise<{ chunks: Uint8Array[]; failure?: unknown }> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks };
      chunks.push(value);
    }
  } catch (failure) {
    return { chunks, failure };
  }
}

const text = (chunks: Uint8Array[]) => {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
};

describe('streamed bodies', () => {
  it.each([
    ['/v2.0/dataconnector?from=2026-06-01', 'json'],
    ['/v2.0/connector?advertiser_id=11&from=2026-06-01&format=xml', 'xml'],
    ['/v2.0/dataconnector?from=2026-06-01&format=csv', 'csv'],
  ])('%s is a stream: no Content-Length, several chunks of whole rows', async (path, format) => {
    const response = await request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    const { chunks, failure } = await read(response);
    expect(failure).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    if (format === 'json') {
      const rows = ConnectorV2ResponseSchema.parse(JSON.parse(text(chunks))).data;
      expect(rows.length).toBeGreaterThan(100);
      // A chunk ends after a whole row.
      expect(new TextDecoder().decode(chunks[0]).endsWith('}')).toBe(true);
    }
    if (format === 'xml') expect(new TextDecoder().decode(chunks[0]).endsWith('</item>')).toBe(true);
  });

  it('a database failure before the first row is still an ordinary 503, not a broken 200', async () => {
    const response = await request('/dataconnector?format=csv', {}, { DB_AGGREGATE: env.DB_CLOSED });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('30');
  });

  it('a callback whose bytes are not UTF-8: every row read, none written (the legacy answered an empty body)', async () => {
    for (const [callback, type] of [
      ['%FF', 'application/json; charset=utf-8'],
      ['%FF%3F', 'application/javascript; charset=utf-8'],
    ]) {
      const response = await request(`/v2.0/dataconnector?from=2026-06-01&callback=${callback}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      const { chunks, failure } = await read(response);
      expect(failure).toBeUndefined();
      expect(chunks.reduce((n, chunk) => n + chunk.byteLength, 0)).toBe(0);
    }
  });

  it('HEAD answers the headers without a body', async () => {
    const response = await request('/dataconnector?from=2026-06-01&format=xml', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.body).toBeNull();
  });
});

// A scratch copy of `aggregate` (admin binding) holding one pair of account 1 (201/701, named in
// the seed's console) on 400,000 days: a body of ~100 MB, read as consecutive date ranges on two
// connections of the stream's own (streamConnectorRows), most of it still unread when the first
// chunk is.
describe('a large account, on a scratch aggregate database', () => {
  const scratch = `stream_test_${Math.floor(Math.random() * 1e9)}`;
  const admin = createKysely(env.DB_ADMIN, { connectMs: 5_000, queryMs: 60_000 });
  const aggregate = scratchHyperdrive(env.DB_ADMIN, scratch);
  const path = '/dataconnector?from=2000-01-01&to=9999-12-31';

  /** The connections to the scratch database (the stream's own). */
  const connections = async () =>
    (
      await sql<{ id: string }>`SELECT ID AS id FROM information_schema.PROCESSLIST
        WHERE DB = ${scratch}`.execute(admin)
    ).rows.map((row) => row.id);
  const poll = (until: (ids: string[]) => boolean) =>
    pollUntil(connections, until, { tries: 101, everyMs: 50 });

  const errorLog = captureErrorLines();

  beforeAll(async () => {
    await sql.raw(`CREATE DATABASE ${scratch}`).execute(admin);
    await sql.raw(`CREATE TABLE ${scratch}.kpi_daily LIKE aggregate.kpi_daily`).execute(admin);
    await sql
      .raw(`INSERT INTO ${scratch}.kpi_daily
        SELECT DATE('2000-01-01') + INTERVAL seq DAY, 1, 11, 201, 701, seq, seq % 7, seq % 3
        FROM seq_0_to_399999`)
      .execute(admin);
  }, 120_000);
  afterAll(async () => {
    await sql.raw(`DROP DATABASE IF EXISTS ${scratch}`).execute(admin);
    await admin.destroy();
  });

  it('connections killed mid-stream abort the body: no closing `]}`, one error line', async () => {
    const response = await request(path, {}, { DB_AGGREGATE: aggregate });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const ids = await poll((found) => found.length > 0);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await sql.raw(`KILL CONNECTION ${Number(id)}`).execute(admin);

    const chunks = [first.value!];
    let failure: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    const body = text(chunks);
    expect(body.startsWith('{"data":[{"date":"2000-01-01"')).toBe(true);
    expect(body.endsWith(']}')).toBe(false);
    const aborted = errorLog.lines.filter((line) => line.event === 'response.stream_aborted');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ level: 'error', endpoint: '/dataconnector', format: 'json' });
    expect(await poll((ids) => ids.length === 0)).toEqual([]);
  });

  it('a reader that stops (its socket paused) is given up: body aborted, connections gone, slot back', async () => {
    // Cap 1 and a 1 s stall: the Worker gives the reader up after 1–2 s, and MariaDB's own
    // net_write_timeout (1 s, from the stall) would drop the blocked write even without it.
    const bindings = {
      DB_AGGREGATE: aggregate,
      STREAM_SLOTS: isolatedStreamSlots(),
      STREAM_MAX_PER_KEY: '1',
    };
    const limited = { ...bindings, STREAM_READER_STALL_MS: '1000' };
    const response = await request(path, {}, limited);
    const reader = response.body!.getReader();
    await reader.read();
    // The reader now takes nothing: the queue fills, the socket is paused, MariaDB blocks.
    expect(await poll((ids) => ids.length === 0)).toEqual([]);
    const aborted = await pollUntil(
      async () => errorLog.lines.filter((line) => line.event === 'response.stream_aborted'),
      (lines) => lines.length > 0,
    );
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ code: 'READER_STALLED' });
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'complete';
      })(),
    ).rejects.toThrow();
    // Its slot is back: the key's next stream is admitted.
    const next = await pollUntil(
      async () => await request('/connector?advertiser_id=11', {}, bindings),
      (answer) => answer.status !== 429,
      { tries: 20, everyMs: 50 },
    );
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  });

  it('a reader that keeps reading past the duration cap is cut: body aborted, logged, connections gone', async () => {
    const bindings = {
      DB_AGGREGATE: aggregate,
      STREAM_SLOTS: isolatedStreamSlots(),
      STREAM_MAX_PER_KEY: '1',
    };
    const response = await request(path, {}, { ...bindings, STREAM_MAX_DURATION_MS: '1500' });
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    // A chunk every 100 ms: never a stall, but ~100 MB would take far longer than the cap.
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        chunks.push(value);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(chunks.length).toBeGreaterThan(1);
    const body = text(chunks);
    expect(body.startsWith('{"data":[{"date":"2000-01-01"')).toBe(true);
    expect(body.endsWith(']}')).toBe(false);
    const aborted = errorLog.lines.filter((line) => line.event === 'response.stream_aborted');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ code: 'STREAM_MAX_DURATION', endpoint: '/dataconnector' });
    expect(await poll((ids) => ids.length === 0)).toEqual([]);
    const next = await pollUntil(
      async () => await request('/connector?advertiser_id=11', {}, bindings),
      (answer) => answer.status !== 429,
      { tries: 20, everyMs: 50 },
    );
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  });

  it('a client that goes away mid-stream ends the queries (cancel closes the connections)', async () => {
    const response = await request(path, {}, { DB_AGGREGATE: aggregate });
    const reader = response.body!.getReader();
    await reader.read();
    // The range being read and the next one, queried ahead.
    expect(await poll((ids) => ids.length === 2)).toHaveLength(2);
    await reader.cancel();
    expect(await poll((ids) => ids.length === 0)).toEqual([]);
    expect(errorLog.lines.filter((line) => line.event === 'response.stream_aborted')).toHaveLength(0);
  });
});
