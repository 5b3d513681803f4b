import { chunk } from '../chunk';
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
