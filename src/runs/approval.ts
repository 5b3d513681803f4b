import os from 'node:os';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { ApprovalInput } from '../workflows/sync';
import { RunNotFoundError } from './inspect';

export class NotAwaitingApprovalError extends Error {
  constructor(readonly workflowId: string, detail?: string) {
    super(`run ${workflowId} is not waiting for approval${detail ? ` (${detail})` : ''}`);
    this.name = 'NotAwaitingApprovalError';
  }
}

function defaultApprover(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

async function decide(client: Client, workflowId: string, update: 'approve' | 'reject', input: ApprovalInput): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  const arg: ApprovalInput = { by: input.by ?? defaultApprover(), ...(input.reason ? { reason: input.reason } : {}) };
  try {
    return await handle.executeUpdate<string, [ApprovalInput]>(update, { args: [arg] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new NotAwaitingApprovalError(workflowId);
    if (err instanceof WorkflowNotFoundError) {
      // The id exists but the run is closed, or it never existed: tell them apart.
      const desc = await handle.describe().catch(() => undefined);
      if (!desc) throw new RunNotFoundError(workflowId);
      throw new NotAwaitingApprovalError(workflowId, `it is ${desc.status.name.toLowerCase()}`);
    }
    throw err;
  }
}

/** Approves the deactivations a run is waiting on (the `approve` update; its validator refuses a run that isn't waiting). */
export function approveRun(client: Client, workflowId: string, input: ApprovalInput = {}): Promise<string> {
  return decide(client, workflowId, 'approve', input);
}

/** Rejects them: the run writes nothing and ends with outcome "rejected". */
export function rejectRun(client: Client, workflowId: string, input: ApprovalInput = {}): Promise<string> {
  return decide(client, workflowId, 'reject', input);
}
