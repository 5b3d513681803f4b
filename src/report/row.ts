import type { DriftEntry } from '../domain/drift';
import type { PlannedChange } from '../domain/plan';
import type { Warning } from '../domain/warnings';

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
  /** Why nothing was done: a skip, a defer, a leaver without an account, a user already as HR says. */
  reason?: string;
  warnings?: Warning[];
  /** What went wrong: a failed write, membership or reference, or why HR's record was rejected. */
  error?: string;
}

/**
 * The stage of the run a word on a row comes from, in the order the run speaks: the plan pass; the joiners
 * created before any HR page; the apply pass (its writes, and its second plan of what it does not write);
 * the refetch after a version conflict; the memberships at the end; the manager references last.
 */
export const STAGES = ['plan', 'managers-first', 'apply', 'fix', 'groups', 'references'] as const;
export type Stage = (typeof STAGES)[number];

/** A later, partial word on a row: what a group failure or a reference at the end changes. */
export type RowPatch = Partial<ReportRow> & {
  hrId: string;
  /** Drift entries of these fields (from an earlier word on the same employee) are settled now. */
  resolvedFields?: string[];
};

/**
 * A word on a row as the run store keeps it: its stage, and where it is within the stage, which orders
 * two words of one stage on one employee: the part (named by HR page or chunk, zero-padded, so a later
 * read of the same stage names a later part), then the line (an append after the write it amends).
 */
export interface RowWord {
  stage: Stage;
  part: string;
  line: number;
  row: RowPatch;
}

/** The row of a planned change. The "manager waits for the end of the run" warning goes once it no longer waits. */
export function rowOfChange(change: PlannedChange, outcome: string, extra: Partial<ReportRow> = {}): ReportRow {
  const moot = (w: Warning) => change.pendingManagerHrId === undefined && w.code === 'manager-pending';
  return {
    hrId: change.hrId,
    ...(change.userId ? { userId: change.userId } : {}),
    ...(change.desired ? { userName: change.desired.userName } : {}),
    action: change.action,
    outcome,
    changedFields: change.changedFields,
    ...(change.reason ? { reason: change.reason } : {}),
    warnings: change.warnings.filter((w) => !moot(w)),
    ...extra,
  };
}

