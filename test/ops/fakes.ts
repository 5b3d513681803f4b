import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ChunkResult, HrPagePlan, ManagersFirstResult, OrphanPage, ReportResult, RunFacts } from '../../src/workflows/contracts';

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
      return { counts: {}, deactivations: [], writes: 0, deactivating: 0, chunks: 0, waves: [], callsToMake: 0, groupMembers: {}, apiCalls: 0, nextOffset: null };
    },
    async planHrPage(input: { pass: string; previewRoom: number }): Promise<HrPagePlan> {
      const b = behaviour();
      if (input.pass === 'plan' && b.hold) await b.hold;
      const n = b.employees;
      const deactivate = Math.min(n, b.deactivate ?? 0);
      const counts: HrPagePlan['counts'] = { ...(deactivate ? { deactivate } : {}), ...(n > deactivate ? { create: n - deactivate } : {}) };
      const deactivations = Array.from({ length: Math.min(deactivate, input.previewRoom) }, (_, i) => ({ hrId: `E${i + 1}`, reason: 'terminated' }));
      // One chunk holds the page's changes (see applyChanges).
      return { counts, deactivations, writes: n, deactivating: deactivate, chunks: n > 0 ? 1 : 0, waves: n > 0 ? [1] : [], callsToMake: n, groupMembers: {}, employees: n, rejected: 0, nextCursor: null, highWaterMark: '2026-11-26T10:00:00Z', apiCalls: 2 };
    },
    async applyChanges(): Promise<ChunkResult> {
      const n = behaviour().employees;
      writes.set(wfId(), (writes.get(wfId()) ?? 0) + n);
      return { outcomes: { applied: n }, conflicts: [], writes: n, oldestFailure: null, oldestPendingReference: null, apiCalls: n };
    },
    async applyManagersFirst(): Promise<ManagersFirstResult> {
      return { outcomes: {}, conflicts: [], apiCalls: 0, nextOffset: null, oldestFailure: null, oldestPendingReference: null, writes: 0 };
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
