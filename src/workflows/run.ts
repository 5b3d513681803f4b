import { allHandlersFinished, condition, continueAsNew, log, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { MassChangeCounts } from '../domain/gate';
import type { DeactivationPreview, Pass, Progress, RunFacts, RunRef, SyncInput, SyncSummary } from './contracts';
import type { Position } from './position';

/**
 * What a run carries across continue-as-new, besides its input: where it is, its progress, and what the
 * watermark and the gate need. Cursors, counters and short lists, never the company.
 */
export interface RunState {
  runKey: string;
  /** What `prepareRun` learned, once per run. */
  facts: RunFacts;
  position: Position;
  progress: Progress;
  marks: WatermarkMarks;
  gate: GateState;
  /** Members to add or remove per group id, as the plan pass counts them: the memberships sent at the end. */
  groupMembers: Record<string, number>;
  /** Pages read by this run in the chain (continue-as-new resets it). */
  pagesThisRun: number;
  /** A delta's lookups so far (target calls), and why it read the target once instead, if it did (see domain/readonce). */
  lookups: { calls: number; readOnce: string | null };
}

/** What bounds the next watermark. */
export interface WatermarkMarks {
  highWaterMark: string | null;
  /** The oldest `updated_at` among employees whose write failed: the watermark may not pass it. */
  oldestFailure: string | null;
  /** The oldest `updated_at` among employees whose manager reference waited for the end of the run. */
  oldestPendingReference: string | null;
}

/** What the plan pass showed the gate, and what the gate said. */
export interface GateState {
  preview: DeactivationPreview[];
  /** Mass changes beyond deactivations the plan holds. */
  massChanges: MassChangeCounts;
  verdict?: NonNullable<SyncSummary['gate']>;
  /** When an unanswered gate rejects the run (ISO), while it waits. */
  deadline?: string;
  /** Deactivations the apply pass has met so far: it may not run far past what the plan (and the gate) saw. */
  deactivationsMet: number;
}

export function newRun(runKey: string, facts: RunFacts, position: Position): RunState {
  return {
    runKey,
    facts,
    position,
    progress: startingProgress('plan'),
    marks: { highWaterMark: null, oldestFailure: null, oldestPendingReference: null },
    gate: { preview: [], massChanges: {}, deactivationsMet: 0 },
    groupMembers: {},
    pagesThisRun: 0,
    lookups: { calls: 0, readOnce: null },
  };
}

export function startingProgress(phase: string, pass: Pass = 'plan'): Progress {
  return {
    phase,
    pass,
    pagesRead: 0,
    employeesRead: 0,
    rejectedRecords: 0,
    planned: {},
    outcomes: {},
    apiCalls: 0,
    writesRemaining: 0,
    awaitingApproval: false,
  };
}

export const runRef = (run: RunState): RunRef => ({ runKey: run.runKey, runToken: run.facts.runToken });

/** The phase shows in the progress query, in the Web UI's current details, and in the worker's log (with the run id). */
export function setPhase(run: RunState, phase: string): void {
  run.progress.phase = phase;
  setCurrentDetails(`**${phase}**`);
  log.info(phase, {
    target: run.facts.targetName,
    pagesRead: run.progress.pagesRead,
    planned: run.progress.planned,
    outcomes: run.progress.outcomes,
    apiCalls: run.progress.apiCalls,
  });
}

/** Whether the run continues as new at the end of the page it is on: Temporal suggests it, or the run has read its pages. */
export function checkpointDue(run: RunState): boolean {
  const limit = run.facts.maxPagesPerRun ?? 0;
  return workflowInfo().continueAsNewSuggested || (limit > 0 && run.pagesThisRun + 1 >= limit);
}

/**
 * Continue as new when Temporal suggests it, so a 100,000-employee run stays within the history limits.
 * Never with an activity of the next page in flight (`ahead`): the new run would do that page again
 * while the old activity still writes its files. The checkpoint then waits for the page after it, which
 * is not planned ahead (see checkpointDue).
 */
export async function checkpoint(run: RunState, input: SyncInput, ahead = false): Promise<void> {
  const due = checkpointDue(run);
  run.pagesThisRun += 1;
  if (!due || ahead) return;
  await condition(allHandlersFinished);
  await continueAsNew<(input: SyncInput, resumed: RunState) => Promise<SyncSummary>>(input, { ...run, pagesThisRun: 0 });
}
