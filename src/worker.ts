import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { WorkerConfig } from './config';
import { createActivities } from './activities';
import { connectWorker } from './temporal/connection';

export interface HrsyncWorkerOptions {
  connection: NativeConnection;
  config: WorkerConfig;
  /** Overrides for tests: replace some or all activities. */
  activities?: object;
  /** A pre-built bundle, so tests bundle the workflows once. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** A worker on the configured task queue, with the sync workflows and activities. */
export async function createHrsyncWorker(opts: HrsyncWorkerOptions): Promise<Worker> {
  const { config } = opts;
  return Worker.create({
    connection: opts.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    activities: { ...createActivities({ config }), ...(opts.activities ?? {}) },
    // On SIGINT/SIGTERM the worker stops polling and gives running activities this long to finish
    // or to see the cancellation through their heartbeat.
    shutdownGraceTime: '30 seconds',
  });
}

/** Runs a worker until SIGINT or SIGTERM (the SDK installs those handlers), then closes the connection. */
export async function runWorker(config: WorkerConfig, log: (line: string) => void = console.error): Promise<void> {
  const connection = await connectWorker(config.temporal);
  try {
    const worker = await createHrsyncWorker({ connection, config });
    log(`hrsync worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace})`);
    await worker.run();
    log('hrsync worker stopped');
  } finally {
    await connection.close();
  }
}
