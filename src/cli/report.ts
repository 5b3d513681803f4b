import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { withClient } from '../runs/client';
import { fetchReport } from '../runs/inspect';
import { endedJson, endedLines, exitOnUsageError, summaryJson, summaryLines } from '../runs/outcome';
import { clientConfig } from './common';

export function reportCommand(): Command {
  return new Command('report')
    .description("print a run's CSV reconciliation report (or copy it to a file) and its summary; a run that failed or was cancelled has a partial one")
    .argument('<workflowId>', 'the run')
    .option('--out <file>', 'copy the CSV here instead of printing it')
    .option('--json', 'print the summary as one JSON line (with the CSV path), not the CSV')
    .action(async (workflowId: string, opts: { out?: string; json?: boolean }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() =>
        withClient(cfg, async (client) => {
          const report = await fetchReport(client, workflowId, { reportDir: cfg.reportDir });
          if (opts.out) {
            await mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
            await copyFile(report.reportPath, opts.out);
          }
          const ended = { workflowId, ...report };
          if (opts.json) {
            const extra = { partial: report.partial, ...(opts.out ? { copiedTo: opts.out } : {}) };
            console.log(report.summary ? summaryJson(report.summary, extra) : JSON.stringify({ ...JSON.parse(endedJson(ended)), ...extra }));
            return 0;
          }
          // The CSV goes to stdout (pipe it), the summary to stderr.
          if (!opts.out) process.stdout.write(report.csv.endsWith('\n') ? report.csv : `${report.csv}\n`);
          if (report.partial) console.error(`PARTIAL REPORT: the run did not finish; the rows are what it did before it stopped.`);
          for (const line of report.summary ? summaryLines(report.summary) : endedLines(ended)) console.error(line);
          if (opts.out) console.error(`copied to ${opts.out}`);
          return 0;
        }),
      );
    });
}
