import { describe, expect, it } from 'vitest';
import { leaksIn, PLANTED, plantedUrl } from '../test/planted';
import { fetchItem, jsonLine } from '../test/trace-items';
import { ATTRIBUTE_LIMIT, MAX_FIELDS, MESSAGE_LIMIT, recordsOf } from './records';
import { REDACTED } from './redact';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('recordsOf', () => {
  it('writes one record for the invocation, one per line, one per exception', () => {
    const records = recordsOf(
      fetchItem({
        url: 'https://api.adventive.com/v1.0/advertisers.json',
        headers: { 'user-agent': 'curl/8.5', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
        status: 200,
        logs: [
          {
            level: 'log',
            message: jsonLine({
              level: 'info',
              event: 'request',
              request_id: 'b7ad6b7169203331',
              trace_id: TRACE_ID,
              status: 200,
              queries_console: 2,
              outcome: null,
            }),
          },
          { level: 'warn', message: ['plain', 'text', { n: 1 }] },
        ],
        exceptions: [
          { name: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n at f' },
        ],
      }),
    );
    expect(records).toHaveLength(4);
    const [invocation, line, plain, exception] = records;
    expect(invocation).toEqual({
      timestamp: 1_764_000_000_000,
      message: 'GET https://api.adventive.com/v1.0/advertisers.json 200',
      attributes: {
        'service.name': 'adv-public-api-prd',
        'cf.event': 'fetch',
        'cf.outcome': 'ok',
        'request.id': 'b7ad6b7169203331',
        'trace.id': TRACE_ID,
        'log.kind': 'invocation',
        'cf.cpu_time_ms': 3,
        'cf.wall_time_ms': 12,
        'http.method': 'GET',
        'http.url': 'https://api.adventive.com/v1.0/advertisers.json',
        'http.status_code': 200,
        'cf.colo': 'EWR',
        'http.request.header.user-agent': 'curl/8.5',
        'http.request.header.traceparent': `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        level: 'INFO',
      },
    });
    expect(line!.attributes).toMatchObject({
      level: 'INFO',
      event: 'request',
      'request.id': 'b7ad6b7169203331',
      'trace.id': TRACE_ID,
      status: 200,
      queries_console: 2,
      'log.kind': 'console',
      'service.name': 'adv-public-api-prd',
    });
    expect(line!.attributes).not.toHaveProperty('outcome'); // null fields are left out
    expect(line!.message).toContain('"event":"request"');
    expect(plain).toMatchObject({ message: 'plain text {"n":1}', attributes: { level: 'WARN' } });
    expect(exception).toMatchObject({
      message: 'TypeError: x is undefined',
      attributes: {
        level: 'ERROR',
        'log.kind': 'exception',
        'error.class': 'TypeError',
        'error.stack': 'TypeError: x is undefined\n at f',
        'trace.id': TRACE_ID,
      },
    });
  });

  it('marks a failed invocation ERROR and takes the trace id from traceparent when no line has it', () => {
    const [invocation] = recordsOf(
      fetchItem({
        scriptName: 'adv-svc-auth-helper-prd',
        outcome: 'exception',
        status: 500,
        headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      }),
    );
    expect(invocation!.attributes).toMatchObject({
      level: 'ERROR',
      'cf.outcome': 'exception',
      'service.name': 'adv-svc-auth-helper-prd',
      'trace.id': TRACE_ID,
    });
  });

  it('keeps no planted key: URL, headers, fields, messages, Error objects, exceptions', () => {
    const url = plantedUrl('https://api.adventive.com/v1.0/campaigns/201.json');
    const headers = {
      'x-api-key': PLANTED.header,
      'X-API-KEY': PLANTED.headerUpper,
      'x-integration-key': PLANTED.integrationHeader,
      referer: url,
    };
    const records = recordsOf(
      fetchItem({
        url,
        headers,
        logs: [
          {
            message: jsonLine({
              event: 'request',
              api_key: PLANTED.query,
              nested: { 'X-Api-Key': PLANTED.header },
            }),
          },
          { message: [`GET ${url}`] },
          { message: ['headers', headers] },
          { message: [`lookup of ${PLANTED.integrationHeader} missed the cache`] },
          // The request's own key, bare and upper-cased (by value), and another one named (by name).
          { message: [`careless ${PLANTED.header.toUpperCase()} and integration_key:${PLANTED.message}`] },
          {
            level: 'error',
            message: ['Error: refused'],
            errorInfo: [
              {
                name: 'Error',
                message: `refused X-Api-Key: ${PLANTED.header}`,
                stack: `at ${encodeURIComponent(PLANTED.query)}`,
              },
            ],
          },
        ],
        exceptions: [
          {
            name: 'Error',
            message: `failed for ?api_key=${PLANTED.exception}`,
            stack: `Error: failed for ?api_key=${PLANTED.exception}\n    at fetch (index.js:1:1)`,
          },
        ],
      }),
    );
    const text = JSON.stringify(records);
    expect(leaksIn(text)).toEqual([]);
    expect(text).toContain(REDACTED);
    // What is not a key survives.
    expect(records[0]!.attributes['http.url']).toContain('format=json');
    expect(records[0]!.attributes['http.request.header.x-api-key']).toBe(REDACTED);
  });

  it('scrubs the keys the runtime had already redacted in the URL wherever else they appear', () => {
    // The runtime hands over a redacted request; getUnredacted() still tells which values to scrub.
    const [, line] = recordsOf(
      fetchItem({
        url: 'https://api.adventive.com/advertisers?api_key=REDACTED',
        headers: { 'x-api-key': 'REDACTED' },
        unredacted: {
          url: `https://api.adventive.com/advertisers?api_key=${PLANTED.query}`,
          headers: { 'x-api-key': PLANTED.header },
        },
        logs: [{ message: [`keys ${PLANTED.query} ${PLANTED.header}`] }],
      }),
    );
    expect(line!.message).toBe(`keys ${REDACTED} ${REDACTED}`);
  });

  it('bounds messages, attribute values and the number of fields', () => {
    const fields: Record<string, unknown> = { long: 'y'.repeat(10_000) };
    for (let i = 0; i < MAX_FIELDS + 20; i++) fields[`f${i}`] = i;
    const records = recordsOf(
      fetchItem({
        logs: [
          { message: ['x'.repeat(MESSAGE_LIMIT * 3)] },
          { message: jsonLine(fields) },
          // A key past the cut: the cut happens after redaction, so nothing of it can remain.
          { message: [`${'z'.repeat(MESSAGE_LIMIT * 2 - 10)}api_key=${PLANTED.message}`] },
        ],
      }),
    );
    expect(records[1]!.message).toHaveLength(MESSAGE_LIMIT);
    const attributes = records[2]!.attributes;
    expect(attributes.long).toHaveLength(ATTRIBUTE_LIMIT);
    expect(attributes['log.fields_dropped']).toBe(21);
    expect(Object.keys(attributes).filter((name) => /^f\d+$/.test(name))).toHaveLength(MAX_FIELDS - 1);
    expect(leaksIn(JSON.stringify(records))).toEqual([]);
  });
});
