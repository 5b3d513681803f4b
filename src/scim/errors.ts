import type { z } from 'zod';
import { ScimErrorSchema } from './model/messages/error';
import { DEFAULT_RETRY_AFTER_MS } from '../retry-after';

/**
 * Every way a SCIM call can fail, as a small closed set the Temporal activities map to retry behaviour:
 * each kind's answer to "may the *same* request succeed if sent again later?", and what its message says
 * when the one who throws it has no words of its own. A version conflict is not retryable in that sense:
 * the caller must refetch, re-diff and write again.
 */
const KINDS = {
  'rate-limited': { retryable: true, summary: 'rate limited' },
  transient: { retryable: true, summary: 'server or network failure' },
  'version-conflict': { retryable: false, summary: 'the resource changed since it was read (refetch, diff and write again)' },
  uniqueness: { retryable: false, summary: 'a unique attribute (such as userName) is already taken' },
  'not-found': { retryable: false, summary: 'resource not found' },
  forbidden: { retryable: false, summary: "forbidden: the OAuth client's role lacks a required permission" },
  unauthorized: { retryable: false, summary: 'unauthorized (credentials rejected, even after a token refresh)' },
  'invalid-request': { retryable: false, summary: 'the target rejected the request' },
  'invalid-response': { retryable: false, summary: 'invalid response body' },
  unsupported: { retryable: false, summary: 'not supported by the target' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ScimErrorKind = keyof typeof KINDS;

/** What the client was doing; it names the Genesys permission a 403 most likely lacks. */
export type ScimOperation =
  | 'token'
  | 'discover'
  | 'user.get'
  | 'user.list'
  | 'user.create'
  | 'user.patch'
  | 'user.replace'
  | 'user.delete'
  | 'group.get'
  | 'group.list'
  | 'group.patch'
  | 'group.replace'
  | 'bulk';

const PERMISSION_BY_OPERATION: Partial<Record<ScimOperation, string>> = {
  'user.create': 'directory:user:add',
  'user.patch': 'directory:user:edit',
  'user.replace': 'directory:user:edit',
  'user.delete': 'directory:user:delete',
  'group.patch': 'directory:group:edit',
  'group.replace': 'directory:group:edit',
};

export function likelyMissingPermission(operation: ScimOperation): string | undefined {
  return PERMISSION_BY_OPERATION[operation];
}

export interface ScimErrorInit {
  operation: ScimOperation;
  status?: number;
  scimType?: string;
  detail?: string;
  /** `METHOD /path` without the query string (filters may carry PII). */
  request?: string;
  /** What went wrong in the thrower's words, instead of the kind's summary. */
  reason?: string;
}

export abstract class ScimError extends Error {
  abstract readonly kind: ScimErrorKind;
  readonly retryable: boolean;
  readonly operation: ScimOperation;
  readonly status?: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly request?: string;

  protected constructor(kind: ScimErrorKind, init: ScimErrorInit) {
    super(describe(init.reason ?? KINDS[kind].summary, init));
    this.name = new.target.name;
    this.retryable = KINDS[kind].retryable;
    this.operation = init.operation;
    this.status = init.status;
    this.scimType = init.scimType;
    this.detail = init.detail;
    this.request = init.request;
  }
}

function describe(summary: string, init: ScimErrorInit): string {
  const parts = [`SCIM ${init.operation}`];
  if (init.request) parts.push(`(${init.request})`);
  parts[parts.length - 1] += ':';
  parts.push(summary);
  if (init.status !== undefined) parts.push(`[HTTP ${init.status}${init.scimType ? ` ${init.scimType}` : ''}]`);
  if (init.detail) parts.push(`- ${truncate(init.detail, 300)}`);
  return parts.join(' ');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}...`;
}

/** The base class of one kind's errors: callers tell kinds apart with `instanceof`, and KINDS says the rest. */
function ofKind<K extends ScimErrorKind>(kind: K) {
  return class extends ScimError {
    readonly kind = kind;
    constructor(init: ScimErrorInit) {
      super(kind, init);
    }
  };
}

export class ScimTransientError extends ofKind('transient') {}
export class ScimVersionConflictError extends ofKind('version-conflict') {}
export class ScimUniquenessError extends ofKind('uniqueness') {}
export class ScimNotFoundError extends ofKind('not-found') {}
export class ScimUnauthorizedError extends ofKind('unauthorized') {}
export class ScimInvalidRequestError extends ofKind('invalid-request') {}

export class ScimRateLimitedError extends ofKind('rate-limited') {
  readonly retryAfterMs: number;
  constructor(init: ScimErrorInit & { retryAfterMs: number }) {
    super({ ...init, reason: `rate limited, retry after ${init.retryAfterMs} ms` });
    this.retryAfterMs = init.retryAfterMs;
  }
}

export class ScimForbiddenError extends ofKind('forbidden') {
  readonly permission?: string;
  constructor(init: ScimErrorInit) {
    const permission = likelyMissingPermission(init.operation);
    super(permission ? { ...init, reason: `forbidden: the OAuth client's role probably lacks the permission ${permission}` } : init);
    this.permission = permission;
  }
}

