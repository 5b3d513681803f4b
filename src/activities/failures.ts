import { ApplicationFailure } from '@temporalio/activity';
import { HrError } from '../hr/errors';
import { ScimError } from '../scim/errors';
import { RunStateMissingError } from '../staging/runstore';

/**
 * Turns a classified SCIM or HR error into the failure Temporal's retry policy acts on: its `type` is
 * the error kind (the workflow lists the permanent kinds as non-retryable), a 429 carries the server's
 * Retry-After as nextRetryDelay, and the message is the error's own (which never holds a secret).
 */
export function toFailure(err: unknown): unknown {
  if (err instanceof ScimError || err instanceof HrError) {
    const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs;
    return ApplicationFailure.create({
      type: err.kind,
      message: err.message,
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

/** Runs an activity body, converting classified errors on the way out. */
export async function classified<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toFailure(err);
  }
}

/** Errors that only this user suffers: report them on the user's row and go on with the rest. */
export function isPerUserFailure(err: unknown): err is ScimError {
  return err instanceof ScimError && !err.retryable && err.kind !== 'version-conflict' && err.kind !== 'unauthorized';
}
