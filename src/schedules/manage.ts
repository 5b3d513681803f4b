import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { settledOutcome, UsageError } from '../runs/outcome';
import { SA } from '../temporal/searchattributes';
import { buildSchedules, SCHEDULE_KINDS, scheduleId, type ScheduleKind, type ScheduleParams } from './spec';

/** Which of a target's schedules a command acts on. */
export type Which = ScheduleKind | 'all';

export function kindsOf(which: Which = 'all'): ScheduleKind[] {
  if (which === 'all') return [...SCHEDULE_KINDS];
  if (!SCHEDULE_KINDS.includes(which)) throw new UsageError(`expected delta, full or all, got "${String(which)}"`);
  return [which];
}

export class ScheduleCommandError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleCommandError';
  }
}

function notFound(target: string, kind: ScheduleKind): ScheduleCommandError {
  return new ScheduleCommandError(`no ${kind} schedule for ${target} (id ${scheduleId(target, kind)}); create it with \`hrsync schedule create\``);
}

async function onEach<T>(client: Client, target: string, which: Which, fn: (id: string, kind: ScheduleKind) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const kind of kindsOf(which)) {
    try {
      out.push(await fn(scheduleId(target, kind), kind));
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw notFound(target, kind);
      throw err;
    }
  }
  return out;
}

/** Creates the target's delta and full schedules. Returns their ids. */
export async function createSchedules(client: Client, params: ScheduleParams, which: Which = 'all'): Promise<string[]> {
  const specs = buildSchedules(params);
  const created: string[] = [];
  for (const kind of kindsOf(which)) {
    try {
      await client.schedule.create(specs[kind]);
      created.push(specs[kind].scheduleId);
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) {
        throw new ScheduleCommandError(`schedule ${specs[kind].scheduleId} already exists; change it with \`hrsync schedule update\`${created.length ? ` (created: ${created.join(', ')})` : ''}`);
      }
      throw err;
    }
  }
  return created;
}

/** Replaces the spec, action and policies of existing schedules (keeps their paused state and note). */
export async function updateSchedules(client: Client, params: ScheduleParams, which: Which = 'all'): Promise<string[]> {
  const specs = buildSchedules(params);
  return onEach(client, params.target, which, async (id, kind) => {
    const next = specs[kind];
    await client.schedule.getHandle(id).update((prev) => ({
      spec: next.spec,
      action: next.action,
      policies: next.policies,
      typedSearchAttributes: next.typedSearchAttributes,
      state: { paused: params.paused ?? prev.state.paused, note: prev.state.note, remainingActions: prev.state.remainingActions },
    }));
    return id;
  });
}

export interface RecentRun {
  workflowId: string;
  scheduledAt: Date;
  takenAt: Date;
  /** Workflow status (RUNNING, COMPLETED, FAILED...), when the run can still be described. */
  status?: string;
  /** HrsyncOutcome of the run. */
  outcome?: string;
}

export interface ScheduleView {
  scheduleId: string;
  kind: ScheduleKind;
  paused: boolean;
  note?: string;
  timezone?: string;
  /** Human summary of when it runs. */
  when: string;
  overlap: string;
  catchupWindowMs: number;
  jitterMs?: number;
  nextRuns: Date[];
  recent: RecentRun[];
  running: string[];
  actionsTaken: number;
  skippedOverlap: number;
  missedCatchupWindow: number;
}

function describeWhen(d: ScheduleDescription): string {
  const parts: string[] = [];
  for (const i of d.spec.intervals ?? []) parts.push(`every ${Math.round(Number(i.every) / 60_000)}m`);
  for (const c of d.spec.calendars ?? []) {
    const hh = c.hour.map((r) => String(r.start).padStart(2, '0')).join(',');
    const mm = c.minute.map((r) => String(r.start).padStart(2, '0')).join(',');
    parts.push(`daily at ${hh}:${mm}`);
  }
  if (d.spec.skip?.length) parts.push(`except ${d.spec.skip.length} daily window(s) (${d.spec.skip[0].comment ?? 'skip'})`);
  return parts.join(' ') || 'no times';
}

