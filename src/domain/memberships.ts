import { chunk } from '../chunk';
import type { User } from '../scim/model/resources/user';
import type { PlannedChange } from './plan';

/** A group membership a write of the run made necessary, sent at the end of the run (see applyMemberships). */
export interface PendingMembership {
  groupId: string;
  /** `withdrawn`: what the run recorded for the user in this group is not sent (see withdrawnMemberships). */
  op: 'add' | 'remove' | 'withdrawn';
  userId: string;
  hrId: string;
  /** The outcome of the user's write, which a failed membership turns into `failed`. */
  was: string;
  /** The employee's HR `updated_at`: a failed membership holds the watermark before it. */
  updatedAt?: string;
}

export interface MembershipBatch {
  groupId: string;
  add: PendingMembership[];
  remove: PendingMembership[];
}

/**
 * The run's memberships as group PATCHes: per group (in id order), at most `size` members each, adds
 * and removes together. A user recorded twice for one group (HR sent them on two pages, or a chunk
 * was retried) counts once, by the last record: that is the latest plan for them (a withdrawal: none).
 */
export function membershipBatches(entries: Iterable<PendingMembership>, size: number): MembershipBatch[] {
  const byGroup = new Map<string, Map<string, PendingMembership>>();
  for (const e of entries) {
    const members = byGroup.get(e.groupId) ?? new Map<string, PendingMembership>();
    members.delete(e.userId);
    members.set(e.userId, e);
    byGroup.set(e.groupId, members);
  }
  const batches: MembershipBatch[] = [];
  for (const groupId of [...byGroup.keys()].sort()) {
    const members = [...(byGroup.get(groupId) as Map<string, PendingMembership>).values()].filter((m) => m.op !== 'withdrawn');
    if (members.length === 0) continue;
    for (const part of chunk(members, size)) batches.push({ groupId, add: part.filter((m) => m.op === 'add'), remove: part.filter((m) => m.op === 'remove') });
  }
  return batches;
}

/**
 * A user's groups as the run will leave them: as read, with the memberships the run recorded for them so
 * far (sent at the end of the run), in the order recorded. A user met again later in the run is planned
 * against these, so that the memberships of its latest plan, recorded last, have the last word.
 */
export function withPendingMemberships(
  groups: User['groups'],
  pending: readonly Pick<PendingMembership, 'groupId' | 'op'>[],
  nameOf: (groupId: string) => string | undefined,
): User['groups'] {
  if (pending.length === 0) return groups;
  const read = new Map((groups ?? []).map((g) => [g.value, g]));
  const now = new Map(read);
  for (const m of pending) {
    if (m.op === 'withdrawn') {
      const was = read.get(m.groupId);
      if (was) now.set(m.groupId, was);
      else now.delete(m.groupId);
    } else if (m.op === 'remove') now.delete(m.groupId);
    else if (!now.has(m.groupId)) {
      const display = nameOf(m.groupId);
      now.set(m.groupId, { value: m.groupId, ...(display !== undefined ? { display } : {}) });
    }
  }
  return [...now.values()];
}

/**
 * The memberships to withdraw for the users a page meets again (see withPendingMemberships): a leaver's
 * latest plan leaves its groups as they were (ready for a rehire), so what an earlier plan of the run
 * recorded for it, sent at the end of the run, would put someone who has left into a group, or take
 * them out of one. `pending`: the run's records so far, by user id.
 */
export function withdrawnMemberships(
  changes: readonly Pick<PlannedChange, 'hrId' | 'userId' | 'desired' | 'updatedAt'>[],
  pending: ReadonlyMap<string, readonly PendingMembership[]>,
): PendingMembership[] {
  const out: PendingMembership[] = [];
  for (const c of changes) {
    if (c.userId === undefined || c.desired === undefined || c.desired.active) continue;
    const byGroup = new Map<string, PendingMembership>();
    for (const m of pending.get(c.userId) ?? []) byGroup.set(m.groupId, m);
    for (const m of byGroup.values()) {
      if (m.op !== 'withdrawn') out.push({ groupId: m.groupId, op: 'withdrawn', userId: c.userId, hrId: c.hrId, was: m.was, ...(c.updatedAt ? { updatedAt: c.updatedAt } : {}) });
    }
  }
  return out;
}
