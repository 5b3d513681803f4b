import { chunk } from '../chunk';
import type { PatchOperation } from '../scim/model/messages/patchop';
import type { User } from '../scim/model/resources/user';
import { DEACTIVATE, diffUser, type DiffContext } from './diff';
import type { PlannedChange } from './plan';

/**
 * The target calls writing these changes takes, chunk by chunk: one /Bulk request per chunk, or one
 * write per change; and a PATCH per manager reference left for the end of the run. A manager on the same
 * page is created first and named in the write itself, and so is one on an earlier page; only one on a
 * later page costs the PATCH at the end. Which of the other pages holds the manager is not known yet, so
 * half of those count: what pages in no particular order give. Group memberships go at the end of the
 * run, per group in batches: see membershipCalls.
 */
export function writeCalls(changes: readonly PlannedChange[], size: number, bulk: boolean): number {
  const onPage = new Set(changes.map((c) => c.hrId));
  let calls = 0;
  for (const part of chunk(changes, size)) calls += bulk ? 1 : part.length;
  const elsewhere = changes.filter((c) => c.pendingManagerHrId !== undefined && !onPage.has(c.pendingManagerHrId)).length;
  return calls + Math.round(elsewhere / 2);
}

/** Members to add or remove, per group, that these changes need. */
export function groupMembers(changes: readonly PlannedChange[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of changes) for (const g of [...c.groupChanges.add, ...c.groupChanges.remove]) out[g] = (out[g] ?? 0) + 1;
  return out;
}

/** The group PATCHes the run's memberships take: per group, one per batch. */
export function membershipCalls(members: Readonly<Record<string, number>>, batch: number): number {
  return Object.values(members).reduce((n, m) => n + Math.ceil(m / Math.max(1, batch)), 0);
}

/**
 * A change whose write met a newer version, planned again against the user as it is now: what still
 * differs from the desired user, or, for a change without one (an orphan's deactivation), `active: false`
 * unless someone deactivated the user meanwhile. Nothing left: the concurrent edit already did it.
 */
export function replanAfterConflict(change: Pick<PlannedChange, 'desired'>, current: User, ctx: DiffContext): PatchOperation[] {
  if (change.desired) return diffUser(change.desired, current, ctx);
  return current.active !== false ? [DEACTIVATE] : [];
}

/**
 * What a chunk whose retries are spent reports of one of its users, from the row its writes recorded
 * before (if any); nobody is dropped. Not written: failed. Met a conflict: still owed its refetch, which
 * the workflow settles like any other. Anything else stands as recorded: a written user's memberships
 * (and those of one whose every attribute was refused) are recorded for the end of the run then, as
 * after a chunk that landed, so a group failure there fails the row.
 */
export type SpentChunkVerdict = { kind: 'failed'; why: 'not written' } | { kind: 'conflict' } | { kind: 'as-recorded'; outcome: string };

export function afterRetriesSpent(prior: { outcome: string } | undefined): SpentChunkVerdict {
  if (!prior) return { kind: 'failed', why: 'not written' };
  if (prior.outcome === 'conflict') return { kind: 'conflict' };
  return { kind: 'as-recorded', outcome: prior.outcome };
}
