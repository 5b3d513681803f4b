import { Command } from 'commander';
import { approveRun, rejectRun } from '../runs/approval';
import { withClient } from '../runs/client';
import { exitOnUsageError } from '../runs/outcome';
import { clientConfig } from './common';

export function approveCommand(): Command {
  return new Command('approve')
    .description('approve the deactivations a run is waiting on at the safety gate; it then writes its plan')
    .argument('<workflowId>', 'the waiting run (see `hrsync runs` or `hrsync status`)')
    .option('--by <name>', 'who approves (recorded in the run; default: your user name)')
    .option('--reason <text>', 'why (kept in the run\'s result and its summary)')
    .action(async (workflowId: string, opts: { by?: string; reason?: string }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() =>
        withClient(cfg, async (client) => {
          const answer = await approveRun(client, workflowId, { by: opts.by, reason: opts.reason });
          console.log(`${workflowId}: ${answer}`);
          return 0;
        }),
      );
    });
}

export function rejectCommand(): Command {
  return new Command('reject')
    .description('reject a run waiting at the safety gate: it writes nothing and ends with outcome "rejected"')
    .argument('<workflowId>', 'the waiting run')
    .option('--reason <text>', 'why (kept in the run\'s result and its summary)')
    .option('--by <name>', 'who rejects (default: your user name)')
    .action(async (workflowId: string, opts: { by?: string; reason?: string }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() =>
        withClient(cfg, async (client) => {
          const answer = await rejectRun(client, workflowId, { by: opts.by, reason: opts.reason });
          console.log(`${workflowId}: ${answer}`);
          return 0;
        }),
      );
    });
}
