import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { SA } from '../temporal/searchattributes';
import type { Progress, SyncSummary } from '../workflows/contracts';
import type { PendingApproval } from '../workflows/sync';

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
  /** The result, once the run completed. */
  summary?: SyncSummary;
  /** Why the run failed, when it did. */
  failure?: string;
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
    outcome: get<string>(SA.outcome),
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
  const status: RunStatus = { ...listingOf(desc), historyLength: desc.historyLength, progress: null, pendingApproval: null };
  const timeout = opts.queryTimeoutMs ?? 5000;
  if (status.status === 'RUNNING') {
    status.progress = await within(client, timeout, () => handle.query<Progress>('progress'));
    status.pendingApproval = status.progress?.awaitingApproval
      ? await within(client, timeout, () => handle.query<PendingApproval | null>('pendingApproval'))
      : null;
  } else {
    const settled = await runResult(client, workflowId);
    status.summary = settled.summary;
    status.failure = settled.failure;
  }
  return status;
}

/** The outcome of a closed run: its summary, or why it failed. Waits if the run is still open. */
export async function runResult(client: Client, workflowId: string): Promise<{ summary?: SyncSummary; failure?: string; status: RunState }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const summary = (await handle.result()) as SyncSummary;
    return { summary, status: 'COMPLETED' };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(workflowId);
    if (err instanceof WorkflowFailedError) {
      const desc = await handle.describe().catch(() => undefined);
      const cause = err.cause?.message ? `: ${err.cause.message}` : '';
      return { failure: `${err.message}${cause}`, status: (desc?.status.name as RunState) ?? 'FAILED' };
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
  summary: SyncSummary;
  reportPath: string;
  csv: string;
}

/** The run's summary and its CSV report, read from the path in the summary (the worker's reportDir). */
export async function fetchReport(client: Client, workflowId: string): Promise<RunReport> {
  const result = await runResult(client, workflowId);
  if (!result.summary) throw new Error(`run ${workflowId} has no report: it ended ${result.status}${result.failure ? ` (${result.failure})` : ''}`);
  const reportPath = result.summary.reportPath;
  if (!reportPath) throw new Error(`run ${workflowId} did not record a report path`);
  try {
    return { summary: result.summary, reportPath, csv: await readFile(path.resolve(reportPath), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportUnavailableError(reportPath, code === 'ENOENT' ? 'no such file is visible here' : `it cannot be read (${code ?? 'error'})`);
  }
}
