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

/** Changes that cost a write. */
export const WRITE_ACTIONS: readonly PlanAction[] = ['create', 'update', 'deactivate', 'reactivate'];

export function plannedWrites(planned: Partial<Record<PlanAction, number>>): number {
  return WRITE_ACTIONS.reduce((n, a) => n + (planned[a] ?? 0), 0);
}

/** Seconds the remaining writes take at the rate budget; null when nothing is left to write. */
export function etaSeconds(progress: Pick<Progress, 'writesRemaining'>, ratePerMinute: number): number | null {
  if (progress.writesRemaining <= 0 || ratePerMinute <= 0) return null;
  return Math.ceil((progress.writesRemaining / ratePerMinute) * 60);
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

/** One line of progress for logs and non-TTY output. */
export function progressLine(p: Progress, ratePerMinute: number): string {
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
    `ETA ${formatDuration(etaSeconds(p, ratePerMinute))}`,
    ...(p.awaitingApproval ? ['AWAITING APPROVAL'] : []),
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
  if (s.gate?.required) lines.push(`gate: ${s.gate.reason}${s.gate.decision ? ` -> ${s.gate.decision}${s.gate.by ? ` by ${s.gate.by}` : ''}` : ''}`);
  if (s.missingGroups?.length) lines.push(`groups missing in the target (create them; Genesys can't over SCIM): ${s.missingGroups.join(', ')}`);
  for (const n of s.notices ?? []) lines.push(`target: ${n}`);
  if (s.watermark) lines.push(`next delta reads HR changes after ${s.watermark}`);
  lines.push(`report: ${s.reportPath}`);
  return lines;
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
