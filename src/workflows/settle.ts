import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { evaluateDeactivationGate } from '../domain/gate';
import type { PlannedChange } from '../domain/plan';
import type { ApplyResult, ManagersFirstResult, Outcome, PagePlan, SyncInput } from './contracts';
import type { Reading } from './position';
import { earlier, runRef, setPhase, type RunState } from './run';
import { addCounts, chunk, groupMembers, io, isActionable, stepOptions, pad, rootMessage, writeCalls } from './sync-helpers';

const PREVIEW_LIMIT = 20;

/** Counts a page's plan; in the apply pass also writes it, chunk by chunk, and settles conflicts. */
export async function settlePage(run: RunState, input: SyncInput, plan: PagePlan, at: Reading, updatedAtOf: (hrId: string) => string | undefined): Promise<void> {
  run.progress.apiCalls += plan.apiCalls;
  const actionable = plan.changes.filter(isActionable);
  const size = chunkSizeOf(run);
  if (at.stage === 'plan') {
    addCounts(run.progress.planned, plan.counts);
    if (plan.massChanges) addCounts(run.gate.massChanges, plan.massChanges);
    for (const d of plan.deactivations) if (run.gate.preview.length < PREVIEW_LIMIT) run.gate.preview.push(d);
    run.progress.writesRemaining += actionable.length;
    // The apply pass plans from what this pass read: its calls are the writes.
    run.progress.callsToMake = (run.progress.callsToMake ?? 0) + writeCalls(actionable, size, run.facts.bulk.supported);
    addCounts(run.groupMembers, groupMembers(actionable));
    return;
  }
  guardDeactivations(run, input, actionable.filter((c) => c.action === 'deactivate').length);
  const reading = run.progress.phase;
  if (actionable.length > 0) setPhase(run, `apply: writing ${actionable.length} changes`);
  for (const [i, changes] of chunk(actionable, size).entries()) {
    const part = at.read === 'orphans' ? `orphans-${pad(at.offset)}-${pad(i)}` : `hr-${pad(at.read === 'hr' ? at.page : 0)}-${pad(i)}`;
    const result = await applyChunk(run, changes, part);
    const marks = run.marks;
    for (const hrId of result.failedHrIds) marks.oldestFailure = earlier(marks.oldestFailure, updatedAtOf(hrId) ?? null);
    for (const c of changes) if (c.pendingManagerHrId !== undefined) marks.oldestPendingReference = earlier(marks.oldestPendingReference, updatedAtOf(c.hrId) ?? null);
    run.progress.writesRemaining = Math.max(0, run.progress.writesRemaining - changes.length);
  }
  if (actionable.length > 0) setPhase(run, reading);
  const untouched = plan.changes.length - actionable.length;
  if (untouched > 0) addCounts(run.progress.outcomes, { unchanged: untouched });
}

/** A chunk of the joiners who manage someone, created before any HR page; returns where the next chunk starts. */
export async function applyManagersFirst(run: RunState, at: Extract<Reading, { read: 'managers' }>): Promise<number | null> {
  const size = chunkSizeOf(run);
  let result: ManagersFirstResult | ApplyResult;
  let next: number | null = null;
  try {
    const written = await io.applyManagersFirst.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `create the joiners who manage someone (from ${at.offset})` },
      [{ ...runRef(run), offset: at.offset, size, bulk: run.facts.bulk.supported }],
    );
    next = written.nextOffset;
    run.marks.oldestFailure = earlier(run.marks.oldestFailure, written.oldestFailure);
    run.marks.oldestPendingReference = earlier(run.marks.oldestPendingReference, written.oldestPendingReference);
    run.progress.writesRemaining = Math.max(0, run.progress.writesRemaining - written.writes);
    result = written;
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Every manager of the chunk is reported; they are met again on their HR page, and written there.
    result = await io.recordFailures({ ...runRef(run), part: '', changes: [], error: rootMessage(err), managersFirst: { offset: at.offset, size } });
    next = at.offset + size;
  }
  await settleResult(run, result);
  return next;
}

const chunkSizeOf = (run: RunState) => (run.facts.bulk.supported ? Math.min(run.facts.chunkSize, run.facts.bulk.maxOperations) : run.facts.chunkSize);

/**
 * HR is read again for the apply pass. If it now says many more people left than the plan (and so the
 * gate) saw, for instance because an export broke after approval, stop before writing them.
 */
function guardDeactivations(run: RunState, input: SyncInput, onThisPage: number): void {
  run.gate.deactivationsMet += onThisPage;
  const met = run.gate.deactivationsMet;
  const planned = run.progress.planned.deactivate ?? 0;
  // An approval covers what was shown, and the gate's count on top; without one, the gate's own limits hold.
  const beyond =
    run.gate.verdict?.decision === 'approved'
      ? met > planned + run.facts.gate.maxCount
      : evaluateDeactivationGate({ deactivations: met, population: run.facts.population, config: run.facts.gate, mode: input.mode }).required;
  if (beyond) {
    throw ApplicationFailure.nonRetryable(
      `HR changed between planning and applying: ${met} deactivations met, ${planned} planned; stopped before writing more (run again to plan and gate afresh)`,
      'deactivations-beyond-plan',
    );
  }
}

async function applyChunk(run: RunState, changes: PlannedChange[], part: string): Promise<ApplyResult> {
  let result: ApplyResult;
  try {
    result = await io.applyChanges.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `apply ${changes.length} changes${run.facts.bulk.supported ? ' (bulk)' : ''}` },
      [{ ...runRef(run), part, changes, bulk: run.facts.bulk.supported }],
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Retries are spent (or the failure is permanent): every user in the chunk is reported, none dropped.
    result = await io.recordFailures({ ...runRef(run), part, changes, error: rootMessage(err) });
  }
  return settleResult(run, result);
}

/** Counts a chunk's outcomes, and settles its conflicts one by one. */
async function settleResult<R extends ApplyResult>(run: RunState, result: R): Promise<R> {
  run.progress.apiCalls += result.apiCalls;
  addCounts(run.progress.outcomes, result.outcomes);
  for (const change of result.conflicts) {
    const settled = await refetchAndApply(run, change);
    // The conflict is settled: count the user once, by how it ended.
    run.progress.outcomes.conflict = Math.max(0, (run.progress.outcomes.conflict ?? 0) - 1);
    addCounts(run.progress.outcomes, { [settled]: 1 });
    if (settled === 'failed') {
      result.failedHrIds.push(change.hrId);
      run.marks.oldestFailure = earlier(run.marks.oldestFailure, change.updatedAt ?? null);
    }
  }
  return result;
}

/** The per-user conflict path; if even that fails for good, the user is reported, and the run goes on. */
async function refetchAndApply(run: RunState, change: PlannedChange): Promise<Outcome> {
  try {
    const settled = await io.refetchAndApply.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `refetch and retry after a version conflict (HR ${change.hrId})` },
      [{ ...runRef(run), change, attempts: run.facts.conflictRetries }],
    );
    run.progress.apiCalls += settled.apiCalls;
    return settled.outcome;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await io.recordFailures({ ...runRef(run), part: change.hrId, changes: [change], error: rootMessage(err), stage: 'fix' });
    return 'failed';
  }
}
