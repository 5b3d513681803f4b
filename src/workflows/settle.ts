import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { evaluateDeactivationGate } from '../domain/gate';
import type { ChunkRef, ChunkResult, Outcome, PagePlan, PageRef, RunRef, SyncInput } from './contracts';
import type { Reading } from './position';
import { earlier } from '../domain/watermark';
import { runRef, setPhase, type RunState } from './run';
import { addCounts, io, stepOptions, rootMessage } from './sync-helpers';

/** Deactivations the gate's preview shows. */
export const PREVIEW_LIMIT = 20;

/**
 * Counts a page's plan; in the apply pass also writes it, wave by wave of chunks (see chunkWaves), and
 * settles conflicts. The changes themselves stay in the run store: the workflow names each chunk by its
 * page and index.
 */
export async function settlePage(run: RunState, input: SyncInput, plan: PagePlan, at: Reading, page: PageRef): Promise<void> {
  run.progress.apiCalls += plan.apiCalls;
  if (at.stage === 'plan') {
    addCounts(run.progress.planned, plan.counts);
    if (plan.massChanges) addCounts(run.gate.massChanges, plan.massChanges);
    for (const d of plan.deactivations) if (run.gate.preview.length < PREVIEW_LIMIT) run.gate.preview.push(d);
    run.progress.writesRemaining += plan.writes;
    // The apply pass plans from what this pass read: its calls are the writes.
    run.progress.callsToMake = (run.progress.callsToMake ?? 0) + plan.callsToMake;
    addCounts(run.groupMembers, plan.groupMembers);
    return;
  }
  guardDeactivations(run, input, plan.deactivating);
  const reading = run.progress.phase;
  if (plan.writes > 0) setPhase(run, `apply: writing ${plan.writes} changes`);
  // A wave's chunks are written side by side: a page's part-full chunks would otherwise each wait a workflow
  // turn. Neither names a joiner the other creates, so neither needs the other's written users (see WrittenUsers).
  let first = 0;
  for (const size of plan.waves) {
    const wave = Array.from({ length: size }, (_, k) => first + k);
    first += size;
    // Every chunk of the wave ends (landed, or its users reported) before a failure of one goes on up.
    const settled = await Promise.allSettled(
      wave.map((i) => {
        const chunk: ChunkRef = { ...page, chunk: i };
        return settleChunk(run, chunk, () =>
          io.applyChanges.executeWithOptions(
            { ...stepOptions(run.facts).write, summary: `apply chunk ${i + 1} of ${plan.chunks}${run.facts.bulk.supported ? ' (bulk)' : ''}` },
            [{ ...chunkInput(run, chunk), bulk: run.facts.bulk.supported }],
          ),
        );
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
  if (plan.writes > 0) setPhase(run, reading);
}

/** A chunk of the joiners who manage someone, created before any HR page; returns where the next chunk starts. */
export async function applyManagersFirst(run: RunState, at: Extract<Reading, { read: 'managers' }>): Promise<number | null> {
  const chunk: ChunkRef = { read: 'managers', offset: at.offset, size: chunkSizeOf(run) };
  // Should the chunk fail for good, its managers are met again on their HR page, and written there.
  let next: number | null = at.offset + chunk.size;
  await settleChunk(run, chunk, async () => {
    const written = await io.applyManagersFirst.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `create the joiners who manage someone (from ${at.offset})` },
      [{ ...chunkInput(run, chunk), bulk: run.facts.bulk.supported }],
    );
    next = written.nextOffset;
    return written;
  });
  return next;
}

export const chunkSizeOf = (run: RunState) => (run.facts.bulk.supported ? Math.min(run.facts.chunkSize, run.facts.bulk.maxOperations) : run.facts.chunkSize);

/** The one place the input of an activity on a stored chunk is made: the run, and which chunk. */
const chunkInput = (run: RunState, chunk: ChunkRef): RunRef & { chunk: ChunkRef } => ({ ...runRef(run), chunk });

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

/**
 * Writes one chunk and counts how it went; once its retries are spent (or the failure is permanent),
 * every user in it is reported, none dropped. Its conflicts are settled one by one.
 */
async function settleChunk(run: RunState, chunk: ChunkRef, write: () => Promise<ChunkResult>): Promise<void> {
  let result: ChunkResult;
  try {
    result = await write();
  } catch (err) {
    if (isCancellation(err)) throw err;
    result = await io.recordFailures({ ...chunkInput(run, chunk), error: rootMessage(err) });
  }
  run.progress.apiCalls += result.apiCalls;
  addCounts(run.progress.outcomes, result.outcomes);
  run.marks.oldestFailure = earlier(run.marks.oldestFailure, result.oldestFailure);
  run.marks.oldestPendingReference = earlier(run.marks.oldestPendingReference, result.oldestPendingReference);
  run.progress.writesRemaining = Math.max(0, run.progress.writesRemaining - result.writes);
  for (const hrId of result.conflicts) {
    const settled = await refetchAndApply(run, chunk, hrId);
    // The conflict is settled: count the user once, by how it ended.
    run.progress.outcomes.conflict = Math.max(0, (run.progress.outcomes.conflict ?? 0) - 1);
    addCounts(run.progress.outcomes, { [settled]: 1 });
  }
}

/** The per-user conflict path; if even that fails for good, the user is reported, and the run goes on. */
async function refetchAndApply(run: RunState, chunk: ChunkRef, hrId: string): Promise<Outcome> {
  try {
    const settled = await io.refetchAndApply.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `refetch and retry after a version conflict (HR ${hrId})` },
      [{ ...chunkInput(run, chunk), hrId, attempts: run.facts.conflictRetries }],
    );
    run.progress.apiCalls += settled.apiCalls;
    run.marks.oldestFailure = earlier(run.marks.oldestFailure, settled.oldestFailure);
    return settled.outcome;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const recorded = await io.recordFailures({ ...chunkInput(run, chunk), hrId, error: rootMessage(err) });
    run.marks.oldestFailure = earlier(run.marks.oldestFailure, recorded.oldestFailure);
    return 'failed';
  }
}
