/**
 * Failures of the HR source, classified the way the retry policy needs them:
 * - `transient`: worth retrying with backoff (5xx, connection reset or refused, timeout);
 * - `rate-limited`: retry after `retryAfterMs` (a 429's Retry-After), which becomes Temporal's nextRetryDelay;
 * - `permanent`: retrying won't help (other 4xx, a malformed page).
 * Messages name the request (the cursor) and never carry the API token.
 */
export type HrErrorKind = 'transient' | 'rate-limited' | 'permanent';

export interface HrErrorDetails {
  /** The cursor of the page being read (null for the first page). */
  cursor?: string | null;
  /** HTTP status, when there was a response. */
  status?: number;
  cause?: unknown;
}

export abstract class HrError extends Error {
  abstract readonly kind: HrErrorKind;
  /** May the same request succeed if sent again later? */
  abstract readonly retryable: boolean;
  readonly cursor: string | null | undefined;
  readonly status: number | undefined;

  constructor(message: string, details: HrErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.cursor = details.cursor;
    this.status = details.status;
  }
}

export class HrTransientError extends HrError {
  readonly kind = 'transient' as const;
  readonly retryable = true;
}

export class HrRateLimitedError extends HrError {
  readonly kind = 'rate-limited' as const;
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    details: HrErrorDetails = {},
  ) {
    super(message, details);
  }
}

export class HrPermanentError extends HrError {
  readonly kind = 'permanent' as const;
  readonly retryable = false;
}

/**
 * The HR API answered 2xx with something that is not a page: not JSON, cut short, `{}`, no `data` array,
 * no `next_cursor`. This is never read as an empty page: an HR API that returns nothing by mistake would
 * otherwise look like "everyone left", and a full run would deactivate the whole company.
 * Permanent, because re-reading the same cursor from a broken API is for an operator to decide.
 */
export class HrMalformedPageError extends HrPermanentError {}

export function isHrError(e: unknown): e is HrError {
  return e instanceof HrError;
}

/** How a cursor is named in messages: short enough to read, enough to find the page again. */
export function describeCursor(cursor: string | null | undefined): string {
  if (cursor === null || cursor === undefined) return 'the first page (no cursor)';
  const shown = cursor.length > 80 ? `${cursor.slice(0, 77)}...` : cursor;
  return `cursor ${JSON.stringify(shown)}`;
}
