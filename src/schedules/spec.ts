import type { CalendarSpec, ScheduleOptions, ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { SA } from '../temporal/searchattributes';
import { UsageError } from '../runs/outcome';
import type { SyncMode } from '../workflows/contracts';

/**
 * The two schedules of one target, as plain data (no client calls here): a delta every few minutes
 * and a full run once a day at a wall-clock time in a time zone.
 */

export const SCHEDULE_DEFAULTS = {
  deltaEvery: '15m',
  fullAt: '02:00',
  timezone: 'UTC',
  /** After an outage, start a missed run only if it is at most this late; the next tick covers the rest. */
  catchupWindow: '10m',
  /** Deltas are not started in this window after the full run's time: the full run covers them. */
  fullQuiet: '1h',
} as const;

export type ScheduleKind = SyncMode;
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['delta', 'full'];

export interface ScheduleParams {
  /** The target (org) name: schedule ids and workflow ids carry it. */
  target: string;
  taskQueue: string;
  deltaEvery?: string;
  /** HH:MM, 24-hour clock, in `timezone`. */
  fullAt?: string;
  /** IANA name, e.g. Europe/Berlin. */
  timezone?: string;
  /** Random delay added to each start (e.g. 1m), so many targets don't hit HR at the same second. */
  jitter?: string;
  catchupWindow?: string;
  /** Length of the delta quiet window from `fullAt`; "0" turns it off. */
  fullQuiet?: string;
  /** Create the schedules paused. */
  paused?: boolean;
}

export class ScheduleSpecError extends UsageError {
  constructor(readonly option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'ScheduleSpecError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h30m", "1d", or "0" to milliseconds. */
export function parseDuration(text: string, option = 'duration'): number {
  const t = text.trim();
  if (t === '0') return 0;
  if (!/^(\d+[smhd])+$/.test(t)) throw new ScheduleSpecError(option, `expected a duration like 30s, 15m, 1h or 1h30m, got "${text}"`);
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNIT_MS[unit];
  return ms;
}

export function parseTimeOfDay(text: string, option = '--full-at'): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  if (!m || hour > 23 || minute > 59) throw new ScheduleSpecError(option, `expected a time of day HH:MM (00:00-23:59), got "${text}"`);
  return { hour, minute };
}

export function checkTimezone(tz: string, option = '--timezone'): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ScheduleSpecError(option, `unknown IANA time zone "${tz}" (e.g. Europe/Berlin, America/New_York, UTC)`);
  }
  return tz;
}

export function scheduleId(target: string, kind: ScheduleKind): string {
  return `hrsync-${target}-${kind}`;
}

/** Calendar specs matching every second of [start, start + length) each day, hour by hour, across midnight. */
export function dailyWindow(start: { hour: number; minute: number }, lengthMs: number, comment: string): CalendarSpec[] {
  const minutes = Math.min(24 * 60, Math.ceil(lengthMs / 60_000));
  if (minutes <= 0) return [];
  const from = start.hour * 60 + start.minute;
  const byHour = new Map<number, { start: number; end: number }>();
  for (let t = from; t < from + minutes; t++) {
    const hour = Math.floor(t / 60) % 24;
    const minute = t % 60;
    const seg = byHour.get(hour);
    if (!seg) byHour.set(hour, { start: minute, end: minute });
    else {
      seg.start = Math.min(seg.start, minute);
      seg.end = Math.max(seg.end, minute);
    }
  }
  return [...byHour.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hour, seg]) => ({
      hour,
      minute: seg.start === 0 && seg.end === 59 ? '*' : { start: seg.start, end: seg.end },
      second: '*',
      comment,
    }));
}

function action(p: ScheduleParams, kind: ScheduleKind): ScheduleOptionsStartWorkflowAction<Workflow> {
  return {
    type: 'startWorkflow',
    workflowType: 'syncWorkflow',
    taskQueue: p.taskQueue,
    args: [{ mode: kind }],
    // Temporal appends the scheduled time: hrsync-acme-delta-2026-11-26T17:45:00Z.
    workflowId: scheduleId(p.target, kind),
    typedSearchAttributes: [
      { key: SA.target, value: p.target },
      { key: SA.mode, value: kind },
      { key: SA.outcome, value: 'running' },
    ],
    staticSummary: `hrsync ${kind} sync of ${p.target} (scheduled)`,
  };
}

/**
 * The delta and full schedules for a target.
 * - Overlap SKIP: while a run of a schedule is still going, that schedule's next start is skipped.
 * - SKIP is per schedule, so the delta schedule also skips the `fullQuiet` window after the full
 *   run's time, which keeps a delta from starting next to the daily full run.
 * - `catchupWindow` is explicit: the SDK default (one year) would replay a long outage's worth of runs.
 */
export function buildSchedules(p: ScheduleParams): Record<ScheduleKind, ScheduleOptions> {
  const deltaEvery = parseDuration(p.deltaEvery ?? SCHEDULE_DEFAULTS.deltaEvery, '--delta-every');
  if (deltaEvery < 60_000) throw new ScheduleSpecError('--delta-every', 'must be at least 1m');
  const fullAt = parseTimeOfDay(p.fullAt ?? SCHEDULE_DEFAULTS.fullAt);
  const timezone = checkTimezone(p.timezone ?? SCHEDULE_DEFAULTS.timezone);
  const catchupWindow = parseDuration(p.catchupWindow ?? SCHEDULE_DEFAULTS.catchupWindow, '--catchup-window');
  if (catchupWindow < 10_000) throw new ScheduleSpecError('--catchup-window', 'must be at least 10s (the server minimum)');
  const jitter = p.jitter === undefined ? undefined : parseDuration(p.jitter, '--jitter');
  if (jitter !== undefined && jitter >= deltaEvery) throw new ScheduleSpecError('--jitter', 'must be shorter than --delta-every');
  const quiet = parseDuration(p.fullQuiet ?? SCHEDULE_DEFAULTS.fullQuiet, '--full-quiet');
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(p.target)) throw new ScheduleSpecError('--target', 'use 1-40 letters, digits, dot, dash or underscore');

  const policies = { overlap: 'SKIP', catchupWindow, pauseOnFailure: false } as const;
  const state = { paused: Boolean(p.paused), note: p.paused ? 'created paused' : undefined };
  const hhmm = `${String(fullAt.hour).padStart(2, '0')}:${String(fullAt.minute).padStart(2, '0')}`;
  // The two differ only in when they fire.
  const schedule = (kind: ScheduleKind, when: ScheduleOptions['spec']): ScheduleOptions => ({
    scheduleId: scheduleId(p.target, kind),
    spec: { ...when, timezone, ...(jitter ? { jitter } : {}) },
    action: action(p, kind),
    policies,
    state,
    typedSearchAttributes: [{ key: SA.target, value: p.target }, { key: SA.mode, value: kind }],
  });
  return {
    delta: schedule('delta', { intervals: [{ every: deltaEvery }], skip: dailyWindow(fullAt, quiet, `full run of ${p.target} at ${hhmm} ${timezone}`) }),
    full: schedule('full', { calendars: [{ hour: fullAt.hour, minute: fullAt.minute, comment: `daily full run at ${hhmm}` }] }),
  };
}
