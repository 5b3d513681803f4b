import type { PlanAction } from '../domain/plan';
import type { SyncSummary } from '../workflows/contracts';
import { column, parseCsv, type ReportRow } from './csv';
import { plannedWrites, WRITE_ACTIONS } from './outcome';

export interface PlanChange {
  hrId: string;
  userId: string;
  userName: string;
  changedFields: string;
  detail: string;
}

export interface PlanView {
  workflowId: string;
  counts: Partial<Record<PlanAction, number>>;
  /** The first changes of each action, from the report rows. */
  samples: Partial<Record<string, PlanChange[]>>;
  /** Writes the plan needs: one per create, update, deactivate and reactivate. */
  writes: number;
  /** Target calls writing it takes: the writes, group and manager PATCHes, the apply pass's reads (the writes, for runs that don't count them). */
  calls: number;
  /** API calls the dry run itself used (reads). */
  readCalls: number;
  ratePerMinute: number;
  /** Minutes the calls take at the rate budget. */
  minutesAtRate: number;
  reportPath: string;
  gate?: SyncSummary['gate'];
  /** What the target doesn't take: mapped attributes it doesn't support, filters and operations it refused. */
  target: string[];
}

/** The plan of a dry run: its summary's counts, and the first `firstN` rows of each action in its report. */
export function buildPlanView(summary: SyncSummary, csv: string | null, ratePerMinute: number, firstN = 10): PlanView {
  const rows: ReportRow[] = csv ? parseCsv(csv) : [];
  const samples: Partial<Record<string, PlanChange[]>> = {};
  for (const row of rows) {
    const action = column(row, 'action', 'planned_action', 'planned action');
    if (!action || action === 'none') continue;
    const list = (samples[action] ??= []);
    if (list.length >= firstN) continue;
    list.push({
      hrId: column(row, 'hr_id', 'HR id'),
      userId: column(row, 'user_id', 'target user id', 'userId'),
      userName: column(row, 'userName', 'user_name'),
      changedFields: column(row, 'changed_fields', 'changed fields'),
      detail: column(row, 'error', 'error detail', 'reason'),
    });
  }
  const writes = plannedWrites(summary.planned);
  const calls = summary.callsToMake ?? writes;
  return {
    workflowId: summary.workflowId,
    counts: summary.planned,
    samples,
    writes,
    calls,
    readCalls: summary.apiCalls,
    ratePerMinute,
    minutesAtRate: ratePerMinute > 0 ? calls / ratePerMinute : 0,
    reportPath: summary.reportPath,
    ...(summary.gate ? { gate: summary.gate } : {}),
    target: summary.notices ?? [],
  };
}

export function planLines(view: PlanView): string[] {
  const order = [...WRITE_ACTIONS, 'skip', 'defer', 'none'] as const;
  const lines = ['Plan (dry run, nothing written):'];
  for (const a of order) lines.push(`  ${a.padEnd(10)} ${view.counts[a] ?? 0}`);
  for (const [action, changes] of Object.entries(view.samples)) {
    if (!changes?.length) continue;
    lines.push('', `First ${changes.length} ${action}:`);
    for (const c of changes) {
      const who = [c.hrId && `HR ${c.hrId}`, c.userName, c.userId && `user ${c.userId}`].filter(Boolean).join('  ');
      const what = [c.changedFields && `fields: ${c.changedFields}`, c.detail].filter(Boolean).join('; ');
      lines.push(`  ${who}${what ? `  (${what})` : ''}`);
    }
  }
  const minutes = view.minutesAtRate;
  const time = minutes < 1 ? `${Math.ceil(minutes * 60)} s` : `${minutes.toFixed(1)} min`;
  lines.push(
    '',
    `API calls needed: about ${view.calls} for ${view.writes} writes (with group and manager PATCHes and the reads again before writing), at ${view.ratePerMinute}/min: ${time} (the plan itself used ${view.readCalls} calls)`,
  );
  if (view.gate?.required) lines.push(`The deactivation gate would stop this run for approval: ${view.gate.reason}`);
  if (view.target.length) lines.push('', 'What the target does not take (left out of every write):', ...view.target.map((n) => `  ${n}`));
  lines.push(`Report: ${view.reportPath}`);
  return lines;
}
