import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { reportFile } from '../activities/report';
import { cancelRun } from '../runs/cancel';
import { withClient } from '../runs/client';
import { followRun } from '../runs/inspect';
import { endedJson, endedLines, exitOnUsageError, EXIT } from '../runs/outcome';
import { clientConfig } from './common';

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('stop a run gracefully: it ends "cancelled" at its next step, writing the report of what it did; the watermark stays')
    .argument('<workflowId>', 'the running run (see `hrsync runs`)')
    .option('--no-wait', 'return once the cancellation is requested, without waiting for the run to stop')
    .option('--json', 'print how the run ended as one JSON line')
    .addHelpText('after', '\nExit codes: 0 the run stopped (or, with --no-wait, was asked to), 1 it could not be cancelled or ended otherwise.')
    .action(async (workflowId: string, opts: { wait: boolean; json?: boolean }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() =>
        withClient(cfg, async (client) => {
          await cancelRun(client, workflowId);
          if (!opts.wait) {
            console.log(opts.json ? JSON.stringify({ workflowId, cancelRequested: true }) : `${workflowId}: cancellation requested`);
            return EXIT.ok;
          }
          if (!opts.json) console.error(`${workflowId}: cancellation requested; waiting for the run to write its report and stop…`);
          const final = await followRun(client, workflowId);
          const local = reportFile(cfg.reportDir, workflowId);
          const ended = { ...final, ...(final.reportPath || !existsSync(local) ? {} : { reportPath: local }) };
          if (opts.json) console.log(endedJson(ended));
          else for (const line of endedLines(ended)) console.log(line);
          return final.status === 'CANCELLED' ? EXIT.ok : EXIT.failed;
        }),
      );
    });
}
