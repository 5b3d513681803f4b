/** What the benchmarks measure, independently of hrsync's own counters: the simulators' state and stats, and the stored history. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Simulators } from '../sim';

/** Users and group memberships, attributes only (versions and timestamps left out). */
export interface TargetState {
  users: Map<string, string>;
  members: Map<string, string>;
}

export function targetState(sims: Simulators): TargetState {
  const users = new Map(sims.scim.users().map(({ meta: _meta, ...u }) => [u.id, JSON.stringify(u)]));
  const members = new Map(sims.scim.groups().map((g) => [g.id, (g.members ?? []).map((m) => m.value).sort().join(',')]));
  return { users, members };
}

/** Users created or whose attributes changed, and groups whose membership changed, between two states. */
export function changedBetween(before: TargetState, after: TargetState): { users: number; groups: number } {
  let users = 0;
  for (const [id, u] of after.users) if (before.users.get(id) !== u) users++;
  let groups = 0;
  for (const [id, m] of after.members) if (before.members.get(id) !== m) groups++;
  return { users, groups };
}

/** Version of each user, to tell which were written at all (a no-op write still bumps it). */
export function versions(sims: Simulators): Map<string, string | undefined> {
  return new Map(sims.scim.users().map((u) => [u.id, u.meta?.version]));
}

/**
 * Bytes of history the server stores for the whole chain of a workflow id (every run continued as new),
 * protobuf-encoded; read a page of events at a time, since a whole history can exceed a gRPC message.
 */
export async function historyBytes(client: Client, workflowId: string): Promise<{ bytes: number; runs: number; events: number }> {
  let bytes = 0;
  let events = 0;
  const runs = new Set<string>();
  for await (const { runId, events: page } of historyPages(client, workflowId, 200)) {
    runs.add(runId);
    bytes += temporal.api.history.v1.History.encode({ events: page }).finish().length;
    events += page.length;
  }
  return { bytes, runs: runs.size, events };
}

/** The events of every run of a workflow id's chain, a page at a time (a whole history can exceed a gRPC message). */
async function* historyPages(client: Client, workflowId: string, pageSize: number): AsyncGenerator<{ runId: string; events: temporal.api.history.v1.IHistoryEvent[] }> {
  for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await client.workflowService.getWorkflowExecutionHistory({
        namespace: client.options.namespace,
        execution: { workflowId, runId: wf.runId },
        maximumPageSize: pageSize,
        nextPageToken,
      });
      yield { runId: wf.runId, events: page.history?.events ?? [] };
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }
}

/** API requests the SCIM simulator answered since `before` (every request counts: reads, writes, token). */
export function callsSince(sims: Simulators, before: { total: number; writes: number }): { calls: number; writes: number } {
  const now = sims.scim.stats();
  return { calls: now.total - before.total, writes: now.writes - before.writes };
}

type Counted = Pick<ReturnType<Simulators['scim']['stats']>, 'byRoute' | 'byFilter'>;

const since = (now: Record<string, number>, before: Record<string, number>) =>
  Object.entries(now)
    .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
    .filter(([, n]) => n > 0);

/** What kind of call a route is (`GET /users/:id 200` -> `user GETs`), for the breakdown. */
function kindOfRoute(route: string): string {
  const [method, path, status] = route.split(' ');
  const failed = /^[45]|dropped/.test(status) ? ` (answered ${status})` : '';
  if (path === '/oauth/token') return 'token';
  if (/^\/(serviceproviderconfig|schemas|resourcetypes)/i.test(path)) return `discovery${failed}`;
  if (path === '/users' && method === 'GET') return `user lists without a filter (pages)${failed}`;
  if (path === '/users/:id' && method === 'GET') return `user GETs${failed}`;
  if (path.startsWith('/users') || path === '/bulk') return `user writes (${method})${failed}`;
  if (method === 'GET') return `group reads${failed}`;
  return `group writes (${method})${failed}`;
}

/**
 * A lookup's filter shape, with the terms of an `or` counted rather than spelled:
 * `externalId eq "…" or externalId eq "…"` is `externalId eq "…", or-joined`.
 */
function lookupKind(shape: string): string {
  const inactive = / and active eq false$/.test(shape);
  const terms = shape.replace(/ and active eq false$/, '').replace(/^\((.*)\)$/, '$1').split(' or ');
  if (terms.length === 1) return shape;
  const keys = [...new Set(terms.map((t) => t.split(' ')[0]))];
  return `${keys.map((k) => `${k} eq "…"`).join(' | ')}, or-joined${inactive ? ', and active eq false' : ''}`;
}

/**
 * A run's calls by kind: each filter shape of the user lookups on its own line (by externalId, the
 * `and active eq false` retries, ...), then the other calls by kind. Largest first; the counts add up to the run's calls.
 */
