import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { runFolderFate, type RunExecution } from '../domain/retention';
import { fileNameOf } from '../staging/filename';
import type { RunStore } from '../staging/runstore';

async function executionOf(client: Client, workflowId: string): Promise<RunExecution> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return { status: d.status.name, firstRunId: d.raw.workflowExecutionInfo?.firstRunId || undefined, closedAt: d.closeTime };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-found';
    throw err;
  }
}

/**
 * Removes the working folders of closed runs that no reset can still use (see runFolderFate), asking
 * Temporal about each folder's run. Returns the run keys removed. A folder made before the run key was
 * kept in it is judged by its name when that is the key itself, and otherwise kept.
 */
export async function sweepRunFolders(deps: { store: RunStore; temporal: Client; keepDays: number; now?: Date }): Promise<string[]> {
  const now = deps.now ?? new Date();
  const removed: string[] = [];
  for (const folder of deps.store.folders()) {
    // The key must name this very folder: removing by a key that names another would take that one.
    const named = folder.runKey ?? folder.name;
    const runKey = fileNameOf(named) === folder.name ? named : null;
    const execution = runKey === null ? null : await executionOf(deps.temporal, runKey);
    const fate = runFolderFate({ token: folder.token, execution, modifiedAt: folder.modifiedAt }, now, deps.keepDays);
    if (!fate.remove || runKey === null) continue;
    deps.store.remove(runKey);
    removed.push(runKey);
    log.info('removed the working files of a closed run', { runKey, why: fate.why });
  }
  return removed;
}
