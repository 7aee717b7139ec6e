import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Titles of the statuses this API answers (RFC 9457 `title` is the status' short description). */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** The request's id in the logs (X-Request-Id): what a caller quotes to support. */
  request_id: string;
}

/**
 * The one error type of the Worker. Anything thrown that is not an ApiError is an internal
 * fault and becomes a generic 500 (details only in the log, never in the body).
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly detail: string;
  readonly type: string;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    detail: string,
    options: { type?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.type = options.type ?? 'about:blank';
    this.headers = options.headers ?? {};
  }

  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }

  toProblem(instance: string, requestId: string): ProblemBody {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      request_id: requestId,
    };
  }
}
