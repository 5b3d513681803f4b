import type { DriftEntry } from '../domain/drift';
import type { PlannedChange } from '../domain/plan';

/** One line of the reconciliation report: one employee (or one target user HR no longer has). */
export interface ReportRow {
  hrId: string;
  userId?: string;
  userName?: string;
  /** create | update | deactivate | reactivate | none | skip | defer | quarantine */
  action: string;
  /** planned | applied | unchanged | failed | conflict | pending-reference | deferred | skipped | rejected */
  outcome: string;
  httpStatus?: number;
  changedFields?: string[];
  drift?: DriftEntry[];
  /** Notes joined with " | ": why nothing was done, warnings, or the error of a failed write. */
  error?: string;
  /** Drift entries of these fields (from an earlier row of the same employee) are settled now. */
  resolvedFields?: string[];
}

/** A later, partial word on a row: what a reference fix or a group failure changes. */
export type RowPatch = Partial<ReportRow> & { hrId: string };

/** The planner's note that a manager reference waits for the end of the run; moot once it is set. */
export function isPendingManagerNote(note: string): boolean {
  return /^manager .* has no user in the target yet/.test(note);
}

/**
 * The row of a planned change: its notes (why nothing was done, the planner's warnings) in `error`.
 * The "manager waits for the end of the run" note is dropped once the reference is no longer pending.
 */
export function rowOfChange(change: PlannedChange, outcome: string, extra: Partial<ReportRow> = {}): ReportRow {
  const moot = (n: string) => change.pendingManagerHrId === undefined && isPendingManagerNote(n);
  const notes = [change.reason, ...change.warnings].filter((n): n is string => Boolean(n) && !moot(n as string));
  return {
    hrId: change.hrId,
    ...(change.userId ? { userId: change.userId } : {}),
    ...(change.desired ? { userName: change.desired.userName } : {}),
    action: change.action,
    outcome,
    changedFields: change.changedFields,
    error: notes.join(' | '),
    ...extra,
  };
}

/** Rows of quarantined records that came without an id are named by their place on the page (see quarantineRows). */
const NO_ID = '(no id';

/**
 * One row per employee: a quarantined record with an id shares its employee's row (HR may send it broken
 * on one read of a run and intact on the other; the later read wins). A record without an id has no
 * reliable key, so two of those never collapse into one row.
 */
export function rowKey(row: RowPatch): string {
  return row.action === 'quarantine' && row.hrId.startsWith(NO_ID) ? `quarantine:${row.hrId}:${row.error ?? ''}` : row.hrId;
}

/**
 * Folds the rows of a run into one per employee. Later rows (writes after plans, conflict fixes after
 * writes, references last) override what they say, except that `unchanged` never undoes `applied`; drift
 * they settle is dropped.
 */
export function mergeRows(rows: Iterable<RowPatch>): Map<string, ReportRow> {
  const merged = new Map<string, ReportRow>();
  for (const row of rows) {
    const key = rowKey(row);
    const prev = merged.get(key);
    if (!prev) {
      if (row.action !== undefined && row.outcome !== undefined) merged.set(key, row as ReportRow);
      continue;
    }
    // A quarantine says nothing about the user: it replaces what an earlier read planned, not merges into it.
    const next: ReportRow = row.action === 'quarantine' ? (row as ReportRow) : { ...prev, ...row };
    if (row.resolvedFields) {
      next.drift = [...(prev.drift ?? []).filter((d) => !row.resolvedFields?.includes(d.field)), ...(row.drift ?? [])];
      delete next.resolvedFields;
      if (row.error === undefined) next.error = prev.error;
      if (row.resolvedFields.includes('manager') && next.error) {
        next.error = next.error.split(' | ').filter((n) => !isPendingManagerNote(n)).join(' | ');
      }
    }
    // A user this run wrote stays written when a later plan finds nothing left to do (a manager created before
    // the HR pages, then met on its page): the row says what the run did, with the later drift.
    if (prev.outcome === 'applied' && row.outcome === 'unchanged') {
      next.outcome = 'applied';
      next.action = prev.action;
      if (prev.changedFields !== undefined) next.changedFields = prev.changedFields;
      if (prev.httpStatus !== undefined) next.httpStatus = prev.httpStatus;
    }
    merged.set(key, next);
  }
  return merged;
}
