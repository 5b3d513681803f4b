import { Command } from 'commander';
import { withClient } from '../runs/client';
import { listRuns, type RunListing } from '../runs/inspect';
import { exitOnUsageError } from '../runs/outcome';
import { clientConfig, wholeNumber } from './common';

export function runsTable(runs: RunListing[]): string[] {
  const rows = runs.map((r) => [
    r.workflowId,
    r.status.toLowerCase(),
    r.outcome ?? '',
    r.mode ?? '',
    r.planned === undefined ? '' : String(r.planned),
    r.failed === undefined ? '' : String(r.failed),
    r.drift === undefined ? '' : String(r.drift),
    r.startTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  const header = ['WORKFLOW ID', 'STATE', 'OUTCOME', 'MODE', 'PLANNED', 'FAILED', 'DRIFT', 'STARTED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

export function runsCommand(): Command {
  return new Command('runs')
    .description('recent sync runs with their outcome and counts, from Temporal visibility (search attributes)')
    .option('--limit <n>', 'how many', wholeNumber(1, 1000), 20)
    .option('--target <name>', 'only runs of this target')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { limit: number; target?: string; json?: boolean }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() =>
        withClient(cfg, async (client) => {
          const runs = await listRuns(client, { limit: opts.limit, target: opts.target });
          if (opts.json) for (const r of runs) console.log(JSON.stringify(r));
          else if (runs.length === 0) console.log('no sync runs yet');
          else for (const line of runsTable(runs)) console.log(line);
          return 0;
        }),
      );
    });
}