/** Next run times, recent runs with their outcome (from each run's search attributes), counters. */
export async function describeSchedules(client: Client, target: string, which: Which = 'all', recentLimit = 5): Promise<ScheduleView[]> {
  return onEach(client, target, which, async (id, kind) => {
    const d = await client.schedule.getHandle(id).describe();
    const recent: RecentRun[] = [];
    for (const a of d.info.recentActions.slice(-recentLimit).reverse()) {
      const run: RecentRun = { workflowId: a.action.workflow.workflowId, scheduledAt: a.scheduledAt, takenAt: a.takenAt };
      try {
        const wf = await client.workflow.getHandle(run.workflowId).describe();
        run.status = wf.status.name;
        run.outcome = settledOutcome(wf.status.name, wf.typedSearchAttributes.get(SA.outcome));
      } catch {
        // Past the namespace's retention: only the schedule remembers it.
      }
      recent.push(run);
    }
    return {
      scheduleId: id,
      kind,
      paused: d.state.paused,
      note: d.state.note,
      timezone: d.spec.timezone,
      when: describeWhen(d),
      overlap: d.policies.overlap ?? 'SKIP',
      catchupWindowMs: d.policies.catchupWindow,
      jitterMs: d.spec.jitter,
      nextRuns: d.info.nextActionTimes.slice(0, 5),
      recent,
      running: d.info.runningActions.map((r) => r.workflow.workflowId),
      actionsTaken: d.info.numActionsTaken,
      skippedOverlap: d.info.numActionsSkippedOverlap,
      missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    };
  });
}

export interface ScheduleListing {
  scheduleId: string;
  target?: string;
  mode?: string;
  paused: boolean;
  nextRun?: Date;
  lastRun?: string;
}

/** Every hrsync schedule in the namespace (ids start with hrsync-). Listing is eventually consistent. */
export async function listSchedules(client: Client): Promise<ScheduleListing[]> {
  const out: ScheduleListing[] = [];
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith('hrsync-')) continue;
    out.push({
      scheduleId: s.scheduleId,
      target: s.typedSearchAttributes?.get(SA.target),
      mode: s.typedSearchAttributes?.get(SA.mode),
      paused: s.state.paused,
      nextRun: s.info.nextActionTimes[0],
      lastRun: s.info.recentActions.at(-1)?.action.workflow.workflowId,
    });
  }
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export function pauseSchedules(client: Client, target: string, which: Which = 'all', note = 'paused with hrsync schedule pause'): Promise<string[]> {
  return onEach(client, target, which, async (id) => {
    await client.schedule.getHandle(id).pause(note);
    return id;
  });
}

export function unpauseSchedules(client: Client, target: string, which: Which = 'all', note = 'unpaused with hrsync schedule unpause'): Promise<string[]> {
  return onEach(client, target, which, async (id) => {
    await client.schedule.getHandle(id).unpause(note);
    return id;
  });
}

/**
 * Starts one run now, under the schedule's overlap policy: SKIP, so nothing starts while the
 * schedule's previous run is still going. (The SDK's default for trigger is ALLOW_ALL; we never want it.)
 */
export function triggerSchedule(client: Client, target: string, kind: ScheduleKind): Promise<string[]> {
  return onEach(client, target, kind, async (id) => {
    await client.schedule.getHandle(id).trigger('SKIP');
    return id;
  });
}

/** Takes the actions the schedule would have taken between start and end (e.g. after an outage longer than the catch-up window). */
export function backfillSchedule(client: Client, target: string, kind: ScheduleKind, start: Date, end: Date): Promise<string[]> {
  if (!(start < end)) throw new ScheduleCommandError('backfill: --start must be before --end');
  return onEach(client, target, kind, async (id) => {
    await client.schedule.getHandle(id).backfill({ start, end, overlap: 'SKIP' });
    return id;
  });
}

/** Deletes the schedules (runs they started are not affected). */
export function deleteSchedules(client: Client, target: string, which: Which = 'all'): Promise<string[]> {
  return onEach(client, target, which, async (id) => {
    await client.schedule.getHandle(id).delete();
    return id;
  });
}
