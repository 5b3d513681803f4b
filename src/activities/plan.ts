import { activityInfo, heartbeat } from '@temporalio/activity';
import type { WorkerConfig } from '../config';
import { measureDrift } from '../domain/drift';
import { massChangesOf } from '../domain/gate';
import { isActionable, planBatch, type PlanAction, type PlannedChange } from '../domain/plan';
import { chunkWaves, inApplyOrder, withdrawnReferences } from '../domain/references';
import type { Employee } from '../hr/employee';
import { rowOfChange, type ReportRow } from '../report/row';
import type { ScimClient } from '../scim/client';
import { ScimInvalidRequestError } from '../scim/errors';
import type { User } from '../scim/model/resources/user';
import { assertPagingEnds } from '../scim/paging';
import { URN } from '../scim/model/schemas/urns';
import { pad, pageName, type RunStore, type WrittenUser } from '../staging/runstore';
import type { DeactivationPreview, DeltaResolution, HrPageInput, HrPagePlan, OrphanPage, PagePlan, PageRef, Pass, PlanInput, RejectedHrRecord, RunRef, SyncMode } from '../workflows/contracts';
import { chunk } from '../chunk';
import { groupMembers, writeCalls } from '../domain/writes';
import { withdrawnMemberships, withPendingMemberships, type PendingMembership } from '../domain/memberships';
import type { HrConnector } from '../hr';
import { hrPages } from './hr';
import { planOrphanSlice } from '../domain/orphans';
import type { MappingConfig } from '../domain/mapping/config';
import { warnings } from '../domain/warnings';
import { classified } from './failures';
import { TargetLearning } from './learning';
import { indexCandidates, lookUpCandidates, ManagerDirectory, ReadTargetInstead, UserLookup } from './resolve';
import { managersOutside, pageTerms, readBeforeLookup, readBeforePage, targetReadCost } from '../domain/readonce';
import { SnapshotIndex } from './snapshot';

export interface PlanDeps {
  config: WorkerConfig;
  scim: ScimClient;
  hr: HrConnector;
  store: RunStore;
}

/** A page's plan as planPage makes it: its actionable changes, managers first. */
interface PlannedPage {
  changes: PlannedChange[];
  counts: Partial<Record<PlanAction, number>>;
  deactivations: DeactivationPreview[];
  massChanges?: PagePlan['massChanges'];
  apiCalls: number;
  /** A delta page not planned: reading the target once is cheaper than its lookups (why, for the operator). */
  readTarget?: string;
}

const OUTCOME_OF: Record<PlanAction, string> = {
  create: 'planned',
  update: 'planned',
  deactivate: 'planned',
  reactivate: 'planned',
  none: 'unchanged',
  skip: 'skipped',
  defer: 'deferred',
};
/** Genesys answers pages over 25 with 429 unless the heavy attributes are left out, and we need externalId. */
const SNAPSHOT_PAGE = 25;
const SNAPSHOT_USERS_PER_ACTIVITY = 1000;
const ORPHAN_PAGE = 200;

/** What snapshotTargetPage heartbeats: where a retry resumes (null: read to the end), and the users so far. */
interface SnapshotProgress {
  cursor: string | null;
  users: number;
}


/** What a delta's plan pass learned resolving one HR page: the apply pass plans the page again from it. */
interface PlannedLookups {
  hrIds: string[];
  users: User[];
  notes: [string, string[]][];
  /** Managers outside the page, by HR id: their user id, or null when the lookup found nobody. */
  managers: Record<string, string | null>;
}

/** What `fn` answers, or the ReadTargetInstead it threw: the lookups stopped where reading the target became cheaper. */
async function rented<T>(fn: () => Promise<T>): Promise<T | ReadTargetInstead> {
  return fn().catch((err: unknown) => {
    if (err instanceof ReadTargetInstead) return err;
    throw err;
  });
}

const lookupsOf = (page: number) => `lookups-plan-${pad(page)}`;

