import fetch from 'node-fetch';
import { describeCursor, HrError, HrMalformedPageError, HrPermanentError, HrRateLimitedError, HrTransientError } from './errors';
import { holdFutureRecords, parsePage, type HrPage } from './page';
import { DEFAULT_RETRY_AFTER_MS, parseRetryAfter } from '../retry-after';

/** A secret that only shows itself on purpose (what the config module hands out), or a plain string. */
export type HrApiToken = string | { reveal(): string };

export interface HrConnectorOptions {
  /** e.g. https://hr.example.com (the connector appends /api/v1/employees). */
  baseUrl: string;
  /** Sent as a bearer token when set. Never printed. */
  apiToken?: HrApiToken;
  /** Records per page; the HR API may have its own maximum. Default 100. */
  pageSize?: number;
  /** Per request, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** A page body larger than this fails the request (default 64 MiB). */
  maxResponseBytes?: number;
  /** The clock future `updated_at` values are judged by (tests). */
  now?: () => number;
  /** HR fields beyond the contract that the mapping names (`mappedHrFields`): kept on the records, the rest dropped. */
  mappedFields?: readonly string[];
}

export interface ReadPageRequest {
  /** null for the first page. */
  cursor: string | null;
  /** Only records updated strictly after this instant (ISO 8601). Absent for a full read. */
  updatedAfter?: string;
  pageSize?: number;
}

export interface HrConnector {
  /** Reads one page: one call per activity, so a workflow pages the HR API one activity at a time. */
  readPage(request: ReadPageRequest): Promise<HrPage>;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_TIMEOUT_MS = 30_000;
const BODY_EXCERPT_CHARS = 200;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** A Retry-After longer than this fails the request: an HR API asking for hours must not hold the run that long. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

export function createHrConnector(options: HrConnectorOptions): HrConnector {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/employees`;
  const token = options.apiToken === undefined ? undefined : typeof options.apiToken === 'string' ? options.apiToken : options.apiToken.reveal();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const redact = (text: string): string => (token ? text.split(token).join('[redacted]') : text);

  async function readPage(request: ReadPageRequest): Promise<HrPage> {
    const { cursor } = request;
    const url = new URL(endpoint);
    if (request.updatedAfter !== undefined) url.searchParams.set('updated_after', request.updatedAfter);
    const pageSize = request.pageSize ?? options.pageSize ?? DEFAULT_PAGE_SIZE;
    url.searchParams.set('page_size', String(pageSize));
    if (cursor !== null) url.searchParams.set('cursor', cursor);
    const where = describeCursor(cursor);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url.toString(), {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: controller.signal,
        size: maxBytes,
      });
      const body = await response.text();
      if (response.ok) return holdFutureRecords(parsePage(body, cursor, { maxRecords: pageSize, mappedFields: options.mappedFields }), (options.now ?? Date.now)());

      const excerpt = redact(body.slice(0, BODY_EXCERPT_CHARS).replace(/\s+/g, ' ').trim());
      const said = `HR API answered ${response.status} for ${where}${excerpt ? `: ${excerpt}` : ''}`;
      if (response.status === 429) {
        // An HR API has no other header to say when: without a usable Retry-After, the default wait.
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS;
        if (retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new HrTransientError(
            `${said} (asked to wait ${Math.round(retryAfterMs / 1000)} s, longer than the ${MAX_RETRY_AFTER_MS / 1000} s hrsync waits out; failed instead of holding the run)`,
            { cursor, status: 429 },
          );
        }
        throw new HrRateLimitedError(`${said} (retry after ${retryAfterMs} ms)`, retryAfterMs, { cursor, status: 429 });
      }
      if (response.status >= 500 || response.status === 408) {
        throw new HrTransientError(said, { cursor, status: response.status });
      }
      const hint = response.status === 401 || response.status === 403 ? ' (check the HR API token)' : '';
      throw new HrPermanentError(`${said}${hint}`, { cursor, status: response.status });
    } catch (e) {
      if ((e as { type?: string }).type === 'max-size') {
        throw new HrMalformedPageError(`HR API answered ${where} with a body larger than hr.maxResponseBytes (${maxBytes} bytes)`, { cursor });
      }
      throw classifyThrown(e, where, cursor, controller.signal.aborted, timeoutMs, redact);
    } finally {
      clearTimeout(timer);
    }
  }

  return { readPage };
}

function classifyThrown(
  e: unknown,
  where: string,
  cursor: string | null,
  timedOut: boolean,
  timeoutMs: number,
  redact: (s: string) => string,
): HrError {
  if (e instanceof HrError) return e;
  const err = e as { name?: string; message?: string; code?: string };
  if (timedOut || err.name === 'AbortError') {
    return new HrTransientError(`HR API did not answer ${where} within ${timeoutMs} ms`, { cursor });
  }
  const message = redact(err.message ?? String(e));
  // node-fetch raises FetchError for everything on the wire: resets, refusals, DNS, bodies cut mid-stream.
  if (err.name === 'FetchError') {
    return new HrTransientError(`HR API request for ${where} failed${err.code ? ` (${err.code})` : ''}: ${message}`, { cursor });
  }
  return new HrPermanentError(`HR API request for ${where} could not be made: ${message}`, { cursor });
}
