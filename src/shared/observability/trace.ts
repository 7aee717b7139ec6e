/** W3C Trace Context (https://www.w3.org/TR/trace-context/): version 00 traceparent. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The two hex digits of each byte value, made once (ids are made on every request). */
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function randomHex(bytes: number): string {
  let hex = '';
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) hex += HEX_PAIRS[b];
  return hex;
}

export interface TraceContext {
  traceId: string;
  /** The span of this request, passed on as the parent of downstream calls. */
  spanId: string;
  flags: string;
}

/** Continues the caller's trace when its traceparent is valid, else starts a new one. */
export function traceFrom(header: string | undefined): TraceContext {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  const traceId = match && !/^0+$/.test(match[1]!) ? match[1]! : randomHex(16);
  return { traceId, spanId: randomHex(8), flags: match?.[3] ?? '01' };
}

export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}
