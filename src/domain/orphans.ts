import type { User } from '../scim/model/resources/user';
import { DEACTIVATE } from './attributes';
import type { MappingConfig } from './mapping/config';
import type { PlannedChange } from './plan';

/** What a full run's HR pages saw: the HR ids HR sent, and the users those employees resolved to. */
export interface SeenByHr {
  hrIds: { has(hrId: string): boolean };
  userIds: { has(userId: string): boolean };
}

export interface OrphanSlice {
  /** One deactivation per orphan in the slice. */
  changes: PlannedChange[];
  /** The orphans' users, in the changes' order (for the names a person recognises). */
  users: User[];
  /** Where the next slice starts, or null when this one is the last. */
  nextOffset: number | null;
}

/** What deciding who is an orphan needs of a user: a large snapshot is held as little more than this. */
export type OrphanCandidate = Pick<User, 'id' | 'externalId' | 'active'>;

/**
 * A user is an orphan when hrsync manages it (it carries an HR externalId), it is active, and HR no longer
 * sends its employee: neither the HR id nor the user was seen. Hand-made users (no externalId) and
 * inactive ones are never touched. In id order, so the slices of one run never overlap.
 */
export function orphansOf<T extends OrphanCandidate>(users: readonly T[], seen: SeenByHr): T[] {
  return users
    .filter((u) => u.externalId && u.active !== false && !seen.hrIds.has(u.externalId) && !seen.userIds.has(u.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The leaver change for an orphan: deactivated, never deleted, guarded by the version read. */
export function orphanChange(user: User): PlannedChange {
  return {
    hrId: user.externalId as string,
    userId: user.id,
    ...(user.meta?.version ? { version: user.meta.version } : {}),
    action: 'deactivate',
    lifecycle: 'leaver',
    operations: [DEACTIVATE],
    groupChanges: { add: [], remove: [] },
    changedFields: ['active'],
    warnings: [],
    reason: 'HR no longer has this employee',
  };
}

/**
 * The orphans from `offset`, at most `size` of them, as deactivations. Without `active` among the managed
 * attributes nobody is deactivated, so there is nothing to plan. `usersOf` gives the slice's whole users (their
 * versions and names), in the order asked: only the slice is read back from a large snapshot.
 */
export function planOrphanSlice(
  candidates: readonly OrphanCandidate[],
  seen: SeenByHr,
  mapping: Pick<MappingConfig, 'managedAttributes'>,
  page: { offset: number; size: number },
  usersOf: (ids: readonly string[]) => User[],
): OrphanSlice {
  if (!mapping.managedAttributes.includes('active')) return { changes: [], users: [], nextOffset: null };
  const orphans = orphansOf(candidates, seen);
  const slice = usersOf(orphans.slice(page.offset, page.offset + page.size).map((u) => u.id));
  const next = page.offset + page.size;
  return { changes: slice.map(orphanChange), users: slice, nextOffset: next < orphans.length && slice.length > 0 ? next : null };
}
