import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ActivityFailure, ApplicationFailure, CancelledFailure, TerminatedFailure, WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { reportFile } from '../activities/report';
import { rootMessage } from '../temporal/rootmessage';
import { SA } from '../temporal/searchattributes';
import { REPORT_FAILED, type Progress, type SyncSummary } from '../workflows/contracts';
import type { PendingApproval } from '../workflows/sync';
import { settledOutcome, stepOf, type PendingRetry } from './outcome';

export type RunState = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'UNKNOWN' | 'UNSPECIFIED' | 'PAUSED';

/** What visibility (search attributes) says about a run: no PII, just names and counts. */
export interface RunListing {
  workflowId: string;
  runId: string;
  status: RunState;
  startTime: Date;
  closeTime?: Date;
  target?: string;
  mode?: string;
  outcome?: string;
  awaitingApproval?: boolean;
  planned?: number;
  failed?: number;
  drift?: number;
  watermark?: Date;
}

export interface RunStatus extends RunListing {
  historyLength: number;
  /** From the `progress` query while the run is open (null when no worker answered in time). */
  progress: Progress | null;
  pendingApproval: PendingApproval | null;
  /** Activities Temporal is retrying while the run is open, with their last failure. */
  retrying: PendingRetry[];
  /** The result, once the run completed. */
  summary?: SyncSummary;
  /** Why the run failed, when it did: the root cause, the step it failed in, and its (partial) report. */
  failure?: string;
  failedIn?: string;
  reportPath?: string;
}

export class RunNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`no run with id ${workflowId}`);
    this.name = 'RunNotFoundError';
  }
}

function listingOf(wf: {
  workflowId: string;
  runId: string;
  status: { name: string };
  startTime: Date;
  closeTime?: Date;
  typedSearchAttributes: { get<T>(key: { name: string; type: string; __valueType?: T }): unknown };
}): RunListing {
  const sa = wf.typedSearchAttributes;
  const get = <T>(key: (typeof SA)[keyof typeof SA]) => sa.get(key) as T | undefined;
  return {
    workflowId: wf.workflowId,
    runId: wf.runId,
    status: wf.status.name as RunState,
    startTime: wf.startTime,
    closeTime: wf.closeTime,
    target: get<string>(SA.target),
    mode: get<string>(SA.mode),
    outcome: settledOutcome(wf.status.name, get<string>(SA.outcome)),
    awaitingApproval: get<boolean>(SA.awaitingApproval),
    planned: get<number>(SA.planned),
    failed: get<number>(SA.failed),
    drift: get<number>(SA.drift),
    watermark: get<Date>(SA.watermark),
  };
}

export interface ListRunsOptions {
  limit?: number;
  target?: string;
  /** Extra visibility filter, ANDed (e.g. "ExecutionStatus = 'Running'"). */
  where?: string;
}

function quote(value: string): string {
  return `'${value.replace(/['\\]/g, '')}'`;
}

/** Recent sync runs, newest first, from Temporal visibility (eventually consistent: a run just started may be missing). */
export async function listRuns(client: Client, opts: ListRunsOptions = {}): Promise<RunListing[]> {
  const limit = opts.limit ?? 20;
  const clauses = ["WorkflowType = 'syncWorkflow'"];
  if (opts.target) clauses.push(`${SA.target.name} = ${quote(opts.target)}`);
  if (opts.where) clauses.push(`(${opts.where})`);
  const out: RunListing[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 1000) })) {
    out.push(listingOf(wf));
    if (out.length >= limit) break;
  }
  return out.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
}

/** Runs a call with a deadline, so a query with no worker to answer it doesn't hang the CLI. */
async function within<T>(client: Client, ms: number, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await client.connection.withDeadline(Date.now() + ms, fn);
  } catch {
    return null;
  }
}

export interface RunStatusOptions {
  /** How long to wait for a worker to answer the queries. */
  queryTimeoutMs?: number;
}

/** The run's state: visibility fields, the progress and pending-approval queries while open, the summary once done. */
export async function runStatus(client: Client, workflowId: string, opts: RunStatusOptions = {}): Promise<RunStatus> {
  const handle = client.workflow.getHandle(workflowId);
  let desc;
  try {
    desc = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(workflowId);
    throw err;
  }
  const status: RunStatus = { ...listingOf(desc), historyLength: desc.historyLength, progress: null, pendingApproval: null, retrying: [] };
  const timeout = opts.queryTimeoutMs ?? 5000;
  if (status.status === 'RUNNING') {
    status.retrying = await pendingRetries(client, desc);
    status.progress = await within(client, timeout, () => handle.query<Progress>('progress'));
    status.pendingApproval = status.progress?.awaitingApproval
      ? await within(client, timeout, () => handle.query<PendingApproval | null>('pendingApproval'))
      : null;
  } else {
    const { status: _closed, ...settled } = await runResult(client, workflowId);
    Object.assign(status, settled);
  }
  return status;
}

/**
 * The activities Temporal is retrying (or has retried) in this run, from the server's pending-activity
 * info: the attempt, the last failure (decoded, so an encrypted one reads too) and the next attempt's time.
 */
