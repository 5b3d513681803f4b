import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { describeTarget } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/** End-to-end check that a worker is up and configured: it names the target it would sync. */
export async function smokeWorkflow(): Promise<string> {
  const target = await describeTarget();
  return `hrsync worker ready for ${target.kind} target "${target.name}"`;
}
