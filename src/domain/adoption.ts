import type { PatchOperation } from '../scim/model/messages/patchop';
import type { User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import { diffUser, type DiffContext } from './diff';
import { ownershipProblem } from './matching';
import type { PlannedChange } from './plan';

/**
 * A joiner whose POST met an existing user (a retry after a crash, or a race) adopts it rather than make a
 * duplicate. These are the rules for which user, and what to write to it; the activity only looks up and PATCHes.
 */

export type AdoptionKey = 'externalId' | 'userName';

export interface AdoptionLookup {
  by: AdoptionKey;
  value: string;
}

/** What a joiner's change must carry for its adoption to be decided. */
export type Joiner = Pick<PlannedChange, 'hrId' | 'newUser' | 'desired'>;

/** The users each key found; a key not asked (an earlier one found someone) is absent. */
export type FoundByKey = Partial<Record<AdoptionKey, readonly User[]>>;

export type Adoption =
  /** Take this user over, and PATCH it with `operations` (none: it is already as HR says). */
  | { kind: 'adopt'; user: User; by: AdoptionKey; operations: PatchOperation[] }
  /** A user was found that must not be taken over: the uniqueness error stands, with `reason` as its detail. */
  | { kind: 'refuse'; reason: string }
  /** Nobody found: the uniqueness error stands as the target sent it. */
  | { kind: 'not-found' };

/**
 * The lookups to make, in order: the employee's own HR id first (this employee's user, whatever its
 * userName now is), then the userName the POST tried. The first that finds anyone decides, so the
 * later ones need not be asked.
 */
export function adoptionLookups(change: Joiner): AdoptionLookup[] {
  const userName = change.newUser?.userName ?? change.desired?.userName;
  return [{ by: 'externalId', value: change.hrId }, ...(userName ? [{ by: 'userName' as const, value: userName }] : [])];
}

/**
 * Which found user the joiner adopts. Only a user that is this employee's (same externalId) or nobody's
 * (none) is adopted, inactive or not (a rehire's account comes back): one that carries another
 * employee's externalId under the same userName is a clash a person must settle (see ownershipProblem), and
 * so is a key that finds two users.
 * The PATCH sets what the POST would have set, the manager included when the POST named one.
 */
export function decideAdoption(change: Joiner, found: FoundByKey, ctx: Omit<DiffContext, 'managerUserId'>): Adoption {
  for (const { by } of adoptionLookups(change)) {
    const users = found[by] ?? [];
    const [user] = users;
    if (!user) continue;
    // As when matching (and resolving a manager), nothing is guessed.
    if (users.length > 1) {
      const ids = users.map((u) => u.id).sort().join(', ');
      return { kind: 'refuse', reason: `the userName is taken: ${by} matches ${users.length} users (${ids}): not taken over, a person must decide which is this employee's` };
    }
    const problem = ownershipProblem(change.hrId, user, by);
    if (problem) return { kind: 'refuse', reason: `the userName is taken: ${problem}` };
    const managerUserId = change.newUser?.[URN.enterpriseUser]?.manager?.value;
    const diffCtx: DiffContext = { ...ctx, ...(managerUserId !== undefined ? { managerUserId } : {}) };
    return { kind: 'adopt', user, by, operations: change.desired ? diffUser(change.desired, user, diffCtx) : [] };
  }
  return { kind: 'not-found' };
}
