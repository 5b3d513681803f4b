import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import type { ClientConfig } from '../config';
import { withClient } from '../runs/client';
import { followRun } from '../runs/inspect';
import { parseSince, ratePerMinuteOf } from '../runs/naming';
import { exitOnUsageError } from '../runs/outcome';
import { buildPlanView, planLines, type PlanView } from '../runs/plan';
import { startSync, type StartSyncOptions } from '../runs/start';
import { clientConfig, wholeNumber } from './common';
import { createProgressRenderer } from './progress';
import { consoleOutput, printOutcome, type Output } from './sync';

export interface PlanOptions extends Omit<StartSyncOptions, 'dryRun'> {
  /** Changes shown per action. */
  first?: number;
  json?: boolean;
  pollMs?: number;
}

/** `hrsync plan`: a dry run, waited for, then what it would do. Returns the view (when the run finished) and the exit code. */
export async function runPlan(client: Client, cfg: ClientConfig, opts: PlanOptions, io: Output = consoleOutput): Promise<{ view?: PlanView; exitCode: number }> {
  const started = await startSync(client, cfg, { ...opts, dryRun: true });
  io.err(`planning with dry run ${started.workflowId}`);
  io.err(started.url);
  const renderer = createProgressRenderer({ ratePerMinute: ratePerMinuteOf(cfg), stream: io.progress });
  const final = await followRun(client, started.workflowId, { intervalMs: opts.pollMs ?? 1000, onProgress: (p, s) => renderer.update(p, s.retrying) }).finally(() => renderer.stop());
  if (!final.summary) return { exitCode: printOutcome(final, opts.json, io) };
  let csv: string | null = null;
  try {
    csv = await readFile(final.summary.reportPath, 'utf8');
  } catch (err) {
    io.err(`(the report at ${final.summary.reportPath} is not readable here: ${(err as NodeJS.ErrnoException).code ?? 'error'}; showing counts only)`);
  }
  const view = buildPlanView(final.summary, csv, ratePerMinuteOf(cfg), opts.first ?? 10);
  if (opts.json) io.out(JSON.stringify(view));
  else for (const line of planLines(view)) io.out(line);
  return { view, exitCode: 0 };
}

export function planCommand(): Command {
  return new Command('plan')
    .description('show what a sync would do, writing nothing: counts by action, the first changes, API calls and time at the rate budget')
    .addOption(new Option('--mode <mode>', 'delta or full').choices(['delta', 'full']).default('full'))
    .option('--since <iso>', 'delta only: plan the HR changes after this instant')
    .option('--first <n>', 'changes shown per action', wholeNumber(0, 1000), 10)
    .option('--target <name>', 'target (org) name for the id and search attributes')
    .option('--json', 'print the plan as one JSON line')
    .action(async (opts: PlanOptions, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(async () => {
        if (opts.since) parseSince(opts.since);
        return withClient(cfg, async (client) => (await runPlan(client, cfg, opts)).exitCode);
      });
    });
}
