import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PlannedChange } from '../../src/domain/plan';
import type { ApplyResult, HrPageResult, OrphanPage, PagePlan, ReportResult, RunFacts } from '../../src/workflows/contracts';

/**
 * Small stand-ins for the sync activities, so the ops commands can be tested against the real
 * workflow on a real dev server without the simulators. Behaviour is chosen per target, which is
 * the second word of the workflow id (hrsync-<target>-...).
 */
export interface Behaviour {
  employees: number;
  /** How many of them the plan deactivates (past the gate's 25 against a population of 100, the run waits). */
  deactivate?: number;
  /** While set, the plan pass blocks until it resolves (a long run). */
  hold?: Promise<void>;
}

export interface Fakes {
  activities: Record<string, (...args: never[]) => Promise<unknown>>;
  behaviours: Map<string, Behaviour>;
  /** Changes applied per workflow id: proves what was written, and when. */
  writes: Map<string, number>;
}

export function targetOf(workflowId: string): string {
  return /^hrsync-([^-]+)-/.exec(workflowId)?.[1] ?? 'unknown';
}

export function deferred(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

/**
 * `realNames` are the worker's activity names: any the fakes don't cover fails at once, non-retryable,
 * so a workflow change shows up as a clear test failure rather than minutes of retries.
 */
export function createFakes(reportDir: string, realNames: string[] = []): Fakes {
  const behaviours = new Map<string, Behaviour>();
  const writes = new Map<string, number>();
  const wfId = () => Context.current().info.workflowExecution?.workflowId ?? 'unknown';
  const behaviour = () => behaviours.get(targetOf(wfId())) ?? { employees: 3 };
  mkdirSync(reportDir, { recursive: true });

  const activities = {
    async prepareRun(input: { mode: string; since: string | null }): Promise<RunFacts> {
      return {
        targetName: targetOf(wfId()),
        profile: 'genesys',
        bulk: { supported: false, maxOperations: 0 },
        chunkSize: 50,
        conflictRetries: 2,
        gate: { maxCount: 25, maxPercent: 50, timeoutSeconds: 300 },
        today: '2026-11-26',
        population: 100,
        groupIds: {},
        missingGroups: [],
        runToken: 'fake',
        // A delta reads from a watermark, as if the target had synced before (a first delta would run as full).
        updatedAfter: input.since ?? (input.mode === 'delta' ? '2026-11-25T00:00:00.000Z' : null),
        watermarkOverlapMs: 0,
      };
    },
    async snapshotTargetPage(): Promise<{ nextCursor: string | null; users: number; apiCalls: number }> {
      return { nextCursor: null, users: 0, apiCalls: 1 };
    },
    async planOrphans(): Promise<OrphanPage> {
      return { changes: [], counts: {}, deactivations: [], apiCalls: 0, nextOffset: null };
    },
    async readHrPage(): Promise<HrPageResult> {
      const n = behaviour().employees;
      const employees = Array.from({ length: n }, (_, i) => ({ id: `E${i + 1}`, updated_at: '2026-11-26T10:00:00Z' }));
      return { employees: employees as unknown as HrPageResult['employees'], rejected: [], duplicates: [], nextCursor: null, highWaterMark: '2026-11-26T10:00:00Z', apiCalls: 1 };
    },
    async planPage(input: { pass: string; employees: { id: string }[] }): Promise<PagePlan> {
      const b = behaviour();
      if (input.pass === 'plan' && b.hold) await b.hold;
      const changes = input.employees.map((e, i) => ({
        hrId: e.id,
        action: i < (b.deactivate ?? 0) ? 'deactivate' : 'create',
        operations: [],
        groupChanges: { add: [], remove: [] },
        changedFields: ['userName', 'title'],
        warnings: [],
      })) as unknown as PlannedChange[];
      const counts: PagePlan['counts'] = {};
      for (const c of changes) counts[c.action] = (counts[c.action] ?? 0) + 1;
      const deactivations = changes.filter((c) => c.action === 'deactivate').map((c) => ({ hrId: c.hrId, reason: 'terminated' }));
      return { changes, counts, deactivations, apiCalls: 1 };
    },
    async applyChanges(input: { changes: PlannedChange[] }): Promise<ApplyResult> {
      writes.set(wfId(), (writes.get(wfId()) ?? 0) + input.changes.length);
      return { outcomes: { applied: input.changes.length }, conflicts: [], failedHrIds: [], apiCalls: input.changes.length };
    },
    async applyManagersFirst() {
      return { outcomes: {}, conflicts: [], failedHrIds: [], apiCalls: 0, nextOffset: null, oldestFailure: null, oldestPendingReference: null, writes: 0 };
    },
    async applyMemberships() {
      return { failed: [], groups: 0, apiCalls: 0 };
    },
    async resolveReferences() {
      return { resolved: 0, failed: 0, apiCalls: 0 };
    },
    async writeReport(input: { runKey: string; final: boolean }): Promise<ReportResult> {
      const b = behaviour();
      const applied = writes.get(wfId()) ?? 0;
      const outcome = applied > 0 ? 'applied' : 'planned';
      const rows = Array.from({ length: b.employees }, (_, i) => {
        const action = i < (b.deactivate ?? 0) ? 'deactivate' : 'create';
        return `E${i + 1},${applied ? `u${i + 1}` : ''},person${i + 1}@example.com,${action},${outcome},${applied ? 201 : ''},"userName,title",,`;
      });
      const reportPath = path.join(reportDir, `${input.runKey}.csv`);
      writeFileSync(reportPath, ['hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error', ...rows].join('\n') + '\n');
      return { reportPath, rows: rows.length, drift: 0, outcomes: { [outcome]: b.employees } };
    },
  };
  const unfaked = Object.fromEntries(
    realNames
      .filter((n) => !(n in activities))
      .map((n) => [n, async () => { throw ApplicationFailure.nonRetryable(`activity ${n} is not faked in test/ops/fakes.ts`, 'not-faked'); }]),
  );
  return { activities: { ...unfaked, ...activities } as unknown as Fakes['activities'], behaviours, writes };
}