export function callBreakdown(before: Counted, after: Counted): [string, number][] {
  const kinds = new Map<string, number>();
  const add = (k: string, n: number) => kinds.set(k, (kinds.get(k) ?? 0) + n);
  const routes = new Map(since(after.byRoute, before.byRoute));
  for (const [key, n] of since(after.byFilter, before.byFilter)) {
    const status = key.slice(key.lastIndexOf(' ') + 1);
    const [method, path] = key.split(' ', 2);
    // Counted by route too, as a list: counted here instead.
    const route = `${method} ${path} ${status}`;
    routes.set(route, (routes.get(route) ?? 0) - n);
    if (method !== 'GET' || path !== '/users') {
      add(kindOfRoute(route), n);
      continue;
    }
    const shape = key.slice(`${method} ${path} `.length, key.lastIndexOf(' '));
    add(`user lookups: ${lookupKind(shape)}${status === '200' ? '' : ` (answered ${status})`}`, n);
  }
  for (const [route, n] of routes) if (n > 0) add(kindOfRoute(route), n);
  return [...kinds].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** One activity of a run, as its history has it: its step (the summary the workflow gave it) and when it ran. */
export interface ActivitySpan {
  type: string;
  summary: string;
  scheduled: number;
  started: number;
  closed: number;
}

const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : NaN;

/** Every activity of the whole chain of a workflow id, in the order they were scheduled. */
export async function activitySpans(client: Client, workflowId: string): Promise<ActivitySpan[]> {
  const spans: ActivitySpan[] = [];
  // Event ids are per run: each run's activities are looked up in its own map.
  const byRun = new Map<string, Map<string, ActivitySpan>>();
  for await (const { runId, events } of historyPages(client, workflowId, 1000)) {
    const byId = byRun.get(runId) ?? new Map<string, ActivitySpan>();
    byRun.set(runId, byId);
    for (const e of events) {
      const at = millis(e.eventTime);
      const id = String(e.eventId);
      if (e.activityTaskScheduledEventAttributes) {
        const data = e.userMetadata?.summary?.data;
        const summary = data ? String(JSON.parse(Buffer.from(data).toString('utf8'))) : '';
        const span = { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', summary, scheduled: at, started: NaN, closed: NaN };
        byId.set(id, span);
        spans.push(span);
      }
      const started = e.activityTaskStartedEventAttributes;
      if (started) (byId.get(String(started.scheduledEventId)) as ActivitySpan).started = at;
      const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
      if (closed) (byId.get(String(closed.scheduledEventId)) as ActivitySpan).closed = at;
    }
  }
  return spans.sort((a, b) => a.scheduled - b.scheduled);
}

/**
 * Where a phase of a run spends its time, from its activities: the phase's wall time, the time its
 * activities ran (added up, so overlapping ones count twice), their wait to start, and the workflow's own
 * turns (from one activity's end to the next one's scheduling, where nothing ran).
 */
export function phaseSplit(spans: readonly ActivitySpan[], name: string, inPhase: (s: ActivitySpan) => boolean): string[] {
  const phase = spans.filter(inPhase);
  if (phase.length === 0) return [];
  const wall = Math.max(...phase.map((s) => s.closed)) - phase[0].scheduled;
  const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
  const byType = new Map<string, { n: number; ran: number; waited: number; spans: number[] }>();
  for (const s of phase) {
    const t = byType.get(s.type) ?? { n: 0, ran: 0, waited: 0, spans: [] };
    t.n += 1;
    t.ran += s.closed - s.started;
    t.waited += s.started - s.scheduled;
    t.spans.push(s.closed - s.started);
    byType.set(s.type, t);
  }
  // Whether an activity costs more as the run goes on: its mean in the phase's first and last tenth.
  const tenths = (spans: number[]) => {
    const k = Math.max(1, Math.floor(spans.length / 10));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return `first tenth ${ms(mean(spans.slice(0, k)))}, last ${ms(mean(spans.slice(-k)))}`;
  };
  // Idle: nothing of the phase running nor waiting to start.
  let idle = 0;
  let busyUntil = phase[0].scheduled;
  for (const s of phase) {
    if (s.scheduled > busyUntil) idle += s.scheduled - busyUntil;
    busyUntil = Math.max(busyUntil, s.closed);
  }
  return [
    `${name}: ${ms(wall)} wall, ${ms(idle)} with no activity in flight (workflow turns)`,
    ...[...byType].map(([type, t]) => `  ${type}: ${t.n} × ${ms(t.ran / t.n)} ran (${ms(t.ran)} in all; ${tenths(t.spans)}), ${ms(t.waited / t.n)} waited to start`),
  ];
}
