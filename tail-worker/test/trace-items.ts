// TraceItems as the Workers runtime hands them to a tail handler, built by hand for unit tests
// (tail-worker/src/index.test.ts gets real ones from workerd). Only the fields the tail Worker
// reads are filled.

export interface FetchItemOptions {
  scriptName?: string;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  status?: number;
  outcome?: string;
  logs?: Array<{ level?: string; message: unknown[]; timestamp?: number; errorInfo?: TraceLogErrorInfo[] }>;
  exceptions?: Array<{ name: string; message: string; stack?: string }>;
  /** What getUnredacted() gives; by default the same request. */
  unredacted?: { url: string; headers: Record<string, string> };
}

export function fetchItem(options: FetchItemOptions = {}): TraceItem {
  const url = options.url ?? 'https://api.adventive.com/advertisers';
  const headers = options.headers ?? {};
  const request = {
    url,
    method: options.method ?? 'GET',
    headers,
    cf: { colo: 'EWR' },
    getUnredacted: () => ({ ...request, ...(options.unredacted ?? {}) }),
  };
  return {
    event: { request, response: { status: options.status ?? 200 } } as TraceItemFetchEventInfo,
    eventTimestamp: 1_764_000_000_000,
    logs: (options.logs ?? []).map((log, i) => ({
      timestamp: log.timestamp ?? 1_764_000_000_001 + i,
      level: log.level ?? 'log',
      message: log.message,
      ...(log.errorInfo ? { errorInfo: log.errorInfo } : {}),
    })),
    exceptions: (options.exceptions ?? []).map((e) => ({ timestamp: 1_764_000_000_500, ...e })),
    diagnosticsChannelEvents: [],
    scriptName: options.scriptName ?? 'adv-public-api-prd',
    outcome: options.outcome ?? 'ok',
    executionModel: 'stateless',
    truncated: false,
    cpuTime: 3,
    wallTime: 12,
  };
}

/** A line as src/shared/observability/logger.ts writes it. */
export const jsonLine = (fields: Record<string, unknown>) => [JSON.stringify(fields)];
