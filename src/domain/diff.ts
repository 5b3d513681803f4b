import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser, User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import type { EnterpriseUser } from '../scim/model/schemas/enterpriseuser';
import { addMappedToNewUser, compareAttributes, ENTERPRISE, type DiffContext } from './attributes';
import type { ManagedAttribute } from './mapping/config';
import type { DesiredUser } from './mapping/map';
import { profileKnows } from './profile';
import { sameUrn } from './resourcetypes';

export type { DiffContext } from './attributes';
export { managerOperations, MANAGER_PATH, DEACTIVATE, isDeactivation } from './attributes';

/** An empty user: diffing against it yields every managed attribute the desired user has. */
const NO_USER: User = { id: '', userName: '' };

/**
 * The PATCH operations that bring `current` to `desired`: only managed attributes the desired user
 * says something about, only where they differ. Unchanged: `[]`.
 */
export function diffUser(desired: DesiredUser, current: User | null, ctx: DiffContext): PatchOperation[] {
  return changedAttributes(desired, current, ctx).flatMap((c) => c.operations);
}

/** Like `diffUser`, with the field each group of operations changes (for `changedFields` and the report). */
export function changedAttributes(
  desired: DesiredUser,
  current: User | null,
  ctx: DiffContext,
): { field: string; operations: PatchOperation[] }[] {
  return compareAttributes(desired, current ?? NO_USER, ctx)
    .filter((c) => c.differs)
    .map((c) => ({ field: c.field, operations: c.operations() }));
}

/**
 * The POST body for a user that doesn't exist yet. userName, displayName and externalId are always sent
 * (userName and displayName are required; externalId links the user to HR from now on); the rest only
 * when managed. A manager is included only when `ctx.managerUserId` is known.
 */
export function toNewUser(desired: DesiredUser, ctx: DiffContext): NewUser {
  const managed = (a: ManagedAttribute) => ctx.config.managedAttributes.includes(a) && profileKnows(ctx.profile, a);
  const user: NewUser = {
    schemas: [URN.user],
    userName: desired.userName,
    externalId: desired.externalId,
    displayName: desired.displayName,
  };
  if (managed('active')) user.active = desired.active;
  if (managed('title') && desired.title) user.title = desired.title;
  if (managed('email')) user.emails = [{ type: ctx.config.emailType, value: desired.workEmail, primary: true }];
  if (managed('phone') && desired.workPhone) user.phoneNumbers = [{ type: ctx.config.phoneType, value: desired.workPhone }];
  if (managed('name') && (desired.givenName || desired.familyName)) {
    user.name = {};
    if (desired.givenName) user.name.givenName = desired.givenName;
    if (desired.familyName) user.name.familyName = desired.familyName;
  }

  const enterprise: EnterpriseUser = {};
  if (managed('department') && desired.department) enterprise.department = desired.department;
  if (managed('employeeNumber') && desired.employeeNumber) enterprise.employeeNumber = desired.employeeNumber;
  if (managed('division') && desired.division) enterprise.division = desired.division;
  if (managed('dateHire') && desired.dateHire) enterprise.dateHire = desired.dateHire;
  if (managed('manager') && typeof desired.managerHrId === 'string' && typeof ctx.managerUserId === 'string') {
    enterprise.manager = { value: ctx.managerUserId };
  }
  if (Object.keys(enterprise).length > 0) {
    user[ENTERPRISE] = enterprise;
    user.schemas = [URN.user, ENTERPRISE];
  }
  addMappedToNewUser(user, desired, ctx.config);
  for (const urn of ctx.requiredExtensions ?? []) withExtension(user, urn);
  return user;
}

/**
 * The body with extension `urn` in `schemas` and as an object, empty when the mapping wrote nothing into it:
 * RFC 7643 §6's "MUST include this schema extension", which a target may check by either. The spelling the body
 * already uses wins (URNs compare without case, see sameUrn).
 */
function withExtension(user: NewUser, urn: string): void {
  const body = user as Record<string, unknown>;
  const key = Object.keys(body).find((k) => sameUrn(k, urn)) ?? urn;
  if (body[key] === undefined || body[key] === null) body[key] = {};
  const schemas = user.schemas ?? [URN.user];
  user.schemas = schemas.some((s) => sameUrn(s, key)) ? schemas : [...schemas, key];
}
