import { ApplicationFailure, CancellationScope, ContinueAsNew, TemporalFailure, isCancellation, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../temporal/searchattributes';
import { REPORT_FAILED, type ReportResult, type SyncInput, type SyncSummary } from './contracts';
import { formatCounts } from '../runs/outcome';
import { runRef, setPhase, type RunState } from './run';
import { io, stepOptions, rootMessage, summarise } from './sync-helpers';

/** The final activity. A run that wrote is `succeeded` only if its report has no failed row. */
export async function report(run: RunState, input: SyncInput, ended: SyncSummary['outcome']): Promise<SyncSummary> {
  setPhase(run, 'writing the reconciliation report');
  let written: ReportResult;
  try {
    written = await io.writeReport.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: 'write the CSV reconciliation report' },
      [{ ...runRef(run), final: true }],
    );
  } catch (err) {
    throw reportFailed(run, err);
  }
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
  if (err instanceof ContinueAsNew || !(err instanceof TemporalFailure) || isReportFailure(err)) return err;
  const cancelled = isCancellation(err);
  let written: ReportResult | undefined;
  let unwritten: unknown;
  try {
    written = await CancellationScope.nonCancellable(() =>
      // Not final: the working files stay, so a reset of this run can pick up where it stopped.
      io.writeReport.executeWithOptions({ ...stepOptions(run.facts).defaults, summary: 'write the report of the failed run' }, [{ ...runRef(run), final: false }]),
    );
  } catch (reportErr) {
    // The run's own failure stays the news; that its report is missing too is said beside it.
    unwritten = reportErr;
  }
  const outcomes = written?.outcomes ?? run.progress.outcomes;
  upsertSearchAttributes([
    { key: SA.outcome, value: cancelled ? 'cancelled' : 'failed' },
    { key: SA.awaitingApproval, value: false },
    { key: SA.failed, value: outcomes.failed ?? 0 },
  ]);
  setPhase(run, `${cancelled ? 'cancelled' : 'failed'}; ${written ? `report: ${written.reportPath}` : `no report: ${rootMessage(unwritten)}`}`);
  if (cancelled) return err;
  const left = written
    ? `report of what was done: ${written.reportPath}`
    : `and its report could not be written: ${rootMessage(unwritten)}; its working files stay in reportDir/.runs/`;
  return ApplicationFailure.create({
    type: 'sync-failed',
    // The root cause, not its wrapper's "Activity task failed": this is what the Web UI and the CLI show.
    message: `${rootMessage(err)} (${left})`,
    nonRetryable: true,
    cause: err,
    details: [written ? { reportPath: written.reportPath, outcomes } : { outcomes }],
  });
}

function isReportFailure(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === REPORT_FAILED;
}

/**
 * The run did its work but its report could not be written, for good: the run fails, and says so. Its
 * writes stand (they are in the target, and in the counts), its watermark stays where it was (so the next
 * delta reads these changes again, finds them done and reports them), and its working files stay for a
 * reset of this run to its report step.
 */
function reportFailed(run: RunState, err: unknown): ApplicationFailure {
  const outcomes = run.progress.outcomes;
  upsertSearchAttributes([
    { key: SA.outcome, value: 'failed' },
    { key: SA.awaitingApproval, value: false },
    { key: SA.failed, value: outcomes.failed ?? 0 },
  ]);
  setPhase(run, `failed: the report could not be written (the writes made stand)`);
  return ApplicationFailure.create({
    type: REPORT_FAILED,
    message:
      `the report could not be written: ${rootMessage(err)}. The writes this run made stand (${formatCounts(outcomes)}); its watermark did not move. ` +
      'Make reportDir writable, then run the sync again (or reset this run to its report step: its working files are kept in reportDir/.runs/)',
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
    details: [{ outcomes }],
  });
}

/** Nothing is planned yet, so there is no report to write; the outcome still must not stay "running". */
export function failedToPrepare(err: unknown): never {
  if (err instanceof TemporalFailure) upsertSearchAttributes([{ key: SA.outcome, value: isCancellation(err) ? 'cancelled' : 'failed' }]);
  throw err;
}
