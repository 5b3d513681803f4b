import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReportResult, RunFacts, SyncInput, SyncSummary } from './contracts';
import { nextWatermark } from '../domain/watermark';
import type { RunState } from './run';

/**
 * Retry policies carry the failure handling: transient errors back off, a 429 comes back as an
 * ApplicationFailure whose nextRetryDelay is the server's Retry-After, and permanent errors
 * (invalid request, forbidden, not found) are non-retryable. Retries are bounded by time, a
 * schedule-to-close per step, not by a count: under a storm of 5xx a count runs out in minutes, while
 * an outage of the target longer than the step's window should fail the run and say so.
 */
const NON_RETRYABLE = ['invalid-request', 'forbidden', 'not-found', 'unauthorized', 'invalid-response', 'permanent', 'uniqueness', 'ConfigError'];

const defaults: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  scheduleToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
};
const hrDefaults: ActivityOptions = { ...defaults, startToCloseTimeout: '5 minutes', scheduleToCloseTimeout: '30 minutes' };
const writeDefaults: ActivityOptions = { ...defaults, startToCloseTimeout: '30 minutes', scheduleToCloseTimeout: '2 hours' };

/** Per-step activity options, spread into `executeWithOptions` with each call's summary. */
export const options = { defaults, hr: hrDefaults, write: writeDefaults } as const;

/**
 * The step options of a run whose facts are known. A worker that dies mid-activity is noticed only when
 * the heartbeat timeout passes, so the facts may shorten it; histories without the fact keep the default.
 */
export function stepOptions(facts: Pick<RunFacts, 'heartbeatTimeoutSeconds'>): typeof options {
  const seconds = facts.heartbeatTimeoutSeconds;
  if (seconds === undefined) return options;
  const heartbeatTimeout = seconds * 1000;
  return { defaults: { ...defaults, heartbeatTimeout }, hr: { ...hrDefaults, heartbeatTimeout }, write: { ...writeDefaults, heartbeatTimeout } };
}

export const io = proxyActivities<Activities>(defaults);

export { rootMessage } from '../temporal/rootmessage';

export function addCounts<K extends string>(into: Partial<Record<K, number>>, add: Partial<Record<K, number>>): void {
  for (const [k, v] of Object.entries(add) as [K, number | undefined][]) {
    if (v) into[k] = (into[k] ?? 0) + v;
  }
}

export function summarise(run: RunState, input: SyncInput, outcome: SyncSummary['outcome'], written: ReportResult): SyncSummary {
  return {
    workflowId: workflowInfo().workflowId,
    mode: input.mode,
    dryRun: Boolean(input.dryRun),
    outcome,
    planned: run.progress.planned,
    outcomes: written.outcomes,
    employeesRead: run.progress.employeesRead,
    rejectedRecords: run.progress.rejectedRecords,
    apiCalls: run.progress.apiCalls,
    drift: written.drift,
    reportPath: written.reportPath,
    watermark: nextWatermark({ outcome, ...run.marks, previousWatermark: run.facts.previousWatermark ?? null }),
    missingGroups: run.facts.missingGroups,
    ...(written.notices?.length ? { notices: written.notices } : {}),
    ...(run.gate.verdict ? { gate: run.gate.verdict } : {}),
    ...(run.progress.callsToMake !== undefined ? { callsToMake: run.progress.callsToMake } : {}),
  };
}
