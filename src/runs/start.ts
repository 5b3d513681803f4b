import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { ClientConfig } from '../config';
import { SA } from '../temporal/searchattributes';
import type { SyncInput, SyncMode } from '../workflows/contracts';
import type { syncWorkflow } from '../workflows/sync';
import { UsageError } from './outcome';
import { modeLabel, parseSince, runWorkflowId, targetNameOf, webUiLink } from './naming';

export interface StartSyncOptions {
  mode?: SyncMode;
  dryRun?: boolean;
  /** ISO instant; validated with parseSince. */
  since?: string;
  /** Overrides the config's target name. */
  target?: string;
  /** Start even when another (writing) sync of this target is running. */
  allowConcurrent?: boolean;
  now?: Date;
}

export interface StartedRun {
  workflowId: string;
  runId: string;
  target: string;
  url: string;
  handle: WorkflowHandleWithFirstExecutionRunId<typeof syncWorkflow>;
}

export class ConcurrentSyncError extends Error {
  constructor(readonly target: string, readonly running: string[]) {
    super(`a sync of ${target} is already running (${running.join(', ')}); wait for it, or pass --allow-concurrent`);
    this.name = 'ConcurrentSyncError';
  }
}

/** A run visibility listed: its workflow id and the execution it listed. */
export interface RunCandidate {
  workflowId: string;
  runId?: string;
}

/** How many runs a refusal names; enough to act on, short enough to read. */
const NAMED_RUNS = 5;
/** Visibility rows looked at: one page. */
const CANDIDATES = 20;

/**
 * Writing runs of `target` that are running (dry runs write nothing, so they don't count). Visibility picks the
 * candidates; it lags, so each is confirmed before it counts.
 */
export async function runningSyncs(client: Client, target: string): Promise<string[]> {
  const candidates: RunCandidate[] = [];
  const query = `WorkflowType = 'syncWorkflow' AND ExecutionStatus = 'Running' AND ${SA.target.name} = '${target}'`;
  for await (const wf of client.workflow.list({ query, pageSize: CANDIDATES })) {
    const mode = wf.typedSearchAttributes.get(SA.mode);
    if (!mode?.endsWith('dry-run')) candidates.push({ workflowId: wf.workflowId, runId: wf.runId });
    if (candidates.length >= CANDIDATES) break;
  }
  return (await confirmRunning(client, candidates)).slice(0, NAMED_RUNS);
}

/**
 * The candidates whose execution is still running, asked of each workflow handle: `describe()` reads the execution
 * itself, so a run that has just completed, which visibility may still list as running, no longer blocks a start.
 * An execution the server no longer knows is not running.
 */
export async function confirmRunning(client: Client, candidates: readonly RunCandidate[]): Promise<string[]> {
  const running = await Promise.all(
    candidates.map(async ({ workflowId, runId }) => {
      try {
        const d = await client.workflow.getHandle(workflowId, runId).describe();
        return d.status.name === 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    }),
  );
  return candidates.filter((_, i) => running[i]).map((c) => c.workflowId);
}

/** Starts `syncWorkflow` with a readable id and the search attributes the listing filters on. */
export async function startSync(client: Client, cfg: ClientConfig, opts: StartSyncOptions = {}): Promise<StartedRun> {
  const mode = opts.mode ?? 'delta';
  if (mode !== 'delta' && mode !== 'full') throw new UsageError(`--mode: expected delta or full, got "${String(mode)}"`);
  const input: SyncInput = { mode, ...(opts.dryRun ? { dryRun: true } : {}), ...(opts.since ? { since: parseSince(opts.since) } : {}) };
  if (input.since && mode !== 'delta') throw new UsageError('--since applies to delta runs only');
  const target = targetNameOf(cfg, opts.target);
  if (!opts.dryRun && !opts.allowConcurrent) {
    const running = await runningSyncs(client, target);
    if (running.length > 0) throw new ConcurrentSyncError(target, running);
  }
  const workflowId = runWorkflowId(target, mode, opts.dryRun, opts.now);
  let handle: WorkflowHandleWithFirstExecutionRunId<typeof syncWorkflow>;
  try {
    handle = await client.workflow.start<typeof syncWorkflow>('syncWorkflow', {
      taskQueue: cfg.temporal.taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: SA.target, value: target },
        { key: SA.mode, value: modeLabel(mode, opts.dryRun) },
        { key: SA.outcome, value: 'running' },
      ],
      staticSummary: `hrsync ${modeLabel(mode, opts.dryRun)} sync of ${target}${input.since ? ` since ${input.since}` : ''}`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new Error(`a run with id ${workflowId} already exists; try again in a second`);
    throw err;
  }
  return { workflowId, runId: handle.firstExecutionRunId, target, url: webUiLink(cfg.temporal, workflowId), handle };
}
