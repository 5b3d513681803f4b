import { Client } from '@temporalio/client';
import { Command } from 'commander';
import { connectClient } from '../temporal/connection';
import { clientConfig } from './common';

export function syncCommand(): Command {
  return new Command('sync')
    .description('start a sync run on the workers (for now: an end-to-end smoke run)')
    .option('--wait', 'wait for the run to finish and print its result')
    .action(async (opts: { wait?: boolean }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      const connection = await connectClient(cfg.temporal);
      try {
        const client = new Client({ connection, namespace: cfg.temporal.namespace });
        const workflowId = `hrsync-smoke-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const handle = await client.workflow.start('smokeWorkflow', { taskQueue: cfg.temporal.taskQueue, workflowId, args: [] });
        console.log(`started ${workflowId}`);
        console.log(`${cfg.temporal.webUiUrl}/namespaces/${cfg.temporal.namespace}/workflows/${workflowId}`);
        if (opts.wait) console.log(await handle.result());
      } finally {
        await connection.close();
      }
    });
}