async function pendingRetries(client: Client, desc: WorkflowExecutionDescription): Promise<PendingRetry[]> {
  const out: PendingRetry[] = [];
  for (const pa of desc.raw.pendingActivities ?? []) {
    if (!pa.lastFailure && (pa.attempt ?? 1) <= 1) continue;
    const activity = pa.activityType?.name ?? 'activity';
    const error = await decodeOptionalFailureToOptionalError(client.workflow.options.loadedDataConverter, pa.lastFailure).catch(() => undefined);
    const next = optionalTsToDate(pa.nextAttemptScheduleTime);
    out.push({
      activity,
      step: stepOf(activity),
      attempt: pa.attempt ?? 1,
      maximumAttempts: pa.maximumAttempts ?? 0,
      ...(error ? { lastFailure: rootMessage(error) } : {}),
      ...(next ? { nextAttemptAt: next.toISOString() } : {}),
    });
  }
  return out;
}

/** Why a run failed, from its failure chain: the root cause, the activity it failed in, the report the workflow wrote. */
export function describeRunFailure(err: WorkflowFailedError): { failure?: string; failedIn?: string; reportPath?: string } {
  // Ended by a person: a cancel is no failure, and a termination's cause is its reason.
  if (err.cause instanceof CancelledFailure) return {};
  if (err.cause instanceof TerminatedFailure) return { failure: `terminated${err.cause.message ? `: ${err.cause.message}` : ''}` };
  let failedIn: string | undefined;
  let reportPath: string | undefined;
  let worded: string | undefined;
  for (let cur: unknown = err.cause; cur instanceof Error; cur = cur.cause) {
    if (cur instanceof ActivityFailure && !failedIn) failedIn = stepOf(cur.activityType);
    // The run did its work and only its report failed: the workflow's words say so, and what to do; they hold the root cause.
    if (cur instanceof ApplicationFailure && cur.type === REPORT_FAILED) worded ??= cur.message;
    if (cur instanceof ApplicationFailure && cur.type === 'sync-failed') {
      const detail = cur.details?.[0] as { reportPath?: unknown } | undefined;
      if (typeof detail?.reportPath === 'string') reportPath = detail.reportPath;
    }
  }
  let failure = worded ?? rootMessage(err);
  // The workflow's own stop (no activity below it) names the report in its message; the path has its own field.
  if (reportPath) failure = failure.replace(` (report of what was done: ${reportPath})`, '');
  return { failure, ...(failedIn ? { failedIn } : {}), ...(reportPath ? { reportPath } : {}) };
}

/** The outcome of a closed run: its summary, or why it failed. Waits if the run is still open. */
export async function runResult(
  client: Client,
  workflowId: string,
): Promise<{ summary?: SyncSummary; failure?: string; failedIn?: string; reportPath?: string; status: RunState }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const summary = (await handle.result()) as SyncSummary;
    return { summary, status: 'COMPLETED' };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(workflowId);
    if (err instanceof WorkflowFailedError) {
      const desc = await handle.describe().catch(() => undefined);
      return { ...describeRunFailure(err), status: (desc?.status.name as RunState) ?? 'FAILED' };
    }
    throw err;
  }
}

export interface FollowOptions {
  intervalMs?: number;
  onProgress?: (progress: Progress, status: RunStatus) => void;
  signal?: AbortSignal;
}

/** Polls the run until it closes, reporting progress on each poll; resolves with the final status. */
export async function followRun(client: Client, workflowId: string, opts: FollowOptions = {}): Promise<RunStatus> {
  const interval = opts.intervalMs ?? 1000;
  for (;;) {
    const status = await runStatus(client, workflowId, { queryTimeoutMs: Math.max(2000, interval) });
    if (status.progress) opts.onProgress?.(status.progress, status);
    if (status.status !== 'RUNNING' || opts.signal?.aborted) return status;
    await new Promise((r) => setTimeout(r, interval));
  }
}

export class ReportUnavailableError extends Error {
  constructor(readonly reportPath: string, reason: string) {
    super(`the report of this run is at ${reportPath}, but ${reason} (the worker writes it on its own machine or volume; read it there)`);
    this.name = 'ReportUnavailableError';
  }
}

export interface RunReport {
  /** The run's summary; a run that did not finish has none. */
  summary?: SyncSummary;
  reportPath: string;
  csv: string;
  /** The run did not finish (failed, cancelled, terminated): the report holds what it did before it stopped. */
  partial: boolean;
  status: RunState;
  failure?: string;
  failedIn?: string;
}

export interface FetchReportOptions {
  /** Where to look for the report of a run that recorded no path (cancelled, terminated): the config's reportDir. */
  reportDir?: string;
}

/** The run's summary and its CSV report, read from the path the run recorded (the worker's reportDir). */
export async function fetchReport(client: Client, workflowId: string, opts: FetchReportOptions = {}): Promise<RunReport> {
  const result = await runResult(client, workflowId);
  const fallback = opts.reportDir ? reportFile(opts.reportDir, workflowId) : undefined;
  const reportPath = result.summary?.reportPath ?? result.reportPath ?? (fallback && existsSync(fallback) ? fallback : undefined);
  if (!reportPath) {
    const why = result.summary ? 'it recorded no report path' : `it ended ${result.status.toLowerCase()}${result.failure ? ` (${result.failure})` : ''} before writing one`;
    throw new Error(`run ${workflowId} has no report: ${why}`);
  }
  const meta = {
    reportPath,
    partial: !result.summary,
    status: result.status,
    ...(result.summary ? { summary: result.summary } : {}),
    ...(result.failure ? { failure: result.failure } : {}),
    ...(result.failedIn ? { failedIn: result.failedIn } : {}),
  };
  try {
    return { ...meta, csv: await readFile(path.resolve(reportPath), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportUnavailableError(reportPath, code === 'ENOENT' ? 'no such file is visible here' : `it cannot be read (${code ?? 'error'})`);
  }
}
