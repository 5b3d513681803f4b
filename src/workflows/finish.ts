import { ApplicationFailure, CancellationScope, ContinueAsNew, TemporalFailure, isCancellation, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../temporal/searchattributes';
import type { SyncInput, SyncSummary } from './contracts';
import { runRef, setPhase, type RunState } from './run';
import { io, stepOptions, rootMessage, summarise } from './sync-helpers';

/** The final activity. A run that wrote is `succeeded` only if its report has no failed row. */
export async function report(run: RunState, input: SyncInput, ended: SyncSummary['outcome']): Promise<SyncSummary> {
  setPhase(run, 'writing the reconciliation report');
  const written = await io.writeReport.executeWithOptions(
    { ...stepOptions(run.facts).defaults, summary: 'write the CSV reconciliation report' },
    [{ ...runRef(run), final: true }],
  );
  const failures = (written.outcomes.failed ?? 0) + (written.outcomes['pending-reference'] ?? 0);
  const outcome = ended === 'succeeded' && failures > 0 ? 'completed-with-failures' : ended;
  const summary = summarise(run, input, outcome, written);
  upsertSearchAttributes([
    { key: SA.outcome, value: outcome },
    { key: SA.planned, value: Object.values(run.progress.planned).reduce((a, b) => a + (b ?? 0), 0) },
    { key: SA.failed, value: written.outcomes.failed ?? 0 },
    { key: SA.drift, value: written.drift },
    ...(summary.watermark ? [{ key: SA.watermark, value: new Date(summary.watermark) }] : []),
  ]);
  setPhase(run, `done: ${outcome}`);
  return summary;
}

/**
 * A run that fails (a permanent HR error, retries spent, a cancellation) still leaves its report of what
 * it did, and says where; the watermark stays where it was.
 */
export async function failed(run: RunState, err: unknown): Promise<unknown> {
  if (err instanceof ContinueAsNew || !(err instanceof TemporalFailure)) return err;
  const cancelled = isCancellation(err);
  const written = await CancellationScope.nonCancellable(() =>
    // Not final: the working files stay, so a reset of this run can pick up where it stopped.
    io.writeReport.executeWithOptions({ ...stepOptions(run.facts).defaults, summary: 'write the report of the failed run' }, [{ ...runRef(run), final: false }]),
  );
  upsertSearchAttributes([
    { key: SA.outcome, value: cancelled ? 'cancelled' : 'failed' },
    { key: SA.awaitingApproval, value: false },
    { key: SA.failed, value: written.outcomes.failed ?? 0 },
  ]);
  setPhase(run, `${cancelled ? 'cancelled' : 'failed'}; report: ${written.reportPath}`);
  if (cancelled) return err;
  return ApplicationFailure.create({
    type: 'sync-failed',
    // The root cause, not its wrapper's "Activity task failed": this is what the Web UI and the CLI show.
    message: `${rootMessage(err)} (report of what was done: ${written.reportPath})`,
    nonRetryable: true,
    cause: err,
    details: [{ reportPath: written.reportPath, outcomes: written.outcomes }],
  });
}

/** Nothing is planned yet, so there is no report to write; the outcome still must not stay "running". */
export function failedToPrepare(err: unknown): never {
  if (err instanceof TemporalFailure) upsertSearchAttributes([{ key: SA.outcome, value: isCancellation(err) ? 'cancelled' : 'failed' }]);
  throw err;
}
