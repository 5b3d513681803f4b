import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
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

/** Writing runs of `target` that visibility reports as running (dry runs write nothing, so they don't count). */
export async function runningSyncs(client: Client, target: string): Promise<string[]> {
  const ids: string[] = [];
  const query = `WorkflowType = 'syncWorkflow' AND ExecutionStatus = 'Running' AND ${SA.target.name} = '${target}'`;
  for await (const wf of client.workflow.list({ query, pageSize: 20 })) {
    const mode = wf.typedSearchAttributes.get(SA.mode);
    if (!mode?.endsWith('dry-run')) ids.push(wf.workflowId);
    if (ids.length >= 5) break;
  }
  return ids;
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
