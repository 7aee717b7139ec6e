// One Worker invocation (a TraceItem) → New Relic log records: one for the invocation itself, one per
// console line, one per uncaught exception. Every string goes through the redaction of redact.ts
// before it is kept; nothing of the event is copied unredacted.
import {
  isKeyName,
  keyValuesOf,
  REDACTED,
  redactHeaders,
  redactText,
  redactUrl,
  valueScrubber,
} from './redact';

export type Attribute = string | number | boolean;

/** A record of the Log API's detailed format (`logs[]` of a payload). */
export interface LogRecord {
  timestamp: number;
  message: string;
  attributes: Record<string, Attribute>;
}

/** New Relic stores longer messages as an unsearchable blob; stacks and long lines still fit. */
export const MESSAGE_LIMIT = 16_000;
/** The searchable part of an attribute value (New Relic: 4,094 characters). */
export const ATTRIBUTE_LIMIT = 4_094;
/** Below New Relic's 255 per event, leaving room for the common block and the fixed attributes. */
export const MAX_FIELDS = 100;
/** Request headers kept as attributes (`http.request.header.*`). */
export const MAX_HEADERS = 40;

// Names New Relic reserves or that the record sets itself: a log field of that name is kept as `log.<name>`.
const RESERVED = new Set([
  'accountId',
  'appId',
  'eventType',
  'entity.guid',
  'entity.name',
  'entity.type',
  'timestamp',
  'message',
  'logtype',
  'level',
  'service.name',
  'environment',
]);

const LEVELS: Record<string, string> = {
  debug: 'DEBUG',
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  warning: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
};

const levelOf = (raw: unknown, fallback: string) =>
  (typeof raw === 'string' && LEVELS[raw.toLowerCase()]) || fallback;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

type Clean = (text: string, limit: number) => string;

/**
 * Redaction by name, then by value (the keys this very request carried), then the length limit.
 * The text is cut to twice the limit first so redaction stays cheap; a key cut at that boundary
 * lies past the limit and goes with the final cut.
 */
function cleanerFor(keys: readonly string[]): Clean {
  const scrub = valueScrubber(keys);
  return (text, limit) => clip(scrub(redactText(text.slice(0, limit * 2))), limit);
}

/** A JSON value with the value of every key-named member replaced, at any depth. */
function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value))
    out[name] = isKeyName(name) ? REDACTED : redactJson(v, depth + 1);
  return out;
}

function stringify(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(redactJson(part)) ?? String(part);
  } catch {
    return String(part);
  }
}

/** The fields of a structured line (src/shared/observability/logger.ts writes one JSON object per line). */
function jsonFields(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Flattens a line's fields into attributes (`a.b`), key-named ones redacted, at most MAX_FIELDS. */
function fieldAttributes(fields: Record<string, unknown>, clean: Clean): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  let count = 0;
  let dropped = 0;
  const visit = (prefix: string, value: unknown, depth: number) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value) && depth < 3) {
      for (const [name, v] of Object.entries(value)) {
        const path = prefix ? `${prefix}.${name}` : name;
        if (isKeyName(name)) put(path, REDACTED);
        else visit(path, v, depth + 1);
      }
      return;
    }
    if (typeof value === 'number' || typeof value === 'boolean') put(prefix, value);
    else put(prefix, clean(stringify(value), ATTRIBUTE_LIMIT));
  };
  const put = (name: string, value: Attribute) => {
    if (count >= MAX_FIELDS) {
      dropped++;
      return;
    }
    count++;
    const renamed =
      name === 'request_id'
        ? 'request.id'
        : name === 'trace_id'
          ? 'trace.id'
          : RESERVED.has(name)
            ? `log.${name}`
            : name;
    out[clip(renamed, 255)] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  };
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'level') continue; // becomes the record's level
    if (isKeyName(name)) put(name, REDACTED);
    else visit(name, value, 0);
  }
  if (dropped > 0) out['log.fields_dropped'] = dropped;
  return out;
}

