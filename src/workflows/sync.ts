import { patched } from '@temporalio/workflow';
import { gateVerdict, listen, passGate } from './approval';
import type { SyncInput, SyncSummary } from './contracts';
import { failed, failedToPrepare, report } from './finish';
import { passOverHr } from './pass';
import { next } from './position';
import { firstDeltaReadsEverything, prepare } from './prepare';
import { applyMemberships, resolveReferences } from './references';
import type { RunState } from './run';

export { approveUpdate, pendingApprovalQuery, progressQuery, rejectUpdate, type ApprovalInput, type PendingApproval } from './approval';
export type { RunState } from './run';

/**
 * One sync run: prepare, plan, gate, apply, resolve references, report. The run's place is
 * `run.position` (see position.ts); a large run continues as new between pages, carrying its input and
 * `RunState`, and picks up at that position.
 */
export async function syncWorkflow(input: SyncInput, resumed?: RunState): Promise<SyncSummary> {
  let current: RunState | undefined = resumed;
  const decision = listen(() => current);

  const run = resumed ?? (await prepare(input).catch(failedToPrepare));
  current = run;
  if (!resumed && patched('first-delta-as-full')) input = firstDeltaReadsEverything(run, input);

  try {
    // Plan: read HR (and the target) and count what would change; nothing is written.
    if (run.position.stage === 'plan') await passOverHr(run, input);

    // Gate: past the thresholds, a person approves before anything is written.
    if (run.position.stage === 'gate') {
      if (input.dryRun) {
        // Say whether the real run would stop for approval, without waiting.
        run.gate.verdict = gateVerdict(run, input);
        return await report(run, input, 'dry-run');
      }
      if (!(await passGate(run, input, decision))) return await report(run, input, 'rejected');
      run.progress.callsAtApply = run.progress.apiCalls;
      run.position = next(run.position, input.mode);
    }

    // Apply: plan each page again against fresh target state, and write it.
    if (run.position.stage === 'apply') await passOverHr(run, input);

    // Memberships: per group, in batches, once every user is written.
    if (run.position.stage === 'memberships') {
      await applyMemberships(run);
      run.position = next(run.position, input.mode);
    }

    // References: managers that were not known when their reports were written.
    if (run.position.stage === 'references') {
      await resolveReferences(run);
      run.position = next(run.position, input.mode);
    }
  } catch (err) {
    throw await failed(run, err);
  }
  return report(run, input, 'succeeded');
}
