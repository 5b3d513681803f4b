import type { SecretLike } from '../secret';
import { ClientCredentialsTokenSource, StaticBearerToken, type AccessTokenSource } from './auth';
import { ScimClient } from './client';
import { ScimHttp } from './http';
import { Pacer, budgetPerMinute, type RateBudget } from './pacer';
import { genesysEndpoints, genesysProfile, scim2Profile, type TargetProfile } from './profile';

interface CommonOptions {
  /** Requests per minute per token. Undefined: the profile default (Genesys 300, scim2 none); null or 0: no pacing. */
  rateLimitPerMinute?: number | null;
  /** A budget over any window; wins over rateLimitPerMinute (tests, unusual targets). */
  rateLimit?: RateBudget | null;
  timeoutMs?: number;
  /** A 429 with a Retry-After up to this is waited out once inside the client (default 2000 ms; 0 = never). */
  maxInClientRetryAfterMs?: number;
  /** A server-imposed pause longer than this surfaces as ScimRateLimitedError instead of being slept through (default 10 s). */
  maxServerWaitMs?: number;
  /** Pause when the target's `inin-ratelimit-*` headers show its window almost spent (default true). */
  adaptToRateLimitHeaders?: boolean;
  /** A response body larger than this fails its request (default 64 MiB). */
  maxResponseBytes?: number;
  /** A longer Retry-After fails the request instead of being waited out (default 15 minutes). */
  maxRetryAfterMs?: number;
  /** Times a GET that met a 5xx, a timeout or a dropped connection is sent again in place (default 3). */
  readRetries?: number;
  userAgent?: string;
  /** Member values per group PATCH request (default 100; Genesys documents no limit). */
  membersPerPatch?: number;
}

export interface GenesysClientOptions extends CommonOptions {
  profile?: 'genesys';
  /** The config module's spelling of `profile`. */
  kind?: 'genesys';
  /** A region name (us-east-1) or a domain (mypurecloud.com). Default us-east-1 when no apiUrl is set. */
  region?: string;
  /** API host (https://api.<domain>); the SCIM path is appended unless already there. */
  apiUrl?: string;
  /** Login host (https://login.<domain>); the token is at /oauth/token. */
  loginUrl?: string;
  clientId: SecretLike;
  clientSecret: SecretLike;
}

export interface Scim2ClientOptions extends CommonOptions {
  profile?: 'scim2';
  kind?: 'scim2';
  /** The SCIM base URL: resource paths (/Users, /Groups, /Bulk) are appended to it. */
  baseUrl: string;
  bearerToken?: SecretLike;
  tokenUrl?: string;
  clientId?: SecretLike;
  clientSecret?: SecretLike;
}

export type ScimClientOptions = GenesysClientOptions | Scim2ClientOptions;

function isScim2(options: ScimClientOptions): options is Scim2ClientOptions {
  return (options.profile ?? options.kind) === 'scim2';
}

/** Builds a client from plain data (secrets as strings or as `{ reveal() }`). */
export function createScimClient(options: ScimClientOptions): ScimClient {
  let profile: TargetProfile;
  let auth: AccessTokenSource;
  if (isScim2(options)) {
    profile = scim2Profile(options.baseUrl);
    if (options.tokenUrl && options.clientId && options.clientSecret) {
      auth = new ClientCredentialsTokenSource({
        tokenUrl: options.tokenUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        timeoutMs: options.timeoutMs,
      });
    } else if (options.bearerToken) {
      auth = new StaticBearerToken(options.bearerToken);
    } else {
      throw new Error('scim2 profile: set bearerToken, or tokenUrl with clientId and clientSecret');
    }
  } else {
    const endpoints = genesysEndpoints(options);
    profile = genesysProfile(endpoints.scimBaseUrl);
    auth = new ClientCredentialsTokenSource({
      tokenUrl: endpoints.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      timeoutMs: options.timeoutMs,
    });
  }
  const budget =
    options.rateLimit !== undefined
      ? options.rateLimit
      : budgetPerMinute(options.rateLimitPerMinute === undefined ? profile.defaultRateLimitPerMinute : options.rateLimitPerMinute);
  const pacer = new Pacer({ budget, maxServerWaitMs: options.maxServerWaitMs, adaptive: options.adaptToRateLimitHeaders });
  const http = new ScimHttp({
    baseUrl: profile.baseUrl,
    auth,
    pacer,
    timeoutMs: options.timeoutMs,
    maxInClientRetryAfterMs: options.maxInClientRetryAfterMs,
    maxResponseBytes: options.maxResponseBytes,
    maxRetryAfterMs: options.maxRetryAfterMs,
    readRetries: options.readRetries,
    userAgent: options.userAgent,
  });
  return new ScimClient({ profile, http, auth, pacer, ...(options.membersPerPatch ? { membersPerPatch: options.membersPerPatch } : {}) });
}