function eventKind(event: TraceItem['event']): string {
  if (!event) return 'unknown';
  if ('request' in event) return 'fetch';
  if ('rpcMethod' in event) return 'rpc';
  if ('cron' in event) return 'scheduled';
  if ('scheduledTime' in event) return 'alarm';
  if ('queue' in event) return 'queue';
  if ('consumedEvents' in event) return 'tail';
  return 'other';
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface RequestView {
  url: string;
  method: string;
  headers: Record<string, string>;
  cf?: { colo?: unknown };
  status?: number;
}

/** The request as the runtime gave it (already partly redacted) and the key values it carried. */
function requestOf(event: TraceItem['event']): { request: RequestView | null; keys: string[] } {
  if (!event || !('request' in event)) return { request: null, keys: [] };
  const { request, response } = event;
  const keys = keyValuesOf(request.url, request.headers);
  try {
    // The unredacted request is read only to learn which key values to scrub elsewhere.
    const raw = request.getUnredacted();
    keys.push(...keyValuesOf(raw.url, raw.headers));
  } catch {
    // Not offered by this runtime: the names still mark the keys.
  }
  return {
    request: {
      url: request.url,
      method: request.method,
      headers: request.headers,
      cf: request.cf,
      status: response?.status,
    },
    keys,
  };
}

/**
 * Every record of one invocation, redacted and bounded. `producer` names the Worker when the
 * runtime does not: workerd leaves scriptName empty outside Cloudflare.
 */
export function recordsOf(item: TraceItem, producer?: string, now = Date.now()): LogRecord[] {
  const { request, keys } = requestOf(item.event);
  const clean = cleanerFor(keys);

  const lines = item.logs.map((log) => {
    const parts: unknown[] = Array.isArray(log.message) ? log.message : [log.message];
    const text = parts.map(stringify).join(' ');
    return { log, text, fields: parts.length === 1 ? jsonFields(text) : null };
  });

  // The invocation's ids, from its first structured line that has them; the trace id else from
  // the caller's traceparent, which the Public API passes on to the auth helper.
  const found = (name: string) => {
    for (const line of lines) {
      const value = line.fields?.[name];
      if (typeof value === 'string' && value !== '') return clean(value, 128);
    }
    return undefined;
  };
  const traceparent = request?.headers.traceparent ?? '';
  const requestId = found('request_id');
  const traceId = found('trace_id') ?? TRACEPARENT.exec(traceparent.trim())?.[1];

  const shared: Record<string, Attribute> = {
    'service.name': item.scriptName || producer || 'unknown',
    'cf.event': eventKind(item.event),
    'cf.outcome': item.outcome,
  };
  if (item.scriptVersion?.id) shared['cf.script_version'] = item.scriptVersion.id;
  if (item.entrypoint) shared['cf.entrypoint'] = item.entrypoint;
  if (item.truncated) shared['cf.truncated'] = true;
  if (requestId) shared['request.id'] = requestId;
  if (traceId) shared['trace.id'] = traceId;

  const records: LogRecord[] = [];
  const timestamp = item.eventTimestamp ?? now;

  const invocation: Record<string, Attribute> = {
    ...shared,
    'log.kind': 'invocation',
    'cf.cpu_time_ms': item.cpuTime,
    'cf.wall_time_ms': item.wallTime,
  };
  let summary = `${shared['cf.event']} ${item.outcome}`;
  if (request) {
    const url = clip(redactUrl(request.url.slice(0, ATTRIBUTE_LIMIT * 2)), ATTRIBUTE_LIMIT);
    const scrubbedUrl = clean(url, ATTRIBUTE_LIMIT);
    invocation['http.method'] = request.method;
    invocation['http.url'] = scrubbedUrl;
    if (request.status !== undefined) invocation['http.status_code'] = request.status;
    if (typeof request.cf?.colo === 'string') invocation['cf.colo'] = request.cf.colo;
    const headers = Object.entries(redactHeaders(request.headers)).slice(0, MAX_HEADERS);
    for (const [name, value] of headers) {
      invocation[`http.request.header.${clip(name.toLowerCase(), 100)}`] = clean(value, ATTRIBUTE_LIMIT);
    }
    summary = `${request.method} ${scrubbedUrl} ${request.status ?? item.outcome}`;
  }
  const failed = item.outcome !== 'ok' || (request?.status ?? 0) >= 500;
  records.push({
    timestamp,
    message: clip(summary, MESSAGE_LIMIT),
    attributes: { ...invocation, level: failed ? 'ERROR' : 'INFO' },
  });

  for (const { log, text, fields } of lines) {
    // The invocation's attributes win over a line's fields of the same name.
    const attributes: Record<string, Attribute> = {
      ...(fields ? fieldAttributes(fields, clean) : {}),
      ...shared,
      'log.kind': 'console',
      level: levelOf(fields?.level, levelOf(log.level, 'INFO')),
    };
    const error = log.errorInfo?.find((info) => info);
    if (error) {
      attributes['error.class'] = clean(error.name, 255);
      attributes['error.message'] = clean(error.message, ATTRIBUTE_LIMIT);
      if (error.stack) attributes['error.stack'] = clean(error.stack, ATTRIBUTE_LIMIT);
    }
    records.push({ timestamp: log.timestamp, message: clean(text, MESSAGE_LIMIT), attributes });
  }

  for (const exception of item.exceptions) {
    const attributes: Record<string, Attribute> = {
      ...shared,
      'log.kind': 'exception',
      level: 'ERROR',
      'error.class': clean(exception.name, 255),
      'error.message': clean(exception.message, ATTRIBUTE_LIMIT),
    };
    if (exception.stack) attributes['error.stack'] = clean(exception.stack, ATTRIBUTE_LIMIT);
    records.push({
      timestamp: exception.timestamp,
      message: clean(`${exception.name}: ${exception.message}`, MESSAGE_LIMIT),
      attributes,
    });
  }
  return records;
}