/** The notes of a row as people read them: what went wrong, why nothing was done, then the warnings. */
export function notesOf(row: Pick<ReportRow, 'error' | 'reason' | 'warnings'>): string[] {
  return [row.error, row.reason, ...(row.warnings ?? []).map((w) => w.text)].filter((n): n is string => Boolean(n));
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

/** The stages whose word on a row is a change's whole word (its plan, or its write); the others amend a row. */
export const CHANGE_STAGES: readonly Stage[] = ['plan', 'managers-first', 'apply', 'fix'];

type Field = Exclude<keyof ReportRow, 'hrId'>;

/** One field's rule: which stages may speak to it, why, and what the row says once one of them has. */
interface FieldRule<F extends Field> {
  by: readonly Stage[];
  why: string;
  /**
   * `prev`: the row so far (earlier stages, or earlier words of the same stage); `w`: the next word; `change`:
   * whether `w` is a change's whole word (see CHANGE_STAGES) rather than an amendment.
   */
  next: (prev: ReportRow, w: RowPatch, change: boolean) => ReportRow[F];
}

/**
 * Who has the last word on each field, and why. A word from a stage a field's rule does not list leaves
 * that field as it was. A quarantine replaces the row whole (see speak).
 */
export const PRECEDENCE: { [F in Field]: FieldRule<F> } = {
  action: {
    by: CHANGE_STAGES,
    why: 'what the run set out to do is the latest plan of the change; a write kept `applied` keeps the action it was applied as',
    next: (prev, w) => (keepsApplied(prev, w) ? prev.action : (w.action ?? prev.action)),
  },
  outcome: {
    by: STAGES,
    why:
      'the latest word, but for two that would hide what the run did: a later `unchanged` (a manager created first, met on its HR page ' +
      'with nothing left to do) never undoes `applied`, and a reference left unset never softens a failure (which the next run must redo)',
    next: (prev, w) => {
      if (w.outcome === undefined || keepsApplied(prev, w)) return prev.outcome;
      return w.outcome === 'pending-reference' && prev.outcome === 'failed' ? prev.outcome : w.outcome;
    },
  },
  userId: {
    by: STAGES,
    why: 'known once written (a joiner has none before); every word that knows it says the same',
    next: (prev, w) => w.userId ?? prev.userId,
  },
  userName: {
    by: CHANGE_STAGES,
    why: 'what HR says it is, or (an orphan) what the target says',
    next: (prev, w) => w.userName ?? prev.userName,
  },
  httpStatus: {
    by: ['managers-first', 'apply', 'fix', 'groups'],
    why: 'the status of the request that settled the outcome; a write kept `applied` keeps its own',
    next: (prev, w) => (keepsApplied(prev, w) ? prev.httpStatus : (w.httpStatus ?? prev.httpStatus)),
  },
  changedFields: {
    by: CHANGE_STAGES,
    why: 'what the latest plan of the change changes; a write kept `applied` keeps what it changed',
    next: (prev, w) => (keepsApplied(prev, w) ? prev.changedFields : w.changedFields),
  },
  drift: {
    by: ['managers-first', 'apply', 'fix', 'references'],
    why: 'the latest measurement (the plan pass measures none); a reference set at the end settles its drift',
    next: (prev, w) => {
      const drift = w.drift ?? prev.drift;
      return w.resolvedFields ? (drift ?? []).filter((d) => !w.resolvedFields?.includes(d.field)) : drift;
    },
  },
  reason: {
    by: CHANGE_STAGES,
    why: "a change's word is whole: a reason it does not give is settled, not forgotten",
    next: (_prev, w) => w.reason,
  },
  warnings: {
    by: [...CHANGE_STAGES, 'references'],
    why:
      "a change's word is whole (its warnings, no more); the references stage settles the plan's manager-pending warning, " +
      'the reference being set or its problem the error',
    next: (prev, w, change) => (change ? w.warnings : prev.warnings?.filter((x) => x.code !== 'manager-pending')),
  },
  error: {
    by: STAGES,
    why: "a change's word says its own error (none, once a conflict is fixed); a membership or a reference that fails later adds its own",
    next: (prev, w, change) => (change ? w.error : [prev.error, w.error].filter(Boolean).join(' | ') || undefined),
  },
};

/** A plan that finds nothing left to do after this run wrote the user says nothing about what the run did. */
function keepsApplied(prev: ReportRow, w: RowPatch): boolean {
  return prev.outcome === 'applied' && w.outcome === 'unchanged';
}

const FIELDS = Object.keys(PRECEDENCE) as Field[];

const position = (w: Pick<RowWord, 'stage' | 'part' | 'line'>): [number, string, number] => [STAGES.indexOf(w.stage), w.part, w.line];

/** The order of the run's words (and of the rows, by each one's first word): stage, then part, then line. */
export function earlier(a: Pick<RowWord, 'stage' | 'part' | 'line'>, b: Pick<RowWord, 'stage' | 'part' | 'line'>): number {
  const [x, y] = [position(a), position(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/**
 * The row once `word` is said, field by field as PRECEDENCE says. Only a change's word starts a row; a
 * quarantine says nothing about the user, so nothing an earlier read planned survives it.
 */
export function speak(prev: ReportRow | undefined, word: Pick<RowWord, 'stage' | 'row'>): ReportRow | undefined {
  const change = CHANGE_STAGES.includes(word.stage) && word.row.action !== undefined && word.row.outcome !== undefined;
  if (change && (!prev || word.row.action === 'quarantine')) {
    const { resolvedFields: _settled, ...row } = word.row;
    return row as ReportRow;
  }
  if (!prev) return undefined;
  const next: ReportRow = { hrId: prev.hrId, action: prev.action, outcome: prev.outcome };
  for (const f of FIELDS) {
    const rule = PRECEDENCE[f] as FieldRule<typeof f>;
    const v = rule.by.includes(word.stage) ? rule.next(prev, word.row, change) : prev[f];
    if (v !== undefined) (next as unknown as Record<Field, unknown>)[f] = v;
  }
  return next;
}

/** A folded row, its key (see rowKey) and its first word, which places it among the rows. */
export interface FoldedRow {
  key: string;
  row: ReportRow;
  first: RowWord;
}

/**
 * Folds a run's words into one row per employee, in stage order (see STAGES and RowWord), whatever order
 * they are read in; rows come in the order of each one's first word. A row needs a change's word to start
 * it: amendments to no row are dropped.
 */
export function foldWords(words: Iterable<RowWord>): FoldedRow[] {
  const byKey = new Map<string, RowWord[]>();
  for (const w of words) {
    const key = rowKey(w.row);
    const list = byKey.get(key);
    if (list) list.push(w);
    else byKey.set(key, [w]);
  }
  const lists = [...byKey].map(([key, list]) => [key, list.sort(earlier)] as const).sort(([, a], [, b]) => earlier(a[0], b[0]));
  const rows: FoldedRow[] = [];
  for (const [key, list] of lists) {
    let row: ReportRow | undefined;
    for (const w of list) row = speak(row, w);
    if (row) rows.push({ key, row, first: list[0] });
  }
  return rows;
}

/** foldWords, by row key. */
export function foldRows(words: Iterable<RowWord>): Map<string, ReportRow> {
  return new Map(foldWords(words).map((f) => [f.key, f.row]));
}
