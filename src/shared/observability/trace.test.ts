import { describe, expect, it } from 'vitest';
import { traceFrom, traceparentOf } from './trace';

describe('traceFrom: the request’s W3C trace context', () => {
  it('starts a trace when none came: 32 and 16 lowercase hex digits, new each time', () => {
    const traces = Array.from({ length: 200 }, () => traceFrom(undefined));
    for (const trace of traces) {
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(trace.flags).toBe('01');
    }
    expect(new Set(traces.map((t) => t.traceId)).size).toBe(200);
    // Every hex digit turns up (a table of byte pairs with a gap would leave one out).
    expect(new Set(traces.flatMap((t) => [...t.traceId])).size).toBe(16);
  });

  it('continues a valid traceparent with a span of its own; an all-zero or malformed one starts anew', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const trace = traceFrom(header);
    expect(trace.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(traceparentOf(trace)).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(traceFrom('00-00000000000000000000000000000000-00f067aa0ba902b7-01').traceId).not.toMatch(/^0+$/);
    expect(traceFrom('garbage').traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
