import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { RunNotFoundError } from './inspect';

export class NotRunningError extends Error {
  constructor(readonly workflowId: string, status: string) {
    super(`run ${workflowId} is not running (it is ${status.toLowerCase()})`);
    this.name = 'NotRunningError';
  }
}

/**
 * Asks a run to stop. The cancellation is graceful: the workflow sees it at its next step, writes the
 * report of what it did (the working files stay, so a reset can resume it) and ends `cancelled`; the
 * watermark does not move.
 */
export async function cancelRun(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(workflowId);
    throw err;
  }
  if (status !== 'RUNNING') throw new NotRunningError(workflowId, status);
  await handle.cancel();
}
