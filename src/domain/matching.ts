import type { Employee } from '../hr/employee';
import type { User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import type { MatchKey } from './mapping/config';
import { normaliseEmail } from './normalise';

export interface AmbiguousMatch {
  hrId: string;
  /** The users the key found; the employee is left alone until a person decides. */
  userIds: string[];
  by: MatchKey;
}

export interface ContestedUser {
  userId: string;
  /** The HR records that each matched this one user. */
  hrIds: string[];
}

/** A user found by userName or employeeNumber whose externalId links it to another employee. */
export interface OwnedByAnother {
  hrId: string;
  userId: string;
  by: MatchKey;
  /** The HR id in the user's externalId. */
  owner: string;
}

export interface MatchResult {
  /** HR id -> user id, for employees matched to exactly one user that no other employee claims. */
  matches: Record<string, string>;
  /** HR id -> the key that found the user. */
  matchedBy: Record<string, MatchKey>;
  /** HR ids no key found a user for (joiners). */
  unmatched: string[];
  ambiguous: AmbiguousMatch[];
  contested: ContestedUser[];
  /** Not matched: adopting them would hand one employee's account to another (a recycled email or number). */
  owned: OwnedByAnother[];
}

/**
 * May `hrId` take `user`, found by `by`? A user whose externalId names another HR id belongs to that
 * employee: a recycled email or employee number must not hand over their account (nor reactivate it).
 * The same rule as adopting a user after a create met a taken userName. Returns why not, or undefined.
 */
export function ownershipProblem(hrId: string, user: Pick<User, 'id' | 'externalId'>, by: MatchKey): string | undefined {
  if (by === 'externalId' || !user.externalId || user.externalId === hrId) return undefined;
  return `${by} matches user ${user.id}, whose externalId is another employee's (${user.externalId}): not taken over, a person must decide which employee it is`;
}

/** The employee's value for a key, in the form it is compared in. */
export function employeeKey(employee: Employee, key: MatchKey): string | undefined {
  switch (key) {
    case 'externalId':
      return employee.id;
    case 'employeeNumber':
      return employee.employee_number ?? undefined;
    case 'userName':
      return normaliseEmail(employee.email);
  }
}

/** The user's value for a key: externalId is caseExact (RFC 7643), userName is not. */
export function userKey(user: User, key: MatchKey): string | undefined {
  const raw =
    key === 'externalId'
      ? user.externalId
      : key === 'employeeNumber'
        ? user[URN.enterpriseUser]?.employeeNumber?.trim()
        : normaliseEmail(user.userName);
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * Finds each employee's user: the first key in `precedence` that finds any user decides. Inactive users
 * count, so a rehire gets their old account back. Nothing is guessed: an employee whose key finds two
 * users is `ambiguous`, and a user claimed by two employees is `contested`; neither is in `matches`.
 * When the same HR id appears twice, the later record wins.
 */
export function matchEmployees(
  employees: readonly Employee[],
  users: readonly User[],
  precedence: readonly MatchKey[],
): MatchResult {
  const indexes = new Map<MatchKey, Map<string, string[]>>();
  const seenUsers = new Set<string>();
  for (const key of precedence) indexes.set(key, new Map());
  for (const user of users) {
    if (seenUsers.has(user.id)) continue;
    seenUsers.add(user.id);
    for (const key of precedence) {
      const value = userKey(user, key);
      if (value === undefined) continue;
      const index = indexes.get(key) as Map<string, string[]>;
      index.set(value, [...(index.get(value) ?? []), user.id]);
    }
  }

  const usersById = new Map(users.map((u) => [u.id, u]));
  const byHrId = new Map<string, Employee>();
  for (const e of employees) {
    byHrId.delete(e.id);
    byHrId.set(e.id, e);
  }

  const tentative = new Map<string, { userId: string; by: MatchKey }>();
  const ambiguous: AmbiguousMatch[] = [];
  const owned: OwnedByAnother[] = [];
  const unmatched: string[] = [];
  for (const [hrId, employee] of byHrId) {
    let found = false;
    for (const key of precedence) {
      const value = employeeKey(employee, key);
      if (value === undefined) continue;
      const userIds = indexes.get(key)?.get(value) ?? [];
      if (userIds.length === 0) continue;
      found = true;
      const owner = usersById.get(userIds[0])?.externalId;
      if (userIds.length > 1) ambiguous.push({ hrId, userIds: [...userIds].sort(), by: key });
      else if (ownershipProblem(hrId, { id: userIds[0], externalId: owner }, key)) owned.push({ hrId, userId: userIds[0], by: key, owner: owner as string });
      else tentative.set(hrId, { userId: userIds[0], by: key });
      break;
    }
    if (!found) unmatched.push(hrId);
  }

  const claims = new Map<string, string[]>();
  for (const [hrId, { userId }] of tentative) claims.set(userId, [...(claims.get(userId) ?? []), hrId]);
  const contested: ContestedUser[] = [];
  const matches: Record<string, string> = {};
  const matchedBy: Record<string, MatchKey> = {};
  for (const [userId, hrIds] of claims) {
    if (hrIds.length > 1) {
      contested.push({ userId, hrIds: [...hrIds].sort() });
      continue;
    }
    const hrId = hrIds[0];
    matches[hrId] = userId;
    matchedBy[hrId] = (tentative.get(hrId) as { by: MatchKey }).by;
  }
  return { matches, matchedBy, unmatched, ambiguous, contested, owned };
}