/** A target user a page's employees resolved to, in the run's "seen" list (beside HR ids). */
const seenUser = (userId: string) => `user:${userId}`;

/**
 * Per-run caches in this worker; rebuilt from the run store (or the target) on a miss. A worker serves few
 * runs at once, and a run one pass at a time: a run's new pass drops its last one's, and another run under
 * the same workflow id (another token) all of it.
 */
class RunCaches {
  readonly #entries = new Map<string, { token: string; pass: Pass; index?: SnapshotIndex; managers: ManagerDirectory }>();
  constructor(
    private readonly scim: ScimClient,
    private readonly store: RunStore,
  ) {}

  /** `indexed`: the run resolves from its read of the target (a full run, or a delta that read it once). */
  get({ runKey, runToken: token }: RunRef, pass: Pass, indexed: boolean) {
    let entry = this.#entries.get(runKey);
    if (entry && entry.token !== token) entry = undefined;
    // A delta that read the target once on another worker since this entry was made.
    if (entry && indexed && !entry.index) entry = undefined;
    if (entry && entry.pass !== pass) {
      // The target is read once per run, in the plan pass; the apply pass plans against the same read (its
      // writes carry If-Match on the versions read then, so a user changed since meets the conflict path).
      // What the plan pass's directory learned stays the plan's: the apply pass writes users it had not.
      entry = { token, pass, index: entry.index, managers: new ManagerDirectory(this.scim, { index: entry.index }) };
      this.#entries.set(runKey, entry);
    }
    if (!entry) {
      const index = indexed ? new SnapshotIndex(this.store, runKey, 'plan') : undefined;
      entry = { token, pass, index, managers: new ManagerDirectory(this.scim, { index }) };
      this.#entries.delete(runKey);
      this.#entries.set(runKey, entry);
      while (this.#entries.size > 4) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    return entry;
  }

  /** A read of the target starts again: what was indexed of the last one goes. */
  forget(runKey: string): void {
    this.#entries.delete(runKey);
  }
}

const rowOf = rowOfChange;

export function quarantineRows(rejected: readonly RejectedHrRecord[], page: number): ReportRow[] {
  return rejected.map((r, i) => ({
    hrId: r.id ?? `(no id: page ${page + 1}, record ${i + 1})`,
    action: 'quarantine',
    outcome: 'rejected',
    error: r.reason,
  }));
}

function countActions(changes: readonly PlannedChange[]): Partial<Record<PlanAction, number>> {
  const counts: Partial<Record<PlanAction, number>> = {};
  for (const c of changes) counts[c.action] = (counts[c.action] ?? 0) + 1;
  return counts;
}

/** The gate's list of deactivations, with the names a person recognises next to the ids. */
function preview(changes: readonly PlannedChange[], usersById: ReadonlyMap<string, User>): DeactivationPreview[] {
  return changes
    .filter((c) => c.action === 'deactivate')
    .map((c) => {
      const user = c.userId ? usersById.get(c.userId) : undefined;
      return {
        hrId: c.hrId,
        ...(c.userId ? { userId: c.userId } : {}),
        ...(user?.userName ? { userName: user.userName } : {}),
        ...(user?.displayName ? { displayName: user.displayName } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
      };
    });
}

const overlaps = (employees: readonly Employee[], hrIds: ReadonlySet<string>) => employees.some((e) => hrIds.has(e.id));

const nothingPlanned: PagePlan = { counts: {}, deactivations: [], writes: 0, deactivating: 0, chunks: 0, waves: [], callsToMake: 0, groupMembers: {}, apiCalls: 0 };

export function planActivities(deps: PlanDeps) {
  const { config, scim, store } = deps;
  const { readHrPage } = hrPages(deps);
  const caches = new RunCaches(scim, store);
  const profile = config.target.kind;

  /** One page of target users (active, then on Genesys the inactive ones) into the run's snapshot. */
  async function readSnapshotPage(runKey: string, pass: Pass, cursor: string): Promise<{ nextCursor: string | null; users: number }> {
    // which:startIndex[:the total the list's first page announced, which bounds how far it may page]
    const [which, start, announced] = cursor.split(':') as ['active' | 'inactive', string, string | undefined];
    const startIndex = Number(start);
    let page: Awaited<ReturnType<ScimClient['listUsers']>>;
    try {
      page = await scim.listUsers({ startIndex, count: SNAPSHOT_PAGE, ...(which === 'inactive' ? { filter: 'active eq false' } : {}) });
    } catch (err) {
      // A target that can't filter on `active` hides its inactive users from us: said once in the summary, and
      // the snapshot goes on without them (a rehire's POST that meets one is adopted, see apply).
      if (which !== 'inactive' || !(err instanceof ScimInvalidRequestError) || err.status !== 400) throw err;
      const learning = new TargetLearning(store, runKey);
      learning.learnFilter('filter on active', err.detail);
      learning.learnIndexUnavailable('inactive users', err.detail);
      return { nextCursor: null, users: 0 };
    }
    const users = page.Resources;
    store.writeSnapshotPage(runKey, pass, `${which}-${pad(startIndex)}`, users);
    const next = startIndex + users.length;
    const firstTotal = announced === undefined ? page.totalResults : Number(announced);
    if (users.length > 0 && next <= page.totalResults) assertPagingEnds('user.list', 'GET /Users (target snapshot)', next, firstTotal);
    let nextCursor: string | null = users.length > 0 && next <= page.totalResults ? `${which}:${next}:${firstTotal}` : null;
    // A generic SCIM target lists everyone unfiltered; one that lists active users only (Genesys) is read again for the inactive.
    if (nextCursor === null && which === 'active' && scim.profile.unfilteredListIsActiveOnly) nextCursor = 'inactive:1';
    return { nextCursor, users: users.length };
  }

  /**
   * Users whose reads carry no `groups` (a target that leaves them out, or omits an empty list) get their
   * memberships in the managed groups from the groups themselves: each group read once per pass into the
   * run store. Movers then still leave their old groups, and joiners are not added again every run.
   */
  async function withMemberships(runKey: string, users: User[], groupIds: Record<string, string>, mapping: MappingConfig): Promise<User[]> {
    const ids = Object.entries(groupIds);
    if (!mapping.managedAttributes.includes('groups') || ids.length === 0 || users.every((u) => u.groups !== undefined)) return users;
    // Read once per run, in the plan pass, like the users.
    const name = 'members-plan';
    let members = store.index<{ id: string; displayName: string; members: string[] }>(runKey, name);
    if (!members) {
      members = [];
      for (const [displayName, id] of ids) {
        const { group } = await scim.getGroup(id);
        members.push({ id, displayName, members: (group.members ?? []).map((m) => m.value) });
      }
      store.writeIndex(runKey, name, members);
    }
    const byUser = new Map<string, { value: string; display: string }[]>();
    for (const g of members) for (const m of g.members) byUser.set(m, [...(byUser.get(m) ?? []), { value: g.id, display: g.displayName }]);
    return users.map((u) => (u.groups !== undefined ? u : { ...u, groups: byUser.get(u.id) ?? [] }));
  }

  /**
   * The candidates, with the users this run already wrote (HR sent the employee on an earlier page too) as
   * that write left them. The pass's snapshot, or its plan pass's lookups, read them before: planned against
   * that, the second sighting would undo the first write, repeat it, or meet it as a version conflict (and
   * a joiner would look like a second account). A joiner created before any HR page is the user its POST
   * answered; any other is read again, one GET, unless its write left the version that was read (nothing
   * was written). `again`: the user ids of those others, met again, whose memberships the run recorded
   * (see asLeft). Not a joiner created first: it records no memberships (see managersFirst), so there is
   * nothing to read for it; its HR page plans its groups.
   */
  async function asWritten(runKey: string, employees: readonly Employee[], candidates: User[]): Promise<{ users: User[]; again: Set<string> }> {
    const writtenUsers = store.writtenUsers(runKey);
    const again = new Set<string>();
    const fresh = new Map<string, User>();
    for (const e of employees) {
      const userId = writtenUsers.userIdOf(e.id);
      if (!userId || again.has(userId) || fresh.has(userId)) continue;
      const { version, user: answered } = writtenUsers.get(e.id) as WrittenUser;
      if (!answered) again.add(userId);
      const read = candidates.find((u) => u.id === userId);
      if (read && version !== undefined && read.meta?.version === version) continue;
      fresh.set(userId, answered ?? (await scim.getUser(userId)).user);
    }
    return { users: fresh.size === 0 ? candidates : [...candidates.filter((u) => !fresh.has(u.id)), ...fresh.values()], again };
  }

  /**
   * The users met again (see asWritten), with the group memberships the run recorded for them: those go at
   * the end of the run, so no read shows them yet. One read of the run's memberships, only for a page that
   * meets such a user (HR sent them twice, or a conflict fix wrote them): rare, where every page of a large
   * run reading them would cost minutes. `pending`: those records by user id, for what a leaver withdraws.
   */
  function asLeft(runKey: string, users: User[], again: ReadonlySet<string>, groupIds: Record<string, string>): { users: User[]; pending: Map<string, PendingMembership[]> } {
    const pending = new Map<string, PendingMembership[]>();
    if (again.size === 0) return { users, pending };
    for (const m of store.memberships(runKey)) if (again.has(m.userId)) pending.set(m.userId, [...(pending.get(m.userId) ?? []), m]);
    if (pending.size === 0) return { users, pending };
    const names = new Map(Object.entries(groupIds).map(([name, id]) => [id, name]));
    return { users: users.map((u) => (pending.has(u.id) ? { ...u, groups: withPendingMemberships(u.groups, pending.get(u.id) ?? [], (id) => names.get(id)) } : u)), pending };
  }

  const steps = {
    /** Full runs: up to a thousand target users (active, then inactive) into the run's snapshot; the cursor says where to go on. */
    async snapshotTargetPage(input: RunRef & { pass: Pass; cursor: string }): Promise<{ nextCursor: string | null; users: number; apiCalls: number }> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const before = scim.calls();
        if (input.cursor === 'active:1') caches.forget(input.runKey);
        // A retry goes on from the last page stored (its heartbeat), not from the activity's first page again.
        const resumed = activityInfo().heartbeatDetails as SnapshotProgress | undefined;
        let cursor: string | null = resumed ? resumed.cursor : input.cursor;
        let users = resumed?.users ?? 0;
        // Several SCIM pages per activity: a page is only 25 users, and an activity per page would cost
        // more in scheduling than in reading. Each page is stored as it comes, so a retry loses nothing.
        while (cursor !== null && users < SNAPSHOT_USERS_PER_ACTIVITY) {
          const page = await readSnapshotPage(input.runKey, input.pass, cursor);
          users += page.users;
          cursor = page.nextCursor;
          heartbeat({ cursor, users } satisfies SnapshotProgress);
        }
        return { nextCursor: cursor, users, apiCalls: scim.calls() - before };
      }, profile);
    },

    /**
     * The mapping step: resolves each employee's user (inactive ones too), plans the minimal change,
     * orders managers before their reports, and records the plan's rows for the report. Not an activity:
     * planHrPage calls it with the page it read.
     */
    async planPage(input: RunRef & {
      pass: Pass;
      page: number;
      mode: SyncMode;
      today: string;
      groupIds: Record<string, string>;
      employees: Employee[];
      rejected: RejectedHrRecord[];
      duplicates: { id: string; kept_updated_at: string; dropped_updated_at: string }[];
      resolution?: DeltaResolution;
    }): Promise<PlannedPage> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        heartbeat({ page: input.page });
        const before = scim.calls();
        const { index, managers } = caches.get(input, input.pass, input.mode === 'full' || input.resolution?.targetRead === true);
        const learning = new TargetLearning(store, input.runKey);
        const mapping = learning.mapping(config.mapping, profile);
        const lookup = new UserLookup(scim, learning, store, input.runKey);
        managers.lookup = lookup;
        const outside = managersOutside(input.employees);
        const readInstead = (reason: string): PlannedPage => {
          learning.learnReadOnce(reason);
          return { changes: [], counts: {}, deactivations: [], apiCalls: scim.calls() - before, readTarget: reason };
        };
        if (!index && input.pass === 'plan' && input.resolution) {
          // The apply pass asks (nearly) nothing: it plans from the plan pass's lookups, or from its read.
          const { spent } = input.resolution;
          // A target whose filtered lists may hide inactive users (Genesys) lists active users only unfiltered.
          const cost = targetReadCost({ population: input.resolution.population, pageSize: SNAPSHOT_PAGE, inactivePass: scim.profile.unfilteredListIsActiveOnly });
          const terms = pageTerms({ employees: input.employees, matchPrecedence: mapping.matchPrecedence, outside, known: (m) => managers.known(m) !== undefined });
          const first = readBeforePage({ cost, spent, terms, termsPerQuery: lookup.perQuery });
          if (first.read) return readInstead(first.reason);
          // perQuery is read again before each lookup, on purpose: a 414 or a refused `or` changes it mid-page.
          lookup.rentUntil((used) => readBeforeLookup({ cost, spent, used, terms, termsPerQuery: lookup.perQuery }));
        }
        // A delta's apply pass reuses the lookups its plan pass made for the same page (the target is read once
        // per run); only an employee HR did not send then is looked up now.
        const planned = !index && input.pass === 'apply' ? store.index<PlannedLookups>(input.runKey, lookupsOf(input.page))?.[0] : undefined;
        const askedBefore = new Set(planned?.hrIds ?? []);
        const looked = index
          ? indexCandidates(index, input.employees, mapping.matchPrecedence, learning)
          : await rented(() => lookUpCandidates(lookup, input.employees.filter((e) => !askedBefore.has(e.id)), mapping.matchPrecedence));
        if (looked instanceof ReadTargetInstead) return readInstead(looked.reason);
        if (planned) {
          looked.users.push(...planned.users.filter((u) => !looked.users.some((l) => l.id === u.id)));
          for (const [hrId, notes] of planned.notes) if (!looked.notes.has(hrId)) looked.notes.set(hrId, notes);
        }
        const read = input.pass === 'apply' ? await asWritten(input.runKey, input.employees, looked.users) : { users: looked.users, again: new Set<string>() };
        const left = asLeft(input.runKey, await withMemberships(input.runKey, read.users, input.groupIds, mapping), read.again, input.groupIds);
        const candidates = left.users;
        if (input.pass === 'apply') {
          // Managers this pass created on earlier pages are not in the snapshot: the run store knows them.
          const written = store.writtenUsers(input.runKey);
          for (const m of outside) {
            const id = managers.known(m) ? undefined : (written.userIdOf(m) ?? planned?.managers[m] ?? undefined);
            if (id) managers.remember(m, id);
          }
        }
        // A manager the plan pass looked up and missed, and this run has not written since, would only miss again.
        const userIdsByHrId = await rented(() => managers.resolve(outside.filter((m) => planned?.managers[m] !== null)));
        if (userIdsByHrId instanceof ReadTargetInstead) return readInstead(userIdsByHrId.reason);
        if (!index && input.pass === 'plan') {
          const lookups: PlannedLookups = {
            hrIds: input.employees.map((e) => e.id),
            users: looked.users,
            notes: [...looked.notes],
            managers: Object.fromEntries(outside.map((m) => [m, userIdsByHrId[m] ?? null])),
          };
          store.writeIndex(input.runKey, lookupsOf(input.page), [lookups]);
        }
        let changes = planBatch(input.employees, candidates, mapping, {
          profile,
          today: input.today,
          userIdsByHrId,
          groupIdsByName: input.groupIds,
          requiredExtensions: learning.requiredExtensions(),
        });
        changes = changes.map((c) => (looked.notes.has(c.hrId) ? { ...c, warnings: [...c.warnings, ...(looked.notes.get(c.hrId) as string[]).map(warnings.lookupIncomplete)] } : c));
        const updatedAt = new Map(input.employees.map((e) => [e.id, e.updated_at]));
        changes = changes.map((c) => (updatedAt.has(c.hrId) ? { ...c, updatedAt: updatedAt.get(c.hrId) } : c));
        if (input.pass === 'apply') {
          // Named to sort before the page's chunks: what this page's writes record for the end of the run comes after.
          const part = pageName({ read: 'hr', page: input.page });
          const written = store.writtenUsers(input.runKey);
          for (const w of withdrawnReferences(changes, (hrId) => written.userIdOf(hrId))) store.appendReference(input.runKey, part, w);
          const withdrawn = withdrawnMemberships(changes, left.pending);
          if (withdrawn.length > 0) store.writeMemberships(input.runKey, part, withdrawn);
        }
        const dup = new Map(input.duplicates.map((d) => [d.id, d]));
        changes = changes.map((c) =>
          dup.has(c.hrId)
            ? { ...c, warnings: [...c.warnings, warnings.duplicateHrRecord(dup.get(c.hrId)?.kept_updated_at, dup.get(c.hrId)?.dropped_updated_at)] }
            : c,
        );

        const usersById = new Map(candidates.map((u) => [u.id, u]));
        const part = `${input.pass === 'plan' ? '1-plan' : '2-apply'}-hr-${pad(input.page)}-plan`;
        const rows = changes
          .filter((c) => input.pass === 'plan' || !isActionable(c))
          .map((c) => {
            if (input.pass === 'plan' || !c.desired || !c.userId) return rowOf(c, OUTCOME_OF[c.action]);
            const user = usersById.get(c.userId) ?? null;
            const managerUserId = user?.[URN.enterpriseUser]?.manager?.value;
            return rowOf(c, OUTCOME_OF[c.action], {
              drift: measureDrift(c.desired, user, { config: mapping, profile, groupIdsByName: input.groupIds, ...(managerUserId && !c.pendingManagerHrId ? { managerUserId } : {}) }),
            });
          });
        store.writeRows(input.runKey, input.pass, part, [...rows, ...quarantineRows(input.rejected, input.page)]);
        if (input.mode === 'full') {
          // Everyone HR sent (even a quarantined record), and every user they may be: none of them is an orphan,
          // whatever externalId the user carries (another provisioning system may own it).
          const seen = [
            ...input.employees.map((e) => e.id),
            ...input.rejected.map((r) => r.id).filter((id): id is string => id !== null),
            ...candidates.map((u) => seenUser(u.id)),
          ];
          store.writeSeen(input.runKey, input.pass, pad(input.page), seen);
        }
        const actionable = inApplyOrder(changes.filter(isActionable));
        if (input.pass === 'plan') {
          // For the managers the apply pass creates before any HR page (see managersFirst).
          const entries = actionable
            .filter((c) => c.pendingManagerHrId !== undefined || (c.action === 'create' && c.userId === undefined))
            .map((c) => ({
              hrId: c.hrId,
              ...(c.pendingManagerHrId !== undefined ? { managerHrId: c.pendingManagerHrId } : {}),
              ...(c.action === 'create' && c.userId === undefined ? { create: c } : {}),
            }));
          store.writePlanned(input.runKey, pad(input.page), entries);
        }
        return {
          changes: actionable,
          counts: countActions(changes),
          deactivations: preview(actionable, usersById),
          massChanges: massChangesOf(changes),
          apiCalls: scim.calls() - before,
        };
      }, profile);
    },
  };

  /**
   * What the workflow learns of a planned page: counts and the gate's preview. In the apply pass the
   * page's actionable changes are stored in write chunks, which the apply activities read by reference.
   */
  function stored(input: PlanInput, page: PageRef, planned: PlannedPage): PagePlan {
    const chunks = chunk(planned.changes, input.chunkSize);
    if (input.pass === 'apply') store.writePlan(input.runKey, input.pass, page, chunks);
    return {
      counts: planned.counts,
      ...(planned.massChanges ? { massChanges: planned.massChanges } : {}),
      deactivations: planned.deactivations.slice(0, input.previewRoom),
      writes: planned.changes.length,
      deactivating: planned.changes.filter((c) => c.action === 'deactivate').length,
      chunks: chunks.length,
      waves: chunkWaves(chunks),
      callsToMake: writeCalls(planned.changes, input.chunkSize, input.bulk),
      groupMembers: groupMembers(planned.changes),
      apiCalls: planned.apiCalls,
    };
  }

  return {
    snapshotTargetPage: steps.snapshotTargetPage,

    /**
     * One HR page: read (one call, so a long read resumes at its cursor after any failure), planned, and,
     * in the apply pass, its changes stored for the writes. The employees never leave the worker.
     */
    async planHrPage(input: HrPageInput): Promise<HrPagePlan> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        heartbeat({ page: input.page, cursor: input.cursor });
        const page = await readHrPage(input);
        if (input.writing !== undefined && overlaps(page.employees, store.plannedHrIds(input.runKey, input.pass, { read: 'hr', page: input.writing }))) {
          // HR sent someone on both pages (paging moved, or they changed meanwhile): a plan now could miss
          // their write in flight (a second account), so the page is planned once that write has landed.
          return { ...nothingPlanned, employees: page.employees.length, rejected: page.rejected.length, nextCursor: page.nextCursor, highWaterMark: page.highWaterMark, apiCalls: 1, planAgain: true };
        }
        const planned = await steps.planPage({ ...input, employees: page.employees, rejected: page.rejected, duplicates: page.duplicates });
        return {
          ...stored(input, { read: 'hr', page: input.page }, planned),
          ...(planned.readTarget ? { readTarget: planned.readTarget } : {}),
          lookupCalls: planned.apiCalls,
          employees: page.employees.length,
          rejected: page.rejected.length,
          nextCursor: page.nextCursor,
          highWaterMark: page.highWaterMark,
          apiCalls: planned.apiCalls + 1,
        };
      }, profile);
    },

    /** Full runs: active users hrsync manages (they carry an HR externalId) that HR no longer sends. */
    async planOrphans(input: PlanInput & { offset: number }): Promise<OrphanPage> {
      return classified(async () => {
      store.check(input.runKey, input.runToken);
      const { index } = caches.get(input, input.pass, true);
      const seen = store.seen(input.runKey, input.pass);
      const mapping = new TargetLearning(store, input.runKey).mapping(config.mapping, profile);
      // The snapshot index holds each user's keys only; the slice's users are read back from the snapshot.
      const { changes, users: slice, nextOffset } = planOrphanSlice(
        index?.managedActive() ?? [],
        { hrIds: seen, userIds: { has: (id) => seen.has(seenUser(id)) } },
        mapping,
        { offset: input.offset, size: ORPHAN_PAGE },
        (ids) => index?.usersOf(ids) ?? [],
      );
      if (input.pass === 'plan') {
        const rows = changes.map((c, i) => ({ ...rowOf(c, 'planned'), userName: slice[i].userName }));
        store.writeRows(input.runKey, 'plan', `1-plan-orphans-${pad(input.offset)}`, rows);
      }
      const planned = { changes, counts: changes.length ? { deactivate: changes.length } : {}, deactivations: preview(changes, new Map(slice.map((u) => [u.id, u]))), apiCalls: 0 };
      return { ...stored(input, { read: 'orphans', offset: input.offset }, planned), nextOffset };
      }, profile);
    },
  };
}
