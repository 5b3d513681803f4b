import { inspect } from 'node:util';
import fetch from 'node-fetch';
import { z } from 'zod';
import { Secret, type SecretLike } from '../secret';
import {
  ScimError,
  ScimInvalidResponseError,
  ScimTransientError,
  ScimUnauthorizedError,
  classifyHttpFailure,
  describeIssues,
} from './errors';
import { parseRetryAfter } from '../retry-after';

/**
 * Where API calls get their bearer token. `invalidate(stale)` is called after a 401 with the token that
 * failed, so that many concurrent 401s on the same token cause one refresh, not many.
 */
export interface AccessTokenSource {
  token(): Promise<Secret>;
  invalidate(stale: Secret): void;
  /** False for a static bearer: a 401 is final. */
  readonly canRefresh: boolean;
  /** Values that must never appear in an error message (scrubbed as a last line of defence). */
  secrets(): string[];
  tokenRequests(): number;
}

export function toSecret(value: SecretLike): Secret {
  return value instanceof Secret ? value : new Secret(typeof value === 'string' ? value : value.reveal());
}

export class StaticBearerToken implements AccessTokenSource {
  readonly canRefresh = false;
  readonly #token: Secret;
  constructor(token: SecretLike) {
    this.#token = toSecret(token);
  }
  async token(): Promise<Secret> {
    return this.#token;
  }
  invalidate(): void {}
  secrets(): string[] {
    return [this.#token.reveal()];
  }
  tokenRequests(): number {
    return 0;
  }
  toJSON(): object {
    return { kind: 'static-bearer', token: '[redacted]' };
  }
  [inspect.custom](): string {
    return 'StaticBearerToken { token: [redacted] }';
  }
}

const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** When a token response has no expires_in; short, so a wrong guess costs one extra token call. */
const FALLBACK_LIFETIME_MS = 300_000;

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: SecretLike;
  clientSecret: SecretLike;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4), as Genesys Cloud does it: Basic auth with id:secret and
 * `grant_type=client_credentials`; no scopes (access comes from the OAuth client's roles).
 * The token is cached until shortly before it expires: min(60 s, 10 % of its lifetime) early.
 */
export class ClientCredentialsTokenSource implements AccessTokenSource {
  readonly canRefresh = true;
  readonly #tokenUrl: string;
  readonly #clientId: Secret;
  readonly #clientSecret: Secret;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #cached: { token: Secret; refreshAt: number } | undefined;
  #inFlight: Promise<Secret> | undefined;
  #requests = 0;
  /** Tokens handed out before: scrubbed from messages even after they were replaced. */
  readonly #issued: Secret[] = [];

  constructor(opts: ClientCredentialsOptions) {
    this.#tokenUrl = opts.tokenUrl;
    this.#clientId = toSecret(opts.clientId);
    this.#clientSecret = toSecret(opts.clientSecret);
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#now = opts.now ?? Date.now;
  }

  token(): Promise<Secret> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.refreshAt) return Promise.resolve(cached.token);
    if (!this.#inFlight) {
      this.#inFlight = this.#fetchToken().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  invalidate(stale: Secret): void {
    if (this.#cached?.token === stale) this.#cached = undefined;
  }

  secrets(): string[] {
    return [this.#clientSecret.reveal(), ...this.#issued.map((t) => t.reveal())];
  }

  tokenRequests(): number {
    return this.#requests;
  }

  async #fetchToken(): Promise<Secret> {
    this.#requests += 1;
    const request = `POST ${new URL(this.#tokenUrl).pathname}`;
    const basic = Buffer.from(`${this.#clientId.reveal()}:${this.#clientSecret.reveal()}`).toString('base64');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(this.#tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: controller.signal,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      throw new ScimTransientError({ operation: 'token', request, reason: `token request failed: ${networkReason(err)}` });
    } finally {
      clearTimeout(timer);
    }
    const body = parseJson(text);
    if (status < 200 || status >= 300) {
      // OAuth errors (400 invalid_client, 401) mean bad credentials; never echo the body, it may quote them.
      if (status === 400 || status === 401 || status === 403) {
        const code = oauthErrorCode(body);
        throw new ScimUnauthorizedError({
          operation: 'token',
          request,
          status,
          reason: `the token endpoint rejected the client credentials${code ? ` (${code})` : ''}`,
        });
      }
      const err: ScimError = classifyHttpFailure({
        operation: 'token',
        status,
        body: undefined,
        retryAfterMs: parseRetryAfter(retryAfter),
        request,
      });
      throw err;
    }
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new ScimInvalidResponseError({ operation: 'token', request, status, problems: describeIssues(parsed.error) });
    }
    const token = new Secret(parsed.data.access_token);
    const lifetimeMs = parsed.data.expires_in !== undefined ? parsed.data.expires_in * 1000 : FALLBACK_LIFETIME_MS;
    const early = Math.min(60_000, lifetimeMs * 0.1);
    this.#cached = { token, refreshAt: this.#now() + lifetimeMs - early };
    this.#issued.push(token);
    if (this.#issued.length > 16) this.#issued.shift();
    return token;
  }

  toJSON(): object {
    return { kind: 'oauth-client-credentials', tokenUrl: this.#tokenUrl, clientSecret: '[redacted]' };
  }
  [inspect.custom](): string {
    return `ClientCredentialsTokenSource { tokenUrl: ${this.#tokenUrl}, clientSecret: [redacted] }`;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function oauthErrorCode(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    // Only a short machine code such as invalid_client; anything longer might carry input back.
    if (typeof e === 'string' && /^[a-z_]{1,40}$/.test(e)) return e;
  }
  return undefined;
}

export function networkReason(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: string; code?: string; type?: string };
    if (e.name === 'AbortError' || e.type === 'aborted') return 'timed out';
    if (e.code) return e.code;
    if (e.type) return e.type;
  }
  return 'network error';
}
