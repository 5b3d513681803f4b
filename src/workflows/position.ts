import type { Pass, SyncMode } from './contracts';

/** What a pass over the data reads, in order: the target's users (full mode), HR, then users HR no longer has (full mode). */
export type Read = 'snapshot' | 'managers' | 'hr' | 'orphans';

/**
 * Where the run is: the one word for it. A pass (`plan`, then `apply` after the gate) reads in order the
 * target snapshot (the plan pass, in full mode, from `cursor`), the managers to create first (the apply pass,
 * from `offset`), HR (from `cursor`; `page` counts the pages read, and a null cursor on page 0
 * is the first page) and the users HR no longer has (from `offset`). A read's last page moves the run on at
 * once, so no cursor ever means "done", and a run that continues as new there goes on to the next read.
 * A delta that reads the target once (see domain/readonce) reads the snapshot between two HR pages: `back`
 * is the HR page it goes back to when the snapshot is read.
 */
export type Position =
  | { stage: Pass; read: 'snapshot'; cursor: string; back?: { cursor: string | null; page: number } }
  | { stage: 'apply'; read: 'managers'; offset: number }
  | { stage: Pass; read: 'hr'; cursor: string | null; page: number }
  | { stage: Pass; read: 'orphans'; offset: number }
  | { stage: 'gate' }
  | { stage: 'memberships' }
  | { stage: 'references' }
  | { stage: 'report' };

export type Reading = Extract<Position, { read: Read }>;

/** Where the target snapshot starts: the active users, then the inactive ones (see the SCIM client's cursor). */
export const SNAPSHOT_START = 'active:1';

/**
 * The first read of a pass. The target is read once per run, by the plan pass; the apply pass plans against
 * that read, and starts with the joiners who manage someone (see managersFirst), so their reports name them.
 */
export function startOf(stage: Pass, mode: SyncMode): Reading {
  if (stage === 'apply') return { stage, read: 'managers', offset: 0 };
  return mode === 'full' ? { stage, read: 'snapshot', cursor: SNAPSHOT_START } : { stage, read: 'hr', cursor: null, page: 0 };
}

/** Where the run goes once the current read (or stage) is finished. */
export function next(position: Position, mode: SyncMode): Position {
  switch (position.stage) {
    case 'plan':
    case 'apply': {
      if (position.read === 'snapshot' && position.back) return { stage: position.stage, read: 'hr', ...position.back };
      if (position.read === 'snapshot' || position.read === 'managers') return { stage: position.stage, read: 'hr', cursor: null, page: 0 };
      if (position.read === 'hr' && mode === 'full') return { stage: position.stage, read: 'orphans', offset: 0 };
      return position.stage === 'plan' ? { stage: 'gate' } : { stage: 'memberships' };
    }
    case 'gate':
      return startOf('apply', mode);
    case 'memberships':
      return { stage: 'references' };
    case 'references':
    case 'report':
      return { stage: 'report' };
  }
}

/**
 * Where the run goes after one page of its current read: on within the read, or, when the page was the
 * last (`more` is null), to what `next` says.
 */
export function advance(position: Reading, more: string | number | null, mode: SyncMode): Position {
  if (more === null) return next(position, mode);
  switch (position.read) {
    case 'snapshot':
      return { ...position, cursor: String(more) };
    case 'hr':
      return { ...position, cursor: String(more), page: position.page + 1 };
    case 'managers':
    case 'orphans':
      return { ...position, offset: Number(more) };
  }
}

/** A delta's HR page found reading the target cheaper than its lookups: read it, then plan the page again. */
export function readTargetFirst(at: Extract<Reading, { read: 'hr' }>): Reading {
  return { stage: at.stage, read: 'snapshot', cursor: SNAPSHOT_START, back: { cursor: at.cursor, page: at.page } };
}

export function isReading(position: Position): position is Reading {
  return 'read' in position;
}
