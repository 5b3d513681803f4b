import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import fetch, { type Response } from 'node-fetch';
import type { z } from 'zod';
import type { AccessTokenSource } from './auth';
import { networkReason } from './auth';
import {
  ScimError,
  ScimInvalidResponseError,
  ScimRateLimitedError,
  ScimTransientError,
  ScimUnauthorizedError,
  classifyHttpFailure,
  describeIssues,
  type ScimOperation,
} from './errors';
import { withoutNulls } from './nulls';
import { DEFAULT_RETRY_AFTER_MS, parseRetryAfter } from '../retry-after';
import { Pacer, PacerWaitTooLongError } from './pacer';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimRequest<T> {
  operation: ScimOperation;
  method: HttpMethod;
  /** Relative to the SCIM base, e.g. `/users/123`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: string;
  /** Validates a 2xx body; without it the body is returned as `unknown`. */
  schema?: z.ZodType<T>;
  /**
   * A 2xx body nobody reads: drained as it comes, never held whole or parsed (the response's body is
   * undefined). An error body is read as always, for the error.
   */
  discardBody?: boolean;
}

export interface ScimResponse<T> {
  status: number;
  /** Undefined for empty bodies (204, 304). */
  body: T | undefined;
  etag?: string;
}

export interface HttpStats {
  /** Every HTTP request sent to the SCIM API (retries included; token calls excluded). */
  apiCalls: number;
  /** 429 answers seen. */
  rateLimited: number;
  /** Requests sent again inside the client: after a 401 refresh or a short Retry-After. */
  retries: number;
  byStatus: Record<string, number>;
}

export interface ScimHttpOptions {
  baseUrl: string;
  auth: AccessTokenSource;
  pacer: Pacer;
  timeoutMs?: number;
  /**
   * A 429 whose Retry-After is at most this is waited out and sent once more inside the client; a longer one
   * surfaces as ScimRateLimitedError straight away so the Temporal retry policy (nextRetryDelay) handles it.
   * 0 turns the in-client retry off.
   */
  maxInClientRetryAfterMs?: number;
  /** A response body larger than this fails its request (default 64 MiB): a target must not exhaust the worker's memory. */
  maxResponseBytes?: number;
  /**
   * A Retry-After longer than this is not honoured: a target asking for hours would hold the run (and,
   * through the pacer, every request of the worker) that long. The request fails, saying so, and the
   * activity's own retry policy takes over. Default 15 minutes.
   */
  maxRetryAfterMs?: number;
  /** Idempotent reads that meet a 5xx, a timeout or a dropped connection are sent again this many times, with backoff (default 3). */
  readRetries?: number;
  userAgent?: string;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;
const READ_RETRY_BASE_MS = 250;

const SCIM_JSON = 'application/scim+json';

interface CallScope {
  apiCalls: number;
  outer?: CallScope;
}
const callScope = new AsyncLocalStorage<CallScope>();

/**
 * Runs `body` as one scope of counted calls (one activity): a worker runs several activities at once (a
 * page's chunks side by side, the next page planned meanwhile), so the client's total since a start is
 * not one activity's. A scope inside another counts in both.
 */
export function countingCalls<T>(body: () => Promise<T>): Promise<T> {
  return callScope.run({ apiCalls: 0, outer: callScope.getStore() }, body);
}

/** Calls made in the current scope (see countingCalls) so far; outside any, undefined. */
export function callsInScope(): number | undefined {
  return callScope.getStore()?.apiCalls;
}

/**
 * One SCIM request, the way every call needs it: paced, authenticated (refresh once on 401), timed out,
 * JSON in and out, the ETag read, the body validated, and every failure a typed ScimError.
 */
export class ScimHttp {
  readonly #baseUrl: string;
  readonly #auth: AccessTokenSource;
  readonly #pacer: Pacer;
  readonly #timeoutMs: number;
  readonly #maxInClientRetryAfterMs: number;
  readonly #maxResponseBytes: number;
  readonly #maxRetryAfterMs: number;
  readonly #readRetries: number;
  readonly #userAgent: string;
  readonly #stats: HttpStats = { apiCalls: 0, rateLimited: 0, retries: 0, byStatus: {} };

  constructor(opts: ScimHttpOptions) {
    this.#baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#auth = opts.auth;
    this.#pacer = opts.pacer;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#maxInClientRetryAfterMs = opts.maxInClientRetryAfterMs ?? 2_000;
    this.#maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.#readRetries = opts.readRetries ?? 3;
    this.#userAgent = opts.userAgent ?? 'hrsync-scim-client';
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  stats(): HttpStats {
    return { ...this.#stats, byStatus: { ...this.#stats.byStatus } };
  }

  async request<T>(req: ScimRequest<T>): Promise<ScimResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#send(req, { refreshed: false, waitedForRetryAfter: false });
      } catch (err) {
        // A GET changes nothing: sent again in place, a blip costs a second instead of the whole activity (many pages).
        // A 501 is not transient (see classifyHttpFailure), and a write is never sent twice here.
        if (req.method === 'GET' && err instanceof ScimTransientError && attempt < this.#readRetries) {
          this.#stats.retries += 1;
          await delay(READ_RETRY_BASE_MS * 4 ** attempt);
          continue;
        }
        throw this.#scrub(err);
      }
    }
  }

