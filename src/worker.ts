import { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { targetName, type WorkerConfig } from './config';
import { createLogger, installTemporalLogging } from './logging';
import { createActivities, type ActivityDeps } from './activities';
import { connectClient, connectWorker, insecureApiKeyWarning } from './temporal/connection';
import { assertWritableReportDir } from './staging/reportdir';
import { dataConverter } from './temporal/dataconverter';
import { prebuiltBundle } from './temporal/bundle';

export interface HrsyncWorkerOptions {
  connection: NativeConnection;
  config: WorkerConfig;
  /** A Temporal client for the activities that read visibility (the watermark). */
  temporalClient?: Client;
  /** Clients the activities use instead of building their own from config (tests). */
  deps?: Omit<Partial<ActivityDeps>, 'config'>;
  /** Overrides for tests: replace some or all activities. */
  activities?: object;
  /**
   * A pre-built bundle, so tests bundle the workflows once. With encryption configured, build it with
   * `failureConverterPath` from `dataConverter(config.temporal)`, so workflow failures are encrypted too.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/**
 * The workflow code: the caller's bundle, else the one `npm run build` made beside this file (so the worker
 * neither loads webpack nor bundles at start-up), else bundled now from source.
 */
function workflowCode(opts: HrsyncWorkerOptions): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (opts.workflowBundle) return { workflowBundle: opts.workflowBundle };
  const codePath = prebuiltBundle(__dirname, opts.config.temporal.encryption !== undefined);
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: require.resolve('./workflows') };
}

/** A worker on the configured task queue, with the sync workflows and activities. */
export async function createHrsyncWorker(opts: HrsyncWorkerOptions): Promise<Worker> {
  const { config } = opts;
  assertWritableReportDir(config.reportDir);
  return Worker.create({
    connection: opts.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // The same converter as every client of this config: payloads (HR ids, the gate's preview, errors) are encrypted when
    // temporal.encryption is set. With workflowsPath, the bundler also takes its failureConverterPath.
    dataConverter: dataConverter(config.temporal),
    ...workflowCode(opts),
    activities: { ...createActivities({ config, temporal: opts.temporalClient, ...opts.deps }), ...(opts.activities ?? {}) },
    // On SIGINT/SIGTERM the worker stops polling and gives running activities this long to finish
    // or to see the cancellation through their heartbeat.
    shutdownGraceTime: '30 seconds',
  });
}

/** Runs a worker until SIGINT or SIGTERM (the SDK installs those handlers), then closes the connection. */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const logger = createLogger({ fields: { component: 'worker', taskQueue: config.temporal.taskQueue } });
  // Before the first native connection: the SDK's, workflows' and activities' logs go through our structured logger.
  installTemporalLogging(logger);
  const insecure = insecureApiKeyWarning(config.temporal);
  if (insecure) logger.warn(insecure);
  const connection = await connectWorker(config.temporal);
  const clientConnection = await connectClient(config.temporal);
  try {
    const temporalClient = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: dataConverter(config.temporal) });
    const worker = await createHrsyncWorker({ connection, config, temporalClient });
    logger.info('hrsync worker polling', { address: config.temporal.address, namespace: config.temporal.namespace, target: targetName(config) });
    await worker.run();
    logger.info('hrsync worker stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
  }
}
