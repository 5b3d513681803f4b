/**
 * When a run's working folder (`reportDir/.runs/<run>`) may go. A run that ends well removes its own when
 * its report is written; a failed, cancelled or terminated one keeps it, so that a reset of the run in the
 * Web UI resumes where it stopped. Such a folder goes once its run is closed and has been for the kept
 * days, or once Temporal no longer knows the run (past the namespace's retention no reset is possible).
 * A folder whose run is open, or that can't say whose it is, is never removed: a run that still needs its
 * state must never lose it.
 */

/** What Temporal says of the workflow id a folder is for, from its latest execution. */
export type RunExecution =
  | { status: string; firstRunId?: string; closedAt?: Date }
  | 'not-found';

export interface RunFolder {
  /** The token of the run that owns the folder (its first run id); null when the folder has none. */
  token: string | null;
  /** Null when the folder doesn't name its workflow id. */
  execution: RunExecution | null;
  /** The folder's last write. */
  modifiedAt: Date;
}

export interface FolderFate {
  remove: boolean;
  why: string;
}

const DAY_MS = 24 * 3600 * 1000;
const OPEN = new Set(['RUNNING', 'CONTINUED_AS_NEW', 'PAUSED']);

export function runFolderFate(folder: RunFolder, now: Date, keepDays: number): FolderFate {
  const aged = (since: Date) => now.getTime() - since.getTime() >= keepDays * DAY_MS;
  if (folder.token === null || folder.execution === null) return { remove: false, why: 'the folder does not say whose run it is' };
  const ex = folder.execution;
  if (ex === 'not-found') {
    return aged(folder.modifiedAt) ? { remove: true, why: 'Temporal no longer knows the run' } : { remove: false, why: 'Temporal does not know the run yet, and the folder is recent' };
  }
  if (OPEN.has(ex.status)) return { remove: false, why: 'the run is open' };
  // Another chain under the same workflow id: this folder is an earlier run's, closed before that one began.
  const sameChain = !ex.firstRunId || ex.firstRunId === folder.token;
  const closedAt = sameChain && ex.closedAt ? ex.closedAt : folder.modifiedAt;
  return aged(closedAt)
    ? { remove: true, why: `the run closed (${ex.status.toLowerCase()}) more than ${keepDays} day(s) ago` }
    : { remove: false, why: `the run closed (${ex.status.toLowerCase()}) less than ${keepDays} day(s) ago: a reset may still use it` };
}
