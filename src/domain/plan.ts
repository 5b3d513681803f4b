import type { Employee } from '../hr/employee';
import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser, User } from '../scim/model/resources/user';
import type { DiffContext } from './attributes';
import { changedAttributes, toNewUser } from './diff';
import { diffGroups, type GroupChanges } from './groups';
import { managedGroupNames, type ManagedAttribute, type MappingConfig, type MatchKey } from './mapping/config';
import { mapEmployee, type DesiredUser, type Lifecycle, type MappingResult } from './mapping/map';
import { matchEmployees, ownershipProblem } from './matching';
import type { TargetProfile } from './profile';
import { resolveManagerRef } from './manager-ref';
import { warnings as warn, type Warning } from './warnings';

/**
 * - `create`: POST `newUser`, then add it to `groupChanges.add`.
 * - `update` / `deactivate` / `reactivate`: PATCH `operations` (If-Match `version`), then apply `groupChanges`.
 * - `none`: nothing to write. `defer`: not yet (a future hire; see `notBefore`).
 * - `skip`: left alone because a person must decide (ambiguous or contested match); see `reason`.
 */
export type PlanAction = 'create' | 'update' | 'deactivate' | 'reactivate' | 'none' | 'skip' | 'defer';

const WRITES: ReadonlySet<PlanAction> = new Set(['create', 'update', 'deactivate', 'reactivate']);

/** Does this change write anything? (`none`, `skip` and `defer` don't.) */
export function isActionable(change: Pick<PlannedChange, 'action'>): boolean {
  return WRITES.has(change.action);
}

export interface PlannedChange {
  hrId: string;
  userId?: string;
  /** The user's version when planned: send it as If-Match so a concurrent edit is not trampled. */
  version?: string;
  action: PlanAction;
  lifecycle: Lifecycle;
  matchedBy?: MatchKey;
  /** PATCH operations. May be empty for an `update` whose only change is a pending manager reference. */
  operations: PatchOperation[];
  newUser?: NewUser;
  groupChanges: GroupChanges;
  /** Attribute names that change (`groups` and `manager` included), for the report. */
  changedFields: string[];
  managerHrId?: string | null;
  /**
   * The manager's HR id when their user id isn't known yet (created earlier in this run, or later in it).
   * Resolve it with `resolvePendingManager` once the manager exists; if it never does, report it.
   */
  pendingManagerHrId?: string;
  /** The HR record's `updated_at`: a manager reference left unset holds the next watermark back to it. */
  updatedAt?: string;
  /** What the user should look like: the report measures drift against it after the run. */
  desired?: DesiredUser;
  warnings: Warning[];
  reason?: string;
  /** For `defer`: the first day the change can be made. */
  notBefore?: string;
}

export interface PlanContext {
  profile: TargetProfile;
  /** YYYY-MM-DD. */
  today: string;
  /** User ids of people outside this batch (managers, mostly), by HR id. A batch adds its own matches. */
  userIdsByHrId?: Readonly<Record<string, string>>;
  /** Group displayName -> id on the target. Without it, group memberships are not planned. */
  groupIdsByName?: Readonly<Record<string, string>>;
  /** Extensions every create carries (see requiredExtensions). */
  requiredExtensions?: readonly string[];
}

export interface PlanUserContext extends PlanContext {
  /** HR ids being created in this run: a manager among them is expected to appear, so no warning. */
  creatingHrIds?: readonly string[];
  matchedBy?: MatchKey;
}

/** Plans one employee against their (already matched) user, or `null` when they have none. */
export function planUser(employee: Employee, user: User | null, config: MappingConfig, ctx: PlanUserContext): PlannedChange {
  const mapped = mapEmployee(employee, config, ctx);
  if (mapped.quarantine) {
    return { hrId: employee.id, action: 'skip', lifecycle: mapped.desired.lifecycle, operations: [], groupChanges: { add: [], remove: [] }, changedFields: [], warnings: [], reason: mapped.quarantine };
  }
  return planMapped(mapped, user, config, ctx, new Set(ctx.creatingHrIds ?? []));
}

/**
 * Plans a batch: matches employees to `users` (the candidates the resolve step found, inactive ones included),
 * then plans each. Ambiguous and contested matches become `skip`. The output follows the input order,
 * one change per HR id (a repeated HR id: the later record wins).
 */