export class ScimInvalidResponseError extends ofKind('invalid-response') {
  /** Field paths such as `Resources.3.userName`. */
  readonly fields: string[];
  constructor(init: ScimErrorInit & { problems: string[] }) {
    super({ ...init, reason: `invalid response body: ${init.problems.slice(0, 5).join('; ')}` });
    this.fields = init.problems.map((p) => p.split(':')[0]);
  }
}

export class ScimUnsupportedError extends ofKind('unsupported') {
  constructor(init: ScimErrorInit & { reason: string }) {
    super(init);
  }
}

/** A PATCH the target answered 501 or 405: it doesn't do PATCH (RFC 7644 §3.5.2 makes it optional), and a PUT will do instead. */
export function isPatchUnavailable(err: unknown): err is ScimUnsupportedError {
  return err instanceof ScimUnsupportedError && (err.operation === 'user.patch' || err.operation === 'group.patch') && (err.status === 501 || err.status === 405);
}

export function isScimError(err: unknown): err is ScimError {
  return err instanceof ScimError;
}

/** `Resources.3.userName: expected string, received number` for each zod issue. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

/** The parts of an error body worth keeping: scimType and a detail, whatever dialect the server speaks. */
export function readErrorBody(body: unknown): { scimType?: string; detail?: string } {
  const parsed = ScimErrorSchema.safeParse(body);
  if (parsed.success) {
    const detail = parsed.data.detail ?? stringField(body, 'message');
    return { scimType: parsed.data.scimType, detail };
  }
  return { scimType: stringField(body, 'scimType'), detail: stringField(body, 'detail') ?? stringField(body, 'message') };
}

function stringField(body: unknown, key: string): string | undefined {
  if (body && typeof body === 'object' && key in body) {
    const v = (body as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

const UNIQUENESS_WORDS = /uniqu|already exists|duplicate|in use/i;

export interface HttpFailure {
  operation: ScimOperation;
  status: number;
  body: unknown;
  retryAfterMs?: number;
  request?: string;
}

/** Maps one non-2xx answer to its typed error. Pure: used for HTTP answers and for /Bulk per-operation results. */
export function classifyHttpFailure(f: HttpFailure): ScimError {
  const { scimType, detail } = readErrorBody(f.body);
  const init: ScimErrorInit = { operation: f.operation, status: f.status, scimType, detail, request: f.request };
  const status = f.status;
  if (status === 429) return new ScimRateLimitedError({ ...init, retryAfterMs: f.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS });
  if (status === 401) return new ScimUnauthorizedError(init);
  if (status === 403) return new ScimForbiddenError(init);
  if (status === 404) return new ScimNotFoundError(init);
  if (status === 412) return new ScimVersionConflictError(init);
  if (status === 409) {
    if (scimType === 'uniqueness' || UNIQUENESS_WORDS.test(detail ?? '') || UNIQUENESS_WORDS.test(scimType ?? '')) return new ScimUniquenessError(init);
    // A create sends no version, so it cannot conflict on one. RFC 7644 §3.3 answers a duplicate with 409
    // `uniqueness`, so a bare 409 there is one (a terse target); a 409 with another scimType is the target
    // refusing the request for that reason, and adopting an existing user would answer the wrong question.
    if (f.operation === 'user.create') return scimType === undefined ? new ScimUniquenessError(init) : new ScimInvalidRequestError(init);
    return new ScimVersionConflictError(init);
  }
  if (status === 400 && scimType === 'invalidVers') return new ScimVersionConflictError(init);
  if (status === 400 && scimType === 'uniqueness') return new ScimUniquenessError(init);
  // RFC 7644 §3.12: 501 is "not implemented", and 405 a method this resource doesn't take: no retry changes either.
  if (status === 501 || status === 405) return new ScimUnsupportedError({ ...init, reason: status === 501 ? 'not implemented by the target' : 'method not allowed by the target' });
  if (status === 408 || status >= 500) return new ScimTransientError(init);
  return new ScimInvalidRequestError(init);
}
