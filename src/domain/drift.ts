import type { User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import { compareAttributes, type DiffContext } from './attributes';
import { diffGroups } from './groups';
import { managedGroupNames } from './mapping/config';
import type { DesiredUser } from './mapping/map';

export interface DriftEntry {
  field: string;
  /** `''` when the attribute should be absent. */
  expected: string;
  /** `''` when the user doesn't have it. */
  actual: string;
}

export interface DriftContext extends DiffContext {
  /** To measure group membership drift; without it groups aren't compared. */
  groupIdsByName?: Readonly<Record<string, string>>;
}

/**
 * Where a user still differs from what HR says, by the same rules as the diff: run it on the user a write
 * returned (or the one that needed no write) and the report needs no extra GET. A manager whose user
 * couldn't be resolved shows as drift when `desired.managerHrId` names one and `ctx.managerUserId` is unknown.
 */
export function measureDrift(desired: DesiredUser, actual: User | null, ctx: DriftContext): DriftEntry[] {
  if (actual === null) {
    return desired.active && desired.lifecycle !== 'pending-hire' ? [{ field: 'account', expected: 'exists', actual: '' }] : [];
  }
  // A leaver's account only has to be inactive: its other attributes are deliberately left alone.
  const out: DriftEntry[] = compareAttributes(desired, actual, ctx)
    .filter((c) => c.differs && (desired.active || c.field === 'active'))
    .map((c) => ({ field: c.field, expected: show(c.expected), actual: show(c.actual) }));

  const managed = ctx.config.managedAttributes;
  if (desired.active && managed.includes('manager') && typeof desired.managerHrId === 'string' && ctx.managerUserId === undefined) {
    out.push({
      field: 'manager',
      expected: `unresolved (HR id ${desired.managerHrId})`,
      actual: actual[URN.enterpriseUser]?.manager?.value ?? '',
    });
  }
  if (managed.includes('groups') && desired.groups !== undefined && desired.active && ctx.groupIdsByName !== undefined) {
    const g = diffGroups(desired.groups, actual.groups, ctx.groupIdsByName, managedGroupNames(ctx.config));
    if (g.add.length + g.remove.length + g.unresolved.length > 0) {
      out.push({
        field: 'groups',
        expected: [...desired.groups].sort().join('; '),
        actual: (actual.groups ?? []).map((x) => x.display ?? x.value).sort().join('; '),
      });
    }
  }
  return out;
}

function show(v: string | boolean | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}
