import { ApplicationFailure } from '@temporalio/activity';
import { HrError } from '../hr/errors';
import { ScimError, ScimForbiddenError, ScimUnauthorizedError } from '../scim/errors';
import { countingCalls } from '../scim/http';
import { RunStateMissingError } from '../staging/runstore';

export type TargetKind = 'genesys' | 'scim2';

/** Where an operator sets the target's credentials, by kind (unknown: both). */
const CREDENTIALS: Record<TargetKind | 'any', { who: string; client: string; token: string }> = {
  genesys: { who: 'Genesys', client: 'GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET', token: 'GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET' },
  scim2: { who: 'The SCIM target', client: 'SCIM_CLIENT_ID / SCIM_CLIENT_SECRET', token: 'SCIM_BEARER_TOKEN (or SCIM_CLIENT_ID / SCIM_CLIENT_SECRET)' },
  any: {
    who: 'The target',
    client: 'GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET (genesys) or SCIM_CLIENT_ID / SCIM_CLIENT_SECRET (scim2)',
    token: 'GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET (genesys) or SCIM_BEARER_TOKEN (scim2)',
  },
};

/**
 * The one place a failure is worded for the operator: what went wrong in their terms and what to check
 * (the setting, the permission), then the technical detail. It is built from the classified error's
 * fields and its own message, which never hold a secret, so neither does this.
 */
export function operatorMessage(err: ScimError | HrError, target?: TargetKind): string {
  const cred = CREDENTIALS[target ?? 'any'];
  const status = err.status !== undefined ? ` [HTTP ${err.status}]` : '';
  if (err instanceof ScimUnauthorizedError) {
    if (err.operation === 'token') {
      const code = /\(([a-z_]+)\)/.exec(err.message)?.[1];
      return `${cred.who} refused the client credentials${code ? ` (${code})` : ''}: check ${cred.client}${status}`;
    }
    return `${cred.who} rejected the access token (${err.operation}), even after fetching a new one: check ${cred.token}${status}`;
  }
  if (err instanceof ScimForbiddenError) {
    const what = err.permission ? `the permission ${err.permission}` : 'a permission this call needs';
    return `${cred.who} refused ${err.operation}: the OAuth client's role lacks ${what} (grant it, or the SCIM Integration role)${status}`;
  }
  if (err instanceof HrError) {
    // node-fetch says "connect ECONNREFUSED 127.0.0.1:8081"; the code alone when no address follows it.
    const refused = /\b(E[A-Z]{3,}) ([\w.-]+:\d+|\[[\da-f:]+\]:\d+)/.exec(err.message) ?? /\b(E[A-Z]{3,})\b/.exec(err.message);
    if (err.status === undefined && refused && err.kind === 'transient') return `HR unreachable: ${refused[1]}${refused[2] ? ` ${refused[2]}` : ''} (check HR_BASE_URL and that the HR API is up)`;
    if (err.status === 401 || err.status === 403) return `HR refused the API token${status}: check HR_API_TOKEN`;
  }
  return err.message;
}

/**
 * Turns a classified SCIM or HR error into the failure Temporal's retry policy acts on: its `type` is
 * the error kind (the workflow lists the permanent kinds as non-retryable), a 429 carries the server's
 * Retry-After as nextRetryDelay, and the message is the operator's wording (`operatorMessage`).
 */
export function toFailure(err: unknown, target?: TargetKind): unknown {
  if (err instanceof ScimError || err instanceof HrError) {
    const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs;
    return ApplicationFailure.create({
      type: err.kind,
      message: operatorMessage(err, target),
      nonRetryable: !err.retryable && err.kind !== 'version-conflict',
      ...(err.kind === 'rate-limited' && retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
    });
  }
  if (err instanceof RunStateMissingError) {
    // No retry brings a missing folder back on this worker, and another attempt may land on it again.
    return ApplicationFailure.create({ type: 'run-state-missing', message: err.message, nonRetryable: true });
  }
  return err;
}

/**
 * Runs an activity body, converting classified errors on the way out (worded for `target`'s kind). The
 * body's target calls are its own to count (see countingCalls), whatever else the worker runs meanwhile.
 */
export async function classified<T>(body: () => Promise<T>, target?: TargetKind): Promise<T> {
  try {
    return await countingCalls(body);
  } catch (err) {
    throw toFailure(err, target);
  }
}

/** File-system errors no retry mends: the report folder itself is wrong, and the operator must fix it. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR']);

/** Writes a report file; a folder that can't take it fails for good, naming the key (a full disk is retried). */
export async function reportWrite<T>(file: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined || !UNWRITABLE.has(code)) throw err;
    throw ApplicationFailure.create({ type: 'report-unwritable', message: `reportDir (env HRSYNC_REPORT_DIR): cannot write ${file} (${code})`, nonRetryable: true });
  }
}

/** Errors that only this user suffers: report them on the user's row and go on with the rest. */
export function isPerUserFailure(err: unknown): err is ScimError {
  return err instanceof ScimError && !err.retryable && err.kind !== 'version-conflict' && err.kind !== 'unauthorized';
}
