import type { Progress, SyncSummary } from '../workflows/contracts';
import type { PlanAction } from '../domain/plan';

/** Bad input from the user (an option value): the CLI prints it and exits 2, without a stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a command body; a UsageError is printed and becomes exit code 2. */
export async function exitOnUsageError(fn: () => Promise<number>, err: (line: string) => void = console.error): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UsageError) {
      err(`hrsync: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
}

/** Exit codes of the commands that wait for a run. 2 is bad usage or config (see src/client.ts). */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejected: 3 } as const;

/**
 * A run that finished its work exits 0, also with per-user failures (they are in the report and in
 * the summary's outcomes); a rejected or timed-out gate exits 3; a run that failed, was cancelled,
 * terminated or timed out exits 1.
 */
export function exitCodeFor(result: { summary?: SyncSummary; status: string }): number {
  if (result.summary) return result.summary.outcome === 'rejected' ? EXIT.rejected : EXIT.ok;
  return result.status === 'COMPLETED' ? EXIT.ok : EXIT.failed;
}

/**
 * The outcome a run shows. The workflow sets HrsyncOutcome on every path it can, but a run terminated,
 * timed out, or failed before its first step cannot: when the attribute still says the run is going
 * and Temporal says it closed, Temporal's status is the answer.
 */
export function settledOutcome(status: string, outcome: string | undefined): string | undefined {
  const open = outcome === undefined || outcome === 'running' || outcome === 'awaiting-approval';
  if (!open || status === 'RUNNING' || status === 'CONTINUED_AS_NEW' || status === 'COMPLETED') return outcome;
  return status.toLowerCase().replace(/_/g, '-');
}

/** The step of a run each activity is, in the words the phases use. */
const STEPS: Record<string, string> = {
  prepareRun: 'prepare (token, target capabilities)',
  planHrPage: 'reading and planning HR',
  snapshotTargetPage: 'reading target users',
  planOrphans: 'looking for users HR no longer has',
  applyChanges: 'apply: writing',
  refetchAndApply: 'apply: refetch after a version conflict',
  recordFailures: 'apply: recording failures',
  resolveReferences: 'resolving manager references',
  writeReport: 'writing the report',
};

export function stepOf(activityType: string): string {
  return STEPS[activityType] ?? activityType;
}

/** An activity Temporal is retrying: what failed last and when it tries again. */
export interface PendingRetry {
  activity: string;
  step: string;
  attempt: number;
  /** 0: unlimited. */
  maximumAttempts: number;
  lastFailure?: string;
  nextAttemptAt?: string;
}

/** "HR unreachable: ECONNREFUSED 127.0.0.1:8081, attempt 3, next in 20 s". */
export function retryLine(r: PendingRetry, now: Date = new Date()): string {
  const next = r.nextAttemptAt ? Math.max(0, Math.round((Date.parse(r.nextAttemptAt) - now.getTime()) / 1000)) : null;
  const of = r.maximumAttempts > 0 ? ` of ${r.maximumAttempts}` : '';
  return `${r.lastFailure ?? `${r.step} failed`}, attempt ${r.attempt}${of}${next === null ? ', running again now' : `, next in ${next} s`}`;
}

/** Changes that cost a write. */
export const WRITE_ACTIONS: readonly PlanAction[] = ['create', 'update', 'deactivate', 'reactivate'];

export function plannedWrites(planned: Partial<Record<PlanAction, number>>): number {
  return WRITE_ACTIONS.reduce((n, a) => n + (planned[a] ?? 0), 0);
}

type EtaProgress = Pick<Progress, 'writesRemaining'> & Partial<Pick<Progress, 'apiCalls' | 'callsToMake' | 'callsAtApply' | 'awaitingApproval'>>;

/** Target calls the run still makes: the plan's count, less what the apply pass has made (a run without the count: its writes). */
export function callsRemaining(p: EtaProgress): number {
  if (p.callsToMake === undefined) return p.writesRemaining;
  if (p.callsAtApply === undefined || p.apiCalls === undefined) return p.callsToMake;
  return Math.max(0, p.callsToMake - (p.apiCalls - p.callsAtApply));
}

/**
 * Seconds the calls still to make take: at the pacer's rate, or at the pace the writes were seen to go
 * (`observedPerSecond`, which carries the per-call latency) when that is slower. Null when nothing is
 * left, nothing bounds the pace yet, or the run waits for a person.
 */
export function etaSeconds(p: EtaProgress, ratePerMinute: number, observedPerSecond?: number): number | null {
  const remaining = callsRemaining(p);
  if (p.awaitingApproval || remaining <= 0) return null;
  const paced = ratePerMinute > 0 ? ratePerMinute / 60 : Infinity;
  const perSecond = Math.min(paced, observedPerSecond && observedPerSecond > 0 ? observedPerSecond : Infinity);
  return Number.isFinite(perSecond) ? Math.ceil(remaining / perSecond) : null;
}

/** The ETA as shown: "waiting for approval" while the run waits at the gate. */
export function etaText(p: EtaProgress, ratePerMinute: number, observedPerSecond?: number): string {
  return p.awaitingApproval ? 'waiting for approval' : formatDuration(etaSeconds(p, ratePerMinute, observedPerSecond));
}

/**
 * Watches the apply pass's calls go by, for the observed pace: calls per second since the first look at
 * the apply pass, once a few seconds have passed (before that the pacer's rate stands alone).
 */
export function paceMeter(now: () => number = Date.now): (p: Progress) => number | undefined {
  let first: { at: number; calls: number } | undefined;
  return (p) => {
    if (p.callsAtApply === undefined || p.awaitingApproval) return undefined;
    const at = now();
    first ??= { at, calls: p.apiCalls };
    const seconds = (at - first.at) / 1000;
    return seconds >= 3 && p.apiCalls > first.calls ? (p.apiCalls - first.calls) / seconds : undefined;
  };
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

export function formatCounts(counts: Partial<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, v]) => (v ?? 0) > 0)
    .map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** One line of progress for logs and non-TTY output; with what Temporal is retrying, and why. */
export function progressLine(p: Progress, ratePerMinute: number, retrying: readonly PendingRetry[] = [], observedPerSecond?: number): string {
  const applied = p.outcomes.applied ?? 0;
  const failed = (p.outcomes.failed ?? 0) + (p.outcomes.conflict ?? 0);
  return [
    p.phase,
    `pages ${p.pagesRead}`,
    `employees ${p.employeesRead}`,
    `planned ${plannedWrites(p.planned)} writes (${formatCounts(p.planned)})`,
    `applied ${applied}`,
    `failed ${failed}`,
    `api calls ${p.apiCalls}`,
    `ETA ${etaText(p, ratePerMinute, observedPerSecond)}`,
    ...(p.awaitingApproval ? ['AWAITING APPROVAL'] : []),
    ...retrying.map((r) => `retrying ${r.step}: ${retryLine(r)}`),
  ].join(' | ');
}

/** The summary as readable lines. */
export function summaryLines(s: SyncSummary): string[] {
  const lines = [
    `outcome: ${s.outcome}${s.dryRun ? ' (dry run: nothing written)' : ''}`,
    `mode: ${s.mode}; employees read: ${s.employeesRead}; rejected HR records: ${s.rejectedRecords}`,
    `planned: ${formatCounts(s.planned)}`,
    `outcomes: ${formatCounts(s.outcomes)}`,
    `API calls: ${s.apiCalls}; drift after the run: ${s.drift}`,
  ];
  if (s.gate?.required) {
    const by = s.gate.by ? ` by ${s.gate.by}` : '';
    lines.push(`gate: ${s.gate.reason}${s.gate.decision ? ` -> ${s.gate.decision}${by}${s.gate.note ? `: "${s.gate.note}"` : ''}` : ''}`);
  }
  if (s.missingGroups?.length) lines.push(`groups missing in the target (create them; Genesys can't over SCIM): ${s.missingGroups.join(', ')}`);
  for (const n of s.notices ?? []) lines.push(`target: ${n}`);
  if (s.watermark) lines.push(`next delta reads HR changes after ${s.watermark}`);
  lines.push(`report: ${s.reportPath}`);
  return lines;
}

/** How a run that has no summary ended (failed, cancelled, terminated, timed out). */
export interface EndedView {
  workflowId: string;
  status: string;
  outcome?: string;
  failure?: string;
  failedIn?: string;
  reportPath?: string;
}

/** The root cause first, then where it happened and what was left behind. */
export function endedLines(e: EndedView): string[] {
  return [
    `outcome: ${e.outcome ?? e.status.toLowerCase()} (run ${e.workflowId} ended ${e.status.toLowerCase()})`,
    ...(e.failure ? [`cause: ${e.failure}`] : []),
    ...(e.failedIn ? [`failed in: ${e.failedIn}`] : []),
    ...(e.reportPath ? [`report (partial: what was done before it stopped): ${e.reportPath}`] : []),
  ];
}

export function endedJson(e: EndedView): string {
  return JSON.stringify({
    workflowId: e.workflowId,
    status: e.status,
    outcome: e.outcome ?? e.status.toLowerCase(),
    failure: e.failure ?? null,
    failedIn: e.failedIn ?? null,
    reportPath: e.reportPath ?? null,
  });
}

/** The one-line JSON summary for scripts (`--json`). */
export function summaryJson(s: SyncSummary, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    workflowId: s.workflowId,
    outcome: s.outcome,
    mode: s.mode,
    dryRun: s.dryRun,
    planned: s.planned,
    outcomes: s.outcomes,
    employeesRead: s.employeesRead,
    rejectedRecords: s.rejectedRecords,
    apiCalls: s.apiCalls,
    drift: s.drift,
    reportPath: s.reportPath,
    watermark: s.watermark,
    ...(s.gate ? { gate: s.gate } : {}),
    ...extra,
  });
}
