import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Command, Option } from 'commander';
import { loadWorkerConfig } from '../config';
import { findTemporalBinary } from '../temporal/binary';
import { isListening, startDevServer, type RunningDevServer } from '../temporal/devserver';
import { connectClient } from '../temporal/connection';
import { createHrsyncWorker } from '../worker';
import { parsePort } from './common';

/**
 * Everything on one machine: the dev server (unless one runs), a worker and a run, then it stops
 * every process it started, also on Ctrl-C.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run the demo end to end on this machine: dev server, worker and a sync run; cleans up after itself')
    .addOption(new Option('--port <port>', 'dev server gRPC port').argParser(parsePort).default(7233))
    .addOption(new Option('--ui-port <port>', 'dev server Web UI port').argParser(parsePort).default(8233))
    .action(async (opts: { port: number; uiPort: number }) => {
      const cleanups: (() => Promise<void>)[] = [];
      const cleanup = async () => {
        for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
        cleanups.length = 0;
      };
      const onSignal = () => void cleanup().then(() => process.exit(130));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const ip = '127.0.0.1';
        let server: RunningDevServer | undefined;
        if (await isListening(ip, opts.port)) {
          console.log(`Using the Temporal server already running on ${ip}:${opts.port}`);
        } else {
          server = await startDevServer({
            binary: findTemporalBinary(),
            ip,
            port: opts.port,
            uiPort: opts.uiPort,
            namespace: 'default',
            dbFile: path.join(process.env.HRSYNC_DATA_DIR ?? '.hrsync', 'temporal.db'),
          });
          cleanups.push(() => server!.stop());
          console.log(`Started the Temporal dev server on ${server.address}; Web UI ${server.webUiUrl}`);
        }
        const webUiUrl = `http://localhost:${opts.uiPort}`;
        const config = loadWorkerConfig({
          env: {
            TEMPORAL_ADDRESS: `${ip}:${opts.port}`,
            HRSYNC_TASK_QUEUE: 'hrsync-demo',
            HRSYNC_WEB_UI_URL: webUiUrl,
            HRSYNC_TARGET_NAME: 'demo',
            HR_BASE_URL: 'http://127.0.0.1:9',
            GENESYS_API_URL: 'http://127.0.0.1:9',
            GENESYS_LOGIN_URL: 'http://127.0.0.1:9',
            GENESYS_CLIENT_ID: 'demo',
            GENESYS_CLIENT_SECRET: 'demo',
          },
        });
        const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
        cleanups.push(() => workerConnection.close());
        const worker = await createHrsyncWorker({ connection: workerConnection, config });
        const connection = await connectClient(config.temporal);
        cleanups.push(() => connection.close());
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const workflowId = `hrsync-demo-smoke-${Date.now()}`;
        const result = await worker.runUntil(
          client.workflow.execute('smokeWorkflow', { taskQueue: config.temporal.taskQueue, workflowId, args: [] }),
        );
        console.log(result);
        console.log(`Run: ${webUiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await cleanup();
      }
    });
}
