import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config';
import { startSimulators, simulatorEnv, type Simulators } from '../../src/sim';
import type { HrSimOptions } from '../../src/sim/hr';
import type { ScimSimOptions } from '../../src/sim/scim';
import type { SyncInput, SyncSummary } from '../../src/workflows/contracts';
import { createHrsyncWorker } from '../../src/worker';
import { testEnv, workflowBundle } from './temporal';

let seq = 0;

export interface Harness {
  sims: Simulators;
  config: WorkerConfig;
  worker: Worker;
  /** Runs one sync to completion on this harness's worker. */
  sync(input: SyncInput, opts?: { workflowId?: string }): Promise<SyncSummary>;
  /** Starts a sync and runs the worker until `until` resolves (for runs that wait at the gate). */
  start(input: SyncInput): Promise<WorkflowHandle>;
  close(): Promise<void>;
}

/**
 * The real parts wired together: both simulators over HTTP, a worker built from a config that points
 * at them exactly as a user's would, and the shared dev server.
 */
export async function startHarness(opts: { scim?: ScimSimOptions; hr?: HrSimOptions; env?: Record<string, string> } = {}): Promise<Harness> {
  const env = await testEnv();
  const sims = await startSimulators({ scim: { rateLimitPerMinute: null, ...opts.scim }, hr: opts.hr });
  const name = `t${process.pid}x${++seq}`;
  const config = loadWorkerConfig({
    env: {
      ...simulatorEnv(sims.endpoints()),
      HRSYNC_TASK_QUEUE: `hrsync-${name}`,
      HRSYNC_TARGET_NAME: name,
      HRSYNC_REPORT_DIR: mkdtempSync(path.join(os.tmpdir(), 'hrsync-reports-')),
      SCIM_RATE_LIMIT_PER_MINUTE: '0',
      HRSYNC_CONCURRENCY: '8',
      ...opts.env,
    },
  });
  const worker = await createHrsyncWorker({
    connection: env.nativeConnection,
    config,
    temporalClient: env.client,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  let runs = 0;
  const workflowId = () => `hrsync-${name}-${++runs}`;
  return {
    sims,
    config,
    worker,
    sync: (input, o) =>
      env.client.workflow.execute('syncWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: o?.workflowId ?? workflowId(), args: [input] }),
    start: (input) => env.client.workflow.start('syncWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: workflowId(), args: [input] }),
    close: async () => {
      worker.shutdown();
      await running;
      await sims.close();
    },
  };
}