export function planBatch(
  employees: readonly Employee[],
  users: readonly User[],
  config: MappingConfig,
  ctx: PlanContext,
): PlannedChange[] {
  const match = matchEmployees(employees, users, config.matchPrecedence);
  const usersById = new Map(users.map((u) => [u.id, u]));
  const latest = new Map<string, Employee>();
  for (const e of employees) latest.set(e.id, e);

  const mapped = new Map<string, MappingResult>();
  for (const [hrId, e] of latest) mapped.set(hrId, mapEmployee(e, config, ctx));

  const blocked = new Map<string, string>();
  for (const [hrId, m] of mapped) if (m.quarantine) blocked.set(hrId, m.quarantine);
  for (const a of match.ambiguous) {
    blocked.set(a.hrId, `${a.by} matches ${a.userIds.length} users (${a.userIds.join(', ')}); left alone until someone links the right one`);
  }
  for (const o of match.owned) blocked.set(o.hrId, ownershipProblem(o.hrId, { id: o.userId, externalId: o.owner }, o.by) as string);
  for (const c of match.contested) {
    for (const hrId of c.hrIds) {
      blocked.set(hrId, `user ${c.userId} is matched by HR records ${c.hrIds.join(', ')}; left alone until the duplicates are resolved`);
    }
  }

  const creating = new Set(
    match.unmatched.filter((hrId) => {
      const d = (mapped.get(hrId) as MappingResult).desired;
      return !blocked.has(hrId) && d.active && d.lifecycle !== 'pending-hire';
    }),
  );
  const userIdsByHrId = { ...(ctx.userIdsByHrId ?? {}), ...match.matches };

  const out: PlannedChange[] = [];
  for (const hrId of latest.keys()) {
    const m = mapped.get(hrId) as MappingResult;
    const reason = blocked.get(hrId);
    if (reason !== undefined) {
      out.push({
        hrId,
        action: 'skip',
        lifecycle: m.desired.lifecycle,
        operations: [],
        groupChanges: { add: [], remove: [] },
        changedFields: [],
        warnings: m.warnings.filter((w) => w.message !== reason).map(warn.ofMapping),
        reason,
      });
      continue;
    }
    const userId = match.matches[hrId];
    const user = userId === undefined ? null : (usersById.get(userId) as User);
    out.push(planMapped(m, user, config, { ...ctx, userIdsByHrId, matchedBy: match.matchedBy[hrId] }, creating));
  }
  return out;
}

function planMapped(
  mapping: MappingResult,
  user: User | null,
  config: MappingConfig,
  ctx: PlanUserContext,
  creating: ReadonlySet<string>,
): PlannedChange {
  let desired = mapping.desired;
  const warnings = mapping.warnings.map(warn.ofMapping);
  const managed = (a: ManagedAttribute) => config.managedAttributes.includes(a);
  const base: PlannedChange = {
    hrId: desired.hrId,
    action: 'none',
    lifecycle: desired.lifecycle,
    operations: [],
    groupChanges: { add: [], remove: [] },
    changedFields: [],
    warnings,
  };
  if (user !== null) base.userId = user.id;
  if (user?.meta?.version !== undefined) base.version = user.meta.version;
  if (ctx.matchedBy !== undefined) base.matchedBy = ctx.matchedBy;
  if (desired.managerHrId !== undefined) base.managerHrId = desired.managerHrId;

  const currentlyActive = user !== null && user.active !== false;
  if (desired.lifecycle === 'pending-hire') {
    if (!currentlyActive) {
      return {
        ...base,
        action: 'defer',
        desired,
        reason: `starts on ${desired.dateHire}; the account is provisioned from ${desired.provisionFrom}`,
        notBefore: desired.provisionFrom,
      };
    }
    // Someone provisioned the account early: keep it active rather than undo their work.
    warnings.push(warn.earlyAccount(desired.dateHire));
    desired = { ...desired, active: true };
  }
  base.desired = desired;

  if (user === null && !desired.active) {
    return { ...base, reason: `no account, and ${desired.lifecycle} in HR: nothing to create` };
  }
  if (user !== null && !desired.active && !currentlyActive) {
    // A deactivated account is left as it is: no writes to people who have left.
    return { ...base, reason: `${desired.lifecycle} in HR and already inactive` };
  }

  // The manager: known now, pending (created in this run, or found later), or not managed.
  const diffCtx: DiffContext = { config, profile: ctx.profile, ...(ctx.requiredExtensions?.length ? { requiredExtensions: ctx.requiredExtensions } : {}) };
  let pendingManagerHrId: string | undefined;
  if (managed('manager') && desired.managerHrId === null) diffCtx.managerUserId = null;
  if (managed('manager') && typeof desired.managerHrId === 'string') {
    const managerUserId = resolveManagerRef(desired.managerHrId, ctx.userIdsByHrId ?? {});
    if (managerUserId !== undefined) {
      diffCtx.managerUserId = managerUserId;
    } else if (desired.active) {
      pendingManagerHrId = desired.managerHrId;
      if (!creating.has(desired.managerHrId)) {
        warnings.push(warn.managerPending(desired.managerHrId));
      }
    }
  }

  // Memberships of leavers stay as they were, ready for a rehire.
  let groupChanges: GroupChanges = { add: [], remove: [] };
  if (managed('groups') && desired.groups !== undefined && desired.active && ctx.groupIdsByName !== undefined) {
    const g = diffGroups(desired.groups, user?.groups, ctx.groupIdsByName, managedGroupNames(config));
    groupChanges = { add: g.add, remove: g.remove };
    for (const name of g.unresolved) warnings.push(warn.groupMissing(name));
  }

  const changed = changedAttributes(desired, user, diffCtx);
  const changedFields = changed.map((c) => c.field);
  if (groupChanges.add.length + groupChanges.remove.length > 0) changedFields.push('groups');
  if (pendingManagerHrId !== undefined && !changedFields.includes('manager')) changedFields.push('manager');
  const planned: PlannedChange = { ...base, groupChanges, changedFields };
  if (pendingManagerHrId !== undefined) planned.pendingManagerHrId = pendingManagerHrId;

  if (user === null) {
    return { ...planned, action: 'create', newUser: toNewUser(desired, diffCtx) };
  }
  planned.operations = changed.flatMap((c) => c.operations);
  if (managed('active') && desired.active && !currentlyActive) return { ...planned, action: 'reactivate' };
  if (managed('active') && !desired.active && currentlyActive) return { ...planned, action: 'deactivate' };
  if (changedFields.length > 0) return { ...planned, action: 'update' };
  return { ...planned, action: 'none' };
}
