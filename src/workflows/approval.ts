import { condition, defineQuery, defineUpdate, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { evaluateGate } from '../domain/gate';
import { SA } from '../temporal/searchattributes';
import type { DeactivationPreview, Progress, SyncInput, SyncSummary } from './contracts';
import { startingProgress, setPhase, type RunState } from './run';

export interface PendingApproval {
  reason: string;
  planned: Progress['planned'];
  deactivations: DeactivationPreview[];
  deadline: string;
}

export interface ApprovalInput {
  by?: string;
  reason?: string;
}

export type Decision = { approved: boolean; by?: string; reason?: string };

export const progressQuery = defineQuery<Progress>('progress');
export const pendingApprovalQuery = defineQuery<PendingApproval | null>('pendingApproval');
export const approveUpdate = defineUpdate<string, [ApprovalInput]>('approve');
export const rejectUpdate = defineUpdate<string, [ApprovalInput]>('reject');

/** Handlers first: a status query or an early approve must find them while prepare is still running. */
export function listen(current: () => RunState | undefined): () => Decision | undefined {
  let decision: Decision | undefined;
  setHandler(progressQuery, () => current()?.progress ?? startingProgress('prepare'));
  setHandler(pendingApprovalQuery, () => {
    const run = current();
    return run ? pendingApproval(run) : null;
  });
  const validate = (_a: ApprovalInput) => {
    if (!current()?.progress.awaitingApproval) throw new Error('this run is not waiting for approval');
  };
  setHandler(approveUpdate, (a) => {
    decision = { approved: true, ...a };
    return 'approved';
  }, { validator: validate });
  setHandler(rejectUpdate, (a) => {
    decision = { approved: false, ...a };
    return 'rejected';
  }, { validator: validate });
  return () => decision;
}

function pendingApproval(run: RunState): PendingApproval | null {
  if (!run.progress.awaitingApproval || !run.gate.verdict) return null;
  return { reason: run.gate.verdict.reason, planned: run.progress.planned, deactivations: run.gate.preview, deadline: run.gate.deadline ?? '' };
}

/** Past the deactivation (or other mass-change) thresholds, nothing is written until a person approves; silence rejects. */
export function gateVerdict(run: RunState, input: SyncInput): NonNullable<SyncSummary['gate']> {
  const verdict = evaluateGate({
    deactivations: run.progress.planned.deactivate ?? 0,
    population: run.facts.population,
    config: run.facts.gate,
    mode: input.mode,
    hrRecords: run.progress.employeesRead,
    massChanges: run.gate.massChanges,
  });
  return { required: verdict.required, reason: verdict.reason };
}

/** The gate: true when the run may write, after waiting for a person if the plan needs one. */
export async function passGate(run: RunState, input: SyncInput, decision: () => Decision | undefined): Promise<boolean> {
  const verdict = gateVerdict(run, input);
  run.gate.verdict = verdict;
  if (!verdict.required) return true;
  setPhase(run, `awaiting approval: ${verdict.reason}`);
  run.progress.awaitingApproval = true;
  run.gate.deadline = new Date(Date.now() + run.facts.gate.timeoutSeconds * 1000).toISOString();
  upsertSearchAttributes([{ key: SA.awaitingApproval, value: true }, { key: SA.outcome, value: 'awaiting-approval' }]);
  const answered = await condition(() => decision() !== undefined, run.facts.gate.timeoutSeconds * 1000);
  run.progress.awaitingApproval = false;
  upsertSearchAttributes([{ key: SA.awaitingApproval, value: false }, { key: SA.outcome, value: 'running' }]);
  const d = decision();
  verdict.decision = !answered ? 'timed-out' : d?.approved ? 'approved' : 'rejected';
  if (d?.by) verdict.by = d.by;
  if (d?.reason) verdict.note = d.reason;
  return verdict.decision === 'approved';
}