  async #send<T>(req: ScimRequest<T>, attempt: { refreshed: boolean; waitedForRetryAfter: boolean }): Promise<ScimResponse<T>> {
    const label = `${req.method} ${req.path}`;
    const token = await this.#auth.token();
    let permit;
    try {
      permit = await this.#pacer.acquire();
    } catch (err) {
      if (err instanceof PacerWaitTooLongError) {
        throw new ScimRateLimitedError({ operation: req.operation, request: label, retryAfterMs: err.waitMs });
      }
      throw err;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let res: Response;
    let text: string;
    try {
      this.#stats.apiCalls += 1;
      for (let sc = callScope.getStore(); sc; sc = sc.outer) sc.apiCalls += 1;
      res = await fetch(this.#url(req), {
        method: req.method,
        headers: this.#headers(req, token.reveal()),
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal,
        size: this.#maxResponseBytes,
      });
      text = req.discardBody && res.ok ? await drained(res) : await res.text();
    } catch (err) {
      permit.release();
      if ((err as { type?: string }).type === 'max-size') {
        throw new ScimInvalidResponseError({
          operation: req.operation,
          request: label,
          problems: [`(root): the body is larger than target.maxResponseBytes (${this.#maxResponseBytes} bytes)`],
        });
      }
      throw new ScimTransientError({ operation: req.operation, request: label, reason: `request failed: ${networkReason(err)}` });
    } finally {
      clearTimeout(timer);
    }
    permit.release(res.headers);
    const status = res.status;
    this.#stats.byStatus[status] = (this.#stats.byStatus[status] ?? 0) + 1;
    const etag = res.headers.get('etag') ?? undefined;

    if (status >= 200 && status < 300) {
      const body = text.trim() === '' ? undefined : this.#parse(text, req, status, label);
      if (body === undefined || !req.schema) return { status, body: body as T | undefined, etag };
      const parsed = req.schema.safeParse(withoutNulls(body));
      if (!parsed.success) {
        throw new ScimInvalidResponseError({ operation: req.operation, request: label, status, problems: describeIssues(parsed.error) });
      }
      return { status, body: parsed.data, etag };
    }

    const errorBody = text.trim() === '' ? undefined : tryJson(text);
    if (status === 401) {
      if (this.#auth.canRefresh && !attempt.refreshed) {
        this.#auth.invalidate(token);
        this.#stats.retries += 1;
        return this.#send(req, { ...attempt, refreshed: true });
      }
      throw new ScimUnauthorizedError({ operation: req.operation, request: label, status });
    }
    // Unlike an HR API, Genesys may say when in a header of its own: consulted only when Retry-After says nothing usable.
    const retryAfterMs =
      status === 429 ? (parseRetryAfter(res.headers.get('retry-after')) ?? resetHeaderMs(res.headers.get('inin-ratelimit-reset'))) : undefined;
    if (status === 429) {
      this.#stats.rateLimited += 1;
      const wait = retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      if (wait > this.#maxRetryAfterMs) {
        throw new ScimTransientError({
          operation: req.operation,
          request: label,
          status,
          reason: `the target asked to wait ${Math.round(wait / 1000)} s (Retry-After), longer than the ${Math.round(this.#maxRetryAfterMs / 1000)} s hrsync waits out; failed instead of holding the worker`,
        });
      }
      this.#pacer.pauseFor(wait);
      if (!attempt.waitedForRetryAfter && wait <= this.#maxInClientRetryAfterMs) {
        // One short in-client retry: the pacer holds this and every other request until Retry-After has passed.
        this.#stats.retries += 1;
        return this.#send(req, { ...attempt, waitedForRetryAfter: true });
      }
    }
    throw classifyHttpFailure({ operation: req.operation, status, body: errorBody, retryAfterMs, request: label });
  }

  #url(req: ScimRequest<unknown>): string {
    const params = Object.entries(req.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      // %20 rather than '+': not every SCIM server decodes '+' in a query as a space.
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    return `${this.#baseUrl}${req.path}${params.length ? `?${params.join('&')}` : ''}`;
  }

  #headers(req: ScimRequest<unknown>, token: string): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: `${SCIM_JSON}, application/json`,
      'user-agent': this.#userAgent,
    };
    if (req.body !== undefined) headers['content-type'] = SCIM_JSON;
    if (req.ifMatch) headers['if-match'] = req.ifMatch;
    return headers;
  }

  #parse(text: string, req: ScimRequest<unknown>, status: number, label: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new ScimInvalidResponseError({ operation: req.operation, request: label, status, problems: ['(root): not JSON'] });
    }
  }

  /** Last line of defence: no token or secret in any message, whatever a server echoed back. */
  #scrub(err: unknown): unknown {
    if (!(err instanceof Error)) return err;
    const secrets = this.#auth.secrets().filter((s) => s.length >= 4);
    const clean = (text: string) => secrets.reduce((acc, s) => acc.split(s).join('[redacted]'), text);
    const message = clean(err.message);
    if (message !== err.message) {
      Object.defineProperty(err, 'message', { value: message, configurable: true, writable: true });
      if (err.stack) Object.defineProperty(err, 'stack', { value: clean(err.stack), configurable: true, writable: true });
      if (err instanceof ScimError && err.detail) Object.defineProperty(err, 'detail', { value: clean(err.detail) });
    }
    return err;
  }

  toJSON(): object {
    return { baseUrl: this.#baseUrl, stats: this.stats() };
  }
  [inspect.custom](): string {
    return `ScimHttp { baseUrl: ${this.#baseUrl} }`;
  }
}

/**
 * Reads a body to its end and keeps none of it: the connection is then free for the next request. No size
 * cap is needed, as nothing is kept; the request's timeout still bounds a body that never ends.
 */
async function drained(res: Response): Promise<''> {
  for await (const _chunk of res.body) {
    // dropped
  }
  return '';
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

function resetHeaderMs(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n < 1e6 ? n * 1000 : undefined;
}
