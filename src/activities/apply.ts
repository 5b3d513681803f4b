import { activityInfo, heartbeat } from '@temporalio/activity';
import type { WorkerConfig } from '../config';
import { managerOperations, type DiffContext } from '../domain/diff';
import type { MappingConfig } from '../domain/mapping/config';
import { measureDrift, type DriftEntry } from '../domain/drift';
import { adoptionLookups, decideAdoption, type FoundByKey } from '../domain/adoption';
import type { PlannedChange } from '../domain/plan';
import type { Warning } from '../domain/warnings';
import { managersFirst, resolvePendingManager, writeWaves } from '../domain/references';
import { rowOfChange, type ReportRow, type RowPatch, type Stage } from '../report/row';
import { bulkResultError, bulkResultStatus } from '../scim/bulk';
import type { ScimClient, VersionedUser } from '../scim/client';
import { isPatchUnavailable, ScimError, ScimUniquenessError, ScimVersionConflictError } from '../scim/errors';
import type { User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import { fileNameOf } from '../staging/filename';
import { MEMBERSHIPS_SENT, pad, pageName, RunStateMissingError, type PendingMembership, type PendingReference, type RunStore, type WrittenUser } from '../staging/runstore';
import type { ChunkRef, ChunkResult, ManagersFirstResult, MembershipResult, Outcome, ReferenceResult, RunRef, UserResult } from '../workflows/contracts';
import { membershipBatches } from '../domain/memberships';
import { afterRetriesSpent, replanAfterConflict } from '../domain/writes';
import { earlier } from '../domain/watermark';
import { classified, isPerUserFailure } from './failures';
import { TargetLearning } from './learning';
import { createIsolating, isRefusal, patchIsolating, withoutRefusedAttributes, withoutRefusedOperations } from './refusals';
import { ManagerDirectory, UserLookup } from './resolve';
import { changeMembers, updateUser } from './update';

const REFERENCES_PER_ACTIVITY = 500;
/** Chunks whose conflicts are being settled, kept read per worker: a few runs' worth, each of one chunk at a time. */
const SETTLING_KEPT = 4;
const MANAGERS_FIRST = 'managers-first';
/**
 * The run's written users, in one part in the order the writes landed (the apply pass writes one chunk or
 * fix at a time). Each plan and write reads what was appended since it last looked: with a part per
 * chunk, that was a stat of every part (thousands at 100,000) for every page.
 */
const WRITTEN = '2-apply-written';
/** Names the chunks of the managers created first: their rows are the managers-first stage's word (see STAGES). */
const MANAGERS_PART = '0-managers-';

/** The report rows' part of a chunk's writes: `hr-000003-000001`, `orphans-000200-000000`, `0-managers-000025`. */
const partOf = (ref: ChunkRef): string => (ref.read === 'managers' ? `${MANAGERS_PART}${pad(ref.offset)}` : `${pageName(ref)}-${pad(ref.chunk)}`);

/** How a chunk's writes went, by user, before it is summed up for the workflow (see resultOf). */
interface Settled {
  outcomes: Partial<Record<Outcome, number>>;
  conflicts: string[];
  failedHrIds: string[];
  apiCalls: number;
}

/**
 * What the workflow learns of a chunk: counts, the HR ids owed a refetch, and the two watermark marks,
 * worked out here from the stored changes (their `updated_at`) rather than in the workflow.
 */
function resultOf(changes: readonly PlannedChange[], settled: Settled): ChunkResult {
  const updatedAt = new Map(changes.map((c) => [c.hrId, c.updatedAt ?? null]));
  let oldestFailure: string | null = null;
  for (const hrId of settled.failedHrIds) oldestFailure = earlier(oldestFailure, updatedAt.get(hrId) ?? null);
  let oldestPendingReference: string | null = null;
  for (const c of changes) if (c.pendingManagerHrId !== undefined) oldestPendingReference = earlier(oldestPendingReference, c.updatedAt ?? null);
  return { outcomes: settled.outcomes, conflicts: settled.conflicts, writes: changes.length, oldestFailure, oldestPendingReference, apiCalls: settled.apiCalls };
}

export interface ApplyDeps {
  config: WorkerConfig;
  scim: ScimClient;
  store: RunStore;
}

/**
 * What a write answered: the user and its new version (none from a /Bulk success), or status 0 when nothing
 * was sent; `notes` name the attributes the target refused.
 */
type Written = { user: User | null; status: number; version?: string; notes?: Warning[] };

/** What one activity knows of its run's target: the mapping it writes with (as of now), refusals learned, lookups. */
interface RunView {
  learning: TargetLearning;
  readonly mapping: MappingConfig;
  lookup: UserLookup;
}

const managerOf = (u: User | null) => u?.[URN.enterpriseUser]?.manager?.value;

const isCreate = (c: PlannedChange) => c.action === 'create' && !c.userId;

/** A version conflict on the PATCH that adopts an existing user: the refetch needs that user's id. */
class AdoptionConflict extends ScimVersionConflictError {
  constructor(
    readonly userId: string,
    cause: ScimVersionConflictError,
  ) {
    super({ operation: cause.operation, status: cause.status, scimType: cause.scimType, detail: cause.detail, request: cause.request });
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight. After a failure no new item starts, and the
 * failure surfaces only once the writes in flight have landed: otherwise they would go on writing after
 * the activity failed, racing its retry.
 */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failed && next < items.length) {
      try {
        await fn(items[next++]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  });
  const settled = await Promise.allSettled(lanes);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** What resolveReferences heartbeats: where a retry resumes, and the counts it resumes with. */
interface ReferencesProgress {
  index: number;
  resolved: number;
  failed: number;
  oldestFailure?: string | null;
  undatedFailures?: number;
}

function count(outcomes: Partial<Record<Outcome, number>>, o: Outcome): void {
  outcomes[o] = (outcomes[o] ?? 0) + 1;
}

export function applyActivities(deps: ApplyDeps) {
  const { config, scim, store } = deps;
  /** The chunks whose conflicts this worker is settling, as conflicted read them: the last few only. */
  const settling = new Map<string, { changes: Map<string, PlannedChange>; conflictRows: Map<string, ReportRow> }>();
  const profile = config.target.kind;
  const ctxFor = (view: RunView, managerUserId?: string | null): DiffContext => ({
    config: view.mapping,
    profile,
    ...(managerUserId !== undefined ? { managerUserId } : {}),
  });

  const viewOf = (runKey: string): RunView => {
    const learning = new TargetLearning(store, runKey);
    return {
      learning,
      // Read each time: an attribute refused during this activity is out of the drift of the writes after it.
      get mapping() {
        return learning.mapping(config.mapping, profile);
      },
      lookup: new UserLookup(scim, learning, store, runKey),
    };
  };

  /** What still differs after the write, measured on the user the write returned (no extra GET). */
  function driftAfter(view: RunView, change: PlannedChange, user: User | null): DriftEntry[] {
    if (!change.desired || !user) return [];
    const unresolved = change.pendingManagerHrId !== undefined;
    const manager = managerOf(user);
    return measureDrift(change.desired, user, ctxFor(view, unresolved ? undefined : (manager ?? undefined)));
  }

  const rowOf = (change: PlannedChange, outcome: Outcome, extra: Partial<ReportRow>): ReportRow => rowOfChange(change, outcome, extra);

  /**
   * A joiner whose POST met an existing user (a retry after a crash, or a race): adopt it, never duplicate.
   * Which user, if any, and what to write to it are decided by decideAdoption; a refusal keeps the
   * uniqueness error on the row.
   */
  async function adopt(view: RunView, change: PlannedChange, uniqueness: ScimError): Promise<Written> {
    const found: FoundByKey = {};
    for (const { by, value } of adoptionLookups(change)) {
      const { users } = await view.lookup.find(by, value);
      found[by] = users;
      if (users.length > 0) break;
    }
    const decision = decideAdoption(change, found, ctxFor(view));
    if (decision.kind === 'not-found') throw uniqueness;
    if (decision.kind === 'refuse') {
      throw new ScimUniquenessError({
        operation: uniqueness.operation,
        status: uniqueness.status,
        scimType: uniqueness.scimType,
        request: uniqueness.request,
        detail: decision.reason,
      });
    }
    const { user, operations } = decision;
    if (operations.length === 0) return { user, status: 200, version: user.meta?.version };
    try {
      const patched = await patchIsolating(scim, view.learning, user.id, operations, user.meta?.version);
      return { user: patched.written?.user ?? user, status: 200, version: patched.written?.version ?? user.meta?.version, notes: patched.notes };
    } catch (err) {
      throw err instanceof ScimVersionConflictError ? new AdoptionConflict(user.id, err) : err;
    }
  }

  async function writeOne(view: RunView, change: PlannedChange): Promise<Written> {
    if (change.action === 'create' && !change.userId) {
      try {
        const created = await createIsolating(scim, view.learning, change.newUser as NonNullable<PlannedChange['newUser']>);
        return { user: created.created.user, status: 201, version: created.created.version, notes: created.notes };
      } catch (err) {
        // Which answers to a POST mean a unique attribute is taken is the SCIM client's (classifyHttpFailure).
        if (err instanceof ScimUniquenessError) return adopt(view, change, err);
        throw err;
      }
    }
    // Nothing sent: the version read when planning is still the one to guard the next write with.
    if (change.operations.length === 0) return { user: null, status: 0, version: change.version };
    const patched = await patchIsolating(scim, view.learning, change.userId as string, change.operations, change.version);
    if (!patched.written) return { user: null, status: 0, version: change.version, notes: patched.notes };
    return { user: patched.written.user, status: 200, version: patched.written.version, notes: patched.notes };
  }

  return {
    /** One chunk of a page's stored plan (see writeChunk). */
    async applyChanges(input: RunRef & { chunk: ChunkRef; bulk: boolean }): Promise<ChunkResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const changes = chunkOf(input.runKey, input.chunk);
        return resultOf(changes, await writeChunk({ runKey: input.runKey, part: partOf(input.chunk), changes, bulk: input.bulk }));
      }, profile);
    },

    /**
     * Before any HR page of the apply pass: the run's joiners who manage someone it writes, managers of
     * managers first (see managersFirst), a chunk from `offset`. Their reports then name them in their own
     * POST, and no manager reference waits for the end of the run. The order is worked out once, by the
     * first chunk, from what the plan pass recorded.
     */
    async applyManagersFirst(input: RunRef & { chunk: ChunkRef; bulk: boolean }): Promise<ManagersFirstResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const { chunk } = input;
        if (chunk.read !== 'managers') throw new Error(`applyManagersFirst takes a chunk of the managers created first, not ${JSON.stringify(chunk)}`);
        const { changes, total } = managersFirstOf(input.runKey, chunk.offset, chunk.size);
        const result = resultOf(changes, await writeChunk({ runKey: input.runKey, part: partOf(chunk), changes, bulk: input.bulk }));
        const next = chunk.offset + chunk.size;
        return { ...result, nextOffset: next < total ? next : null };
      }, profile);
    },

    /**
     * The run's group memberships, once every user is written: per group, its adds and removes in as few
     * PATCHes as the client's batch size allows. A PATCH refused for the whole batch is narrowed down to the
     * members it fails for, one by one; a group that is gone fails them all. Adding an existing member and
     * removing an absent one change nothing, so a retry sends them again safely.
     */
    async applyMemberships(input: RunRef): Promise<MembershipResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const before = scim.calls();
        // The membership files are read once, all groups at a time: a group at a time read every file once per
        // group. 100,000 memberships hold about 26 MB here, garbage once the activity ends.
        const batches = membershipBatches(store.memberships(input.runKey), config.sync.groupBatchSize);
        const learning = new TargetLearning(store, input.runKey);
        const resumed = activityInfo().heartbeatDetails as { index: number; failures: [string, RowPatch][] } | undefined;
        const failures = new Map<string, RowPatch>(resumed?.failures ?? []);
        const fail = (entries: readonly PendingMembership[], groupId: string, err: ScimError) => {
          for (const e of entries) {
            const prior = failures.get(e.hrId)?.error;
            const error = [prior, `group membership (${groupId}): ${err.message}`].filter(Boolean).join(' | ');
            failures.set(e.hrId, { hrId: e.hrId, userId: e.userId, outcome: 'failed', httpStatus: err.status, error });
          }
        };
        let i = -1;
        for (const batch of batches) {
          i += 1;
          if (i < (resumed?.index ?? 0)) continue;
          try {
            await changeMembers(scim, learning, batch.groupId, { add: batch.add.map((e) => e.userId), remove: batch.remove.map((e) => e.userId) });
          } catch (err) {
            if (!isPerUserFailure(err)) throw err;
            if (err.status === 404) fail([...batch.add, ...batch.remove], batch.groupId, err);
            else {
              for (const e of [...batch.add, ...batch.remove]) {
                try {
                  await changeMembers(scim, learning, batch.groupId, e.op === 'add' ? { add: [e.userId] } : { remove: [e.userId] });
                } catch (one) {
                  if (!isPerUserFailure(one)) throw one;
                  fail([e], batch.groupId, one);
                }
              }
            }
          }
          heartbeat({ index: i + 1, failures: [...failures] });
        }
        store.writeRows(input.runKey, 'groups', '3-groups', [...failures.values()]);
        store.writeIndex(input.runKey, MEMBERSHIPS_SENT, [true]);
        // The failed users' records, the last one of each in the order the batches went.
        const byHrId = new Map<string, PendingMembership>();
        if (failures.size > 0) {
          for (const b of batches) for (const e of [...b.add, ...b.remove]) if (failures.has(e.hrId)) byHrId.set(e.hrId, e);
        }
        // A user recorded while its write met a conflict counts by how its fix ended (the workflow counted it so).
        const settledAs = (e: PendingMembership): Outcome => {
          if (e.was !== 'conflict') return e.was as Outcome;
          return (store.readPart(input.runKey, `3-fix-${fileNameOf(e.hrId)}`).at(-1)?.outcome ?? e.was) as Outcome;
        };
        const failed = [...failures.keys()].map((hrId) => {
          const e = byHrId.get(hrId) as PendingMembership;
          return { hrId, was: settledAs(e), ...(e.updatedAt ? { updatedAt: e.updatedAt } : {}) };
        });
        return { failed, groups: new Set(batches.map((b) => b.groupId)).size, apiCalls: scim.calls() - before };
      }, profile);
    },

    /**
     * After the retries of a chunk are spent: every user in it is reported, none dropped. With `hrId`, the
     * one user of the chunk whose conflict fix failed for good.
     */
    async recordFailures(input: RunRef & { chunk: ChunkRef; error: string; hrId?: string }): Promise<ChunkResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const changes = input.hrId === undefined ? chunkOf(input.runKey, input.chunk) : [conflicted(input.runKey, input.chunk, input.hrId)];
        // A failed conflict fix must land after (and so override) the chunk's own "conflict" row; its part
        // is the HR id, named here as refetchAndApply names it.
        const part = input.hrId === undefined ? `2-apply-${partOf(input.chunk)}` : `3-fix-${fileNameOf(input.hrId)}`;
        const stage: Stage = input.hrId !== undefined ? 'fix' : input.chunk.read === 'managers' ? 'managers-first' : 'apply';
        const done = new Map(store.readPart(input.runKey, part).map((r) => [r.hrId, r]));
        const outcomes: Partial<Record<Outcome, number>> = {};
        const failedHrIds: string[] = [];
        const conflicts: string[] = [];
        const fail = (change: PlannedChange, error: string) => {
          store.appendRow(input.runKey, stage, part, rowOf(change, 'failed', { error }));
          count(outcomes, 'failed');
          failedHrIds.push(change.hrId);
        };
        for (const change of changes) {
          const prior = done.get(change.hrId);
          const verdict = afterRetriesSpent(prior);
          if (verdict.kind === 'failed') fail(change, `${verdict.why}: ${input.error}`);
          else if (verdict.kind === 'conflict') {
            count(outcomes, 'conflict');
            conflicts.push(change.hrId);
          } else {
            count(outcomes, verdict.outcome as Outcome);
            if (verdict.outcome === 'failed') failedHrIds.push(change.hrId);
          }
        }
        // The memberships of the users it wrote, which the chunk would have recorded last (a conflict fix records none).
        if (input.hrId === undefined) recordMemberships(input.runKey, partOf(input.chunk), changes, done);
        return resultOf(changes, { outcomes, conflicts, failedHrIds, apiCalls: 0 });
      }, profile);
    },

    /**
     * The per-user conflict path: someone changed this user since we read it. Read it again, diff
     * again, and write with the fresh version, a bounded number of times.
     */
    async refetchAndApply(input: RunRef & { chunk: ChunkRef; hrId: string; attempts: number }): Promise<UserResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const before = scim.calls();
        const change = conflicted(input.runKey, input.chunk, input.hrId);
        const part = `3-fix-${fileNameOf(change.hrId)}`;
        const view = viewOf(input.runKey);
        const managers = new ManagerDirectory(scim, { written: store.writtenUsers(input.runKey), lookup: view.lookup });
        const managerUserId =
          typeof change.managerHrId === 'string' ? await managers.userIdOf(change.managerHrId) : change.managerHrId === null ? null : undefined;
        const finish = (outcome: Outcome, extra: Partial<ReportRow>, version?: string): UserResult => {
          if (outcome !== 'failed' && change.userId) {
            store.recordWritten(input.runKey, WRITTEN, { hrId: change.hrId, userId: change.userId, ...(version ? { version } : {}) });
            // A manager still unknown (on a later page): set at the end of the run, as for a write without conflict.
            if (change.pendingManagerHrId !== undefined && managerUserId === undefined) {
              store.appendReference(input.runKey, part, { hrId: change.hrId, userId: change.userId, managerHrId: change.pendingManagerHrId, ...(change.updatedAt ? { updatedAt: change.updatedAt } : {}) });
            }
          }
          store.writeRows(input.runKey, 'fix', part, [rowOf(change, outcome, extra)]);
          return { outcome, apiCalls: scim.calls() - before, oldestFailure: outcome === 'failed' ? (change.updatedAt ?? null) : null };
        };
        for (let attempt = 1; attempt <= input.attempts; attempt++) {
          heartbeat({ attempt });
          let got: Awaited<ReturnType<ScimClient['getUser']>>;
          try {
            got = await scim.getUser(change.userId as string);
          } catch (err) {
            // Deleted meanwhile, or not ours to read: this user's row says so, and the run goes on.
            if (isPerUserFailure(err)) return finish('failed', { httpStatus: err.status, error: err.message });
            throw err;
          }
          const ctx = ctxFor(view, managerUserId);
          const ops = replanAfterConflict(change, got.user, ctx);
          if (ops.length === 0) {
            return finish(
              'unchanged',
              { drift: change.desired ? measureDrift(change.desired, got.user, ctx) : [], reason: 'already as HR says after a concurrent edit' },
              got.version,
            );
          }
          try {
            const patched = await patchIsolating(scim, view.learning, got.user.id, ops, got.version, got);
            const user = patched.written?.user ?? got.user;
            return finish(
              'applied',
              {
                httpStatus: 200,
                changedFields: change.changedFields,
                drift: change.desired ? measureDrift(change.desired, user, ctx) : [],
                ...(patched.notes.length ? { warnings: [...change.warnings, ...patched.notes] } : {}),
              },
              patched.written?.version ?? got.version,
            );
          } catch (err) {
            if (err instanceof ScimVersionConflictError) continue;
            if (isPerUserFailure(err)) return finish('failed', { httpStatus: err.status, error: err.message });
            throw err;
          }
        }
        return finish('failed', { httpStatus: 400, error: `version conflict persisted after ${input.attempts} attempts` });
      }, profile);
    },

    /**
     * Manager references that could not be set when their user was written: set them now, or report them.
     * The manager is most often someone this run created (the run store has the id), and the user was
     * written by this run too, so the PATCH goes with the version that write answered (If-Match); only
     * when someone changed the user since is it read again, and written with the fresh version.
     */
    async resolveReferences(input: RunRef & { offset?: number }): Promise<ReferenceResult> {
      return classified(async () => {
        store.check(input.runKey, input.runToken);
        const before = scim.calls();
        // In batches, one activity each, so that thousands of references at 300 requests a minute never
        // outlast an activity's timeout. Runs recorded before batching pass no offset: all in one.
        const all = store.references(input.runKey).sort((a, b) => (a.hrId < b.hrId ? -1 : a.hrId > b.hrId ? 1 : 0));
        const from = input.offset ?? 0;
        const to = input.offset === undefined ? all.length : Math.min(all.length, from + REFERENCES_PER_ACTIVITY);
        const refs = all.slice(from, to);
        // A retried activity resumes where the last heartbeat left it, with the counts so far: it reports totals.
        const resumed = activityInfo().heartbeatDetails as Partial<ReferencesProgress> | undefined;
        const startAt = resumed?.index ?? 0;
        let resolved = resumed?.resolved ?? 0;
        let failed = resumed?.failed ?? 0;
        // Only the references that stay unset hold the watermark back, each to its own employee's change.
        let oldestFailure = resumed?.oldestFailure ?? null;
        let undatedFailures = resumed?.undatedFailures ?? 0;
        const written = store.writtenUsers(input.runKey);
        // Nobody is created any more in this run: a manager not found now is not found for the next report either.
        const view = viewOf(input.runKey);
        const managers = new ManagerDirectory(scim, { written, rememberMisses: true, lookup: view.lookup });
        for (const [i, ref] of refs.entries()) {
          if (i < startAt) continue;
          const part = `4-refs-${fileNameOf(ref.hrId)}`;
          let problem: string | undefined;
          try {
            const managerId = await managers.userIdOf(ref.managerHrId);
            if (!managerId) problem = `manager (HR id ${ref.managerHrId}) has no user in the target`;
            else {
              const refused = await setManager(view.learning, ref, managerId, written.get(ref.hrId));
              if (refused) problem = `manager reference could not be set (HR id ${ref.managerHrId})${refused === true ? '' : `: ${refused.message}`}`;
            }
          } catch (err) {
            // This user's or this manager's own trouble (deleted meanwhile, say): reported, and the other references go on.
            if (!isPerUserFailure(err)) throw err;
            problem = `manager reference could not be set (HR id ${ref.managerHrId}): ${err.message}`;
          }
          if (problem) {
            failed += 1;
            if (ref.updatedAt === undefined) undatedFailures += 1;
            else oldestFailure = earlier(oldestFailure, ref.updatedAt);
          } else resolved += 1;
          store.writeRows(input.runKey, 'references', part, [
            problem
              ? { hrId: ref.hrId, userId: ref.userId, outcome: 'pending-reference', error: problem }
              : { hrId: ref.hrId, userId: ref.userId, resolvedFields: ['manager'] },
          ]);
          heartbeat({ index: i + 1, resolved, failed, oldestFailure, undatedFailures } satisfies ReferencesProgress);
        }
        return { resolved, failed, oldestFailure, undatedFailures, apiCalls: scim.calls() - before, nextOffset: to < all.length ? to : null };
      }, profile);
    },
  };

  /**
   * Writes one chunk: managers first, then their reports; with bounded concurrency on Genesys or one
   * /Bulk request per wave on a target that has it. Each result is recorded as it lands, so a retried
   * chunk resumes instead of writing twice. Version conflicts go back to the workflow for the
   * per-user refetch; permanent failures land on the user's row.
   */
  async function writeChunk(input: { runKey: string; part: string; changes: PlannedChange[]; bulk: boolean }): Promise<Settled> {
        const before = scim.calls();
        const part = `2-apply-${input.part}`;
        const stage: Stage = input.part.startsWith(MANAGERS_PART) ? 'managers-first' : 'apply';
        const view = viewOf(input.runKey);
        const done = new Map(store.readPart(input.runKey, part).map((r) => [r.hrId, r]));
        const managers = new ManagerDirectory(scim, { written: store.writtenUsers(input.runKey), lookup: view.lookup });
        for (const r of done.values()) if (r.userId) managers.remember(r.hrId, r.userId);
        const outcomes: Partial<Record<Outcome, number>> = {};
        const conflicts: string[] = [];
        const failedHrIds: string[] = [];
        for (const r of done.values()) {
          count(outcomes, r.outcome as Outcome);
          if (r.outcome === 'failed') failedHrIds.push(r.hrId);
          if (r.outcome === 'conflict') conflicts.push(r.hrId);
        }

        let beaten = 0;
        const record = (change: PlannedChange, outcome: Outcome, extra: Partial<ReportRow>) => {
          const row = rowOf(change, outcome, extra);
          store.appendRow(input.runKey, stage, part, row);
          done.set(change.hrId, row);
          count(outcomes, outcome);
          if (outcome === 'failed') failedHrIds.push(change.hrId);
          // A beat a second keeps the chunk alive (the shortest heartbeat timeout is 5 s) and hears a cancellation;
          // one per user cost a call into the worker's core each, 2% of its CPU at 100,000. A retry resumes from the rows.
          if (Date.now() - beaten >= 1000) {
            beaten = Date.now();
            heartbeat({ done: done.size });
          }
        };

        // A pending manager is someone the plan did not find in the target: if this run has created them by
        // now, the run store says so; if not, they are on a later page (or never get an account), and a
        // lookup would only miss (two calls on Genesys). Their reference is set at the end of the run.
        const withManager = (change: PlannedChange): PlannedChange => {
          if (change.pendingManagerHrId === undefined) return change;
          const id = managers.known(change.pendingManagerHrId);
          return id ? resolvePendingManager(change, { [change.pendingManagerHrId]: id }) : change;
        };

        const afterWrite = (change: PlannedChange, written: Written) => {
          const userId = change.userId ?? written.user?.id;
          if (userId) {
            managers.remember(change.hrId, userId);
            // A manager created first is planned again on its HR page: against the user this write answered, without a GET.
            const keep = input.part.startsWith(MANAGERS_PART) && written.user ? { user: written.user } : {};
            store.recordWritten(input.runKey, WRITTEN, { hrId: change.hrId, userId, ...(written.version ? { version: written.version } : {}), ...keep });
          }
          // A joiner created first is planned again on its HR page, which records its reference if still unknown (see managersFirst).
          if (change.pendingManagerHrId !== undefined && userId && stage === 'apply') {
            store.appendReference(input.runKey, input.part, { hrId: change.hrId, userId, managerHrId: change.pendingManagerHrId, ...(change.updatedAt ? { updatedAt: change.updatedAt } : {}) });
          }
          const noted = written.notes?.length ? { ...change, warnings: [...change.warnings, ...written.notes] } : change;
          // Everything it had to change was refused (and said on the row): nothing was written.
          const refusedOnly = written.status === 0 && Boolean(written.notes?.length) && (change.operations.length > 0 || isCreate(change));
          record(noted, refusedOnly ? 'unchanged' : 'applied', {
            ...(userId ? { userId } : {}),
            ...(written.status ? { httpStatus: written.status } : {}),
            drift: driftAfter(view, change, written.user),
          });
        };

        /**
         * A failed write: a conflict goes to the per-user refetch, a permanent failure onto the row. Anything
         * else (429, 5xx) is the chunk's to retry: false, and nothing is recorded.
         */
        const settled = (change: PlannedChange, err: unknown): boolean => {
          if (err instanceof ScimVersionConflictError) {
            // The adopted user's id is on the row: the refetch reads it there (see conflicted).
            record(err instanceof AdoptionConflict ? { ...change, userId: err.userId } : change, 'conflict', { httpStatus: err.status });
            conflicts.push(change.hrId);
          } else if (isPerUserFailure(err)) {
            record(change, 'failed', { httpStatus: err.status, error: err.message });
          } else return false;
          return true;
        };

        /**
         * One /Bulk request for a wave, one result per operation. Every result is recorded before anything
         * is thrown: a 429 or 5xx among them fails the chunk (Temporal retries it), and the retry resumes
         * from the recorded rows, so the successes beside it are never sent again.
         */
        const bulkWave = async (changes: readonly PlannedChange[]): Promise<void> => {
          // A leaver with more to change than `active` goes alone, deactivation first (see patchIsolating). On a
          // target without PATCH every update does: a replace needs the user as it is, one request each.
          const replacing = view.learning.patchUnavailable();
          const alone = changes.filter((c) => (c.action === 'deactivate' && c.operations.length > 1) || (replacing && !isCreate(c) && c.operations.length > 0));
          for (const c of alone) {
            try {
              afterWrite(c, await writeOne(view, c));
            } catch (err) {
              if (!settled(c, err)) throw err;
            }
          }
          // What the run learned the target refuses is left out, and said on the row.
          const notes = new Map<string, Warning[]>();
          const stripped = changes
            .filter((c) => !alone.includes(c))
            .map((c) => {
              if (isCreate(c)) {
                const w = withoutRefusedAttributes(view.learning, c.newUser as NonNullable<PlannedChange['newUser']>);
                notes.set(c.hrId, w.notes);
                return { ...c, newUser: w.user };
              }
              const w = withoutRefusedOperations(view.learning, c.operations);
              notes.set(c.hrId, w.notes);
              return { ...c, operations: w.operations };
            });
          const sent = stripped.filter((c) => isCreate(c) || c.operations.length > 0);
          // Left with nothing to send: recorded as the change it was planned (so the row says what was refused).
          const planned = new Map(changes.map((c) => [c.hrId, c]));
          for (const c of stripped) {
            if (!sent.includes(c)) afterWrite(planned.get(c.hrId) as PlannedChange, { user: null, status: 0, version: c.version, notes: notes.get(c.hrId) });
          }
          if (sent.length === 0) return;
          const ops = sent.map((c) =>
            isCreate(c)
              ? scim.bulkOperations.createUser(c.newUser as NonNullable<PlannedChange['newUser']>, `c-${c.hrId}`)
              : scim.bulkOperations.patchUser(c.userId as string, c.operations, c.version, `u-${c.hrId}`),
          );
          const results = await scim.bulk(ops);
          let retry: unknown;
          for (const [i, result] of results.entries()) {
            const change = sent[i];
            try {
              const err = bulkResultError(result, ops[i]);
              if (!err) {
                const userId = change.userId ?? result.location?.split('/').pop();
                // A bulk result carries the new version (RFC 7644 3.7.3), though not the user.
                afterWrite(
                  { ...change, ...(userId ? { userId } : {}) },
                  { user: null, status: bulkResultStatus(result), ...(result.version ? { version: result.version } : {}), notes: notes.get(change.hrId) },
                );
                continue;
              }
              // A refused operation inside /Bulk: this user's write is isolated with plain requests. A PATCH the
              // target doesn't do: learned, and the write done again as a replace.
              if (isPatchUnavailable(err)) view.learning.learnPatchUnavailable(err.status, err.detail);
              if (isRefusal(err) || isPatchUnavailable(err)) {
                const w = await writeOne(view, change);
                afterWrite(change, { ...w, notes: [...(notes.get(change.hrId) ?? []), ...(w.notes ?? [])] });
                continue;
              }
              if (!(isCreate(change) && err instanceof ScimUniquenessError)) throw err;
              const adopted = await adopt(view, change, err);
              afterWrite(change, { ...adopted, notes: [...(notes.get(change.hrId) ?? []), ...(adopted.notes ?? [])] });
            } catch (err) {
              if (!settled(change, err)) retry ??= err;
            }
          }
          if (retry !== undefined) throw retry;
        };

        const todo = input.changes.filter((c) => !done.has(c.hrId));
        for (const w of writeWaves(todo)) {
          const resolved = w.map(withManager);
          if (input.bulk) {
            await bulkWave(resolved);
            continue;
          }
          await pool(resolved, config.sync.concurrency, async (change) => {
            try {
              afterWrite(change, await writeOne(view, change));
            } catch (err) {
              if (!settled(change, err)) throw err;
            }
          });
        }

        // Last, once every write of the chunk has landed: what is recorded here is written at the end of the run.
        recordMemberships(input.runKey, input.part, input.changes, done);
        return { outcomes, conflicts, failedHrIds, apiCalls: scim.calls() - before };
  }

  /** A chunk's changes: of a page's stored plan, or of the managers created first. */
  function chunkOf(runKey: string, ref: ChunkRef): PlannedChange[] {
    if (ref.read === 'managers') return managersFirstOf(runKey, ref.offset, ref.size).changes;
    return store.planChunk(runKey, 'apply', ref, ref.chunk);
  }

  /**
   * The change of a chunk whose write met a newer version, for its refetch. A joiner adopted before its
   * conflict carries the adopted user's id on its row only. A chunk's conflicts are settled one activity
   * each, after its writes: its stored plan and rows no longer change then, so they are read once per
   * workflow run and chunk (see settling), not once per conflict. A reset, or the run continued as new,
   * is another workflow run, and reads them afresh.
   */
  function conflicted(runKey: string, ref: ChunkRef, hrId: string): PlannedChange {
    const key = `${activityInfo().workflowExecution?.runId ?? ''}/${runKey}/${partOf(ref)}`;
    let read = settling.get(key);
    if (!read) {
      const changes = new Map(chunkOf(runKey, ref).map((c) => [c.hrId, c]));
      // A user's first conflict row, as it was written.
      const conflictRows = new Map<string, ReportRow>();
      for (const r of store.readPart(runKey, `2-apply-${partOf(ref)}`)) if (r.outcome === 'conflict' && !conflictRows.has(r.hrId)) conflictRows.set(r.hrId, r);
      read = { changes, conflictRows };
      settling.set(key, read);
      if (settling.size > SETTLING_KEPT) settling.delete(settling.keys().next().value as string);
    }
    const change = read.changes.get(hrId);
    if (!change) throw new RunStateMissingError(runKey, `has no stored change for HR id ${JSON.stringify(hrId)} in ${partOf(ref)}`);
    const row = read.conflictRows.get(hrId);
    return row?.userId && !change.userId ? { ...change, userId: row.userId } : change;
  }

  /**
   * A chunk of the managers to create first, in order, and how many there are: worked out once per run from
   * the plan pass's records, then read back a chunk at a time (a large company has thousands).
   */
  function managersFirstOf(runKey: string, offset: number, size: number): { changes: PlannedChange[]; total: number } {
    const stored = store.indexSlice<PlannedChange>(runKey, MANAGERS_FIRST, offset, offset + size);
    if (stored) return { changes: stored.items, total: stored.total };
    const managed = new Set<string>();
    for (const e of store.planned(runKey)) if (e.managerHrId !== undefined) managed.add(e.managerHrId);
    const creates: PlannedChange[] = [];
    for (const e of store.planned(runKey)) if (e.create && managed.has(e.hrId)) creates.push(e.create);
    const ordered = managersFirst(creates, managed);
    store.writeIndex(runKey, MANAGERS_FIRST, ordered);
    return { changes: ordered.slice(offset, offset + size), total: ordered.length };
  }

  /**
   * One manager reference, always under If-Match: first with the version this run's own write of the
   * user answered (no GET), then, after a version conflict or without a recorded version, with a fresh
   * read, a bounded number of times. A reference already set (a retried activity) shows as a conflict
   * on the recorded version, and the fresh read then finds it set. Returns undefined once set, else why
   * not: the per-user error, or true when conflicts persisted.
   */
  async function setManager(learning: TargetLearning, ref: PendingReference, managerId: string, recorded: WrittenUser | undefined): Promise<ScimError | true | undefined> {
    let version = recorded?.userId === ref.userId ? recorded.version : undefined;
    const attempts = config.sync.conflictRetries + (version === undefined ? 0 : 1);
    for (let attempt = 0; attempt < attempts; attempt++) {
      let current: VersionedUser | undefined;
      if (version === undefined) {
        current = await scim.getUser(ref.userId);
        if (managerOf(current.user) === managerId) return undefined;
        version = current.version;
      }
      try {
        await updateUser(scim, learning, ref.userId, managerOperations(managerId), { ifMatch: version, ...(current ? { current } : {}) });
        return undefined;
      } catch (err) {
        if (!(err instanceof ScimVersionConflictError)) throw err;
        version = undefined;
      }
    }
    return true;
  }

  /**
   * The chunk's group memberships, for the end of the run: its users' memberships are sent per group, in
   * batches, once every user is written (see applyMemberships). Rewritten whole by a retried chunk, and by
   * recordFailures once its retries are spent: a user it wrote, or left unchanged, still needs its groups.
   */
  function recordMemberships(runKey: string, part: string, changes: readonly PlannedChange[], done: Map<string, ReportRow>): void {
    const entries: PendingMembership[] = [];
    for (const c of changes) {
      const row = done.get(c.hrId);
      const userId = row?.userId ?? c.userId;
      if (!userId || !row || row.outcome === 'failed') continue;
      for (const [op, ids] of [['add', c.groupChanges.add], ['remove', c.groupChanges.remove]] as const) {
        for (const groupId of ids) entries.push({ groupId, op, userId, hrId: c.hrId, was: row.outcome, ...(c.updatedAt ? { updatedAt: c.updatedAt } : {}) });
      }
    }
    store.writeMemberships(runKey, part, entries);
  }
}
