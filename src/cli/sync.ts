import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import type { ClientConfig } from '../config';
import { escapeControl } from '../report/escape';
import { withClient } from '../runs/client';
import { followRun, type RunStatus } from '../runs/inspect';
import { parseSince, ratePerMinuteOf } from '../runs/naming';
import { callsRemaining, endedJson, endedLines, etaSeconds, exitCodeFor, exitOnUsageError, formatDuration, summaryJson, summaryLines } from '../runs/outcome';
import { startSync, type StartSyncOptions } from '../runs/start';
import { clientConfig } from './common';
import { createProgressRenderer } from './progress';

export interface SyncCommandOptions extends StartSyncOptions {
  wait?: boolean;
  json?: boolean;
  /** Poll interval of the progress query. */
  pollMs?: number;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Where the live progress goes (a TTY gets a bar). */
  progress?: NodeJS.WriteStream;
}

/** HR values (names, titles, reasons) reach these lines: their control characters are shown, never obeyed by the terminal. */
export const consoleOutput: Output = { out: (l) => console.log(escapeControl(l)), err: (l) => console.error(escapeControl(l)) };

/** Prints how a waited-for run ended; returns the exit code. */
export function printOutcome(final: RunStatus, json: boolean | undefined, io: Output): number {
  if (final.summary) {
    if (json) io.out(summaryJson(final.summary, { status: final.status }));
    else for (const line of summaryLines(final.summary)) io.out(line);
  } else if (json) io.out(endedJson(final));
  else for (const line of endedLines(final)) io.err(line);
  return exitCodeFor(final);
}

/**
 * `hrsync sync`: starts a run and prints its id and Web UI link; with `wait`, follows its progress
 * and prints the summary. Returns the exit code (0 done, 1 failed, 3 rejected at the gate).
 */
export async function runSync(client: Client, cfg: ClientConfig, opts: SyncCommandOptions, io: Output = consoleOutput): Promise<number> {
  const started = await startSync(client, cfg, opts);
  // With --json, stdout carries exactly one JSON line; the id and link go to stderr.
  const info = opts.json && opts.wait ? io.err : io.out;
  if (opts.json && !opts.wait) io.out(JSON.stringify({ workflowId: started.workflowId, runId: started.runId, url: started.url }));
  else {
    info(`started ${started.workflowId}`);
    info(started.url);
  }
  if (!opts.wait) return 0;
  const rate = ratePerMinuteOf(cfg);
  const renderer = createProgressRenderer({ ratePerMinute: rate, stream: io.progress });
  // The ETA when the writes begin, against the time they take: printed, so any gap shows.
  let writes: { at: number; eta: number | null } | undefined;
  let final: RunStatus;
  try {
    final = await followRun(client, started.workflowId, {
      intervalMs: opts.pollMs ?? 1000,
      onProgress: (p, s) => {
        renderer.update(p, s.retrying);
        if (!writes && p.callsAtApply !== undefined && !p.awaitingApproval) {
          writes = { at: Date.now(), eta: etaSeconds(p, rate) };
          info(`writing: about ${callsRemaining(p)} target calls; ETA ${formatDuration(writes.eta)}${rate > 0 ? ` at ${rate}/min` : ''}`);
        }
      },
    });
  } finally {
    renderer.stop();
  }
  const code = printOutcome(final, opts.json, io);
  if (final.closeTime) {
    const total = Math.round((final.closeTime.getTime() - final.startTime.getTime()) / 1000);
    const wrote = writes ? `; writing took ${formatDuration(Math.round((final.closeTime.getTime() - writes.at) / 1000))} (ETA when it began: ${formatDuration(writes.eta)})` : '';
    info(`time: ${formatDuration(total)} in all${wrote}`);
  }
  return code;
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('start a sync run; prints its workflow id and Web UI link (--wait follows it to the end)')
    .addOption(new Option('--mode <mode>', 'delta reads HR changes since the watermark; full reconciles everything').choices(['delta', 'full']).default('delta'))
    .option('--dry-run', 'plan and report only: write nothing')
    .option('--since <iso>', 'delta only: read HR changes after this instant instead of the watermark (e.g. 2026-11-26T00:00:00Z)')
    .option('--wait', 'follow the run with a live progress bar, then print the summary; the exit code tells how it ended')
    .option('--json', 'print the result as one JSON line (with --wait: the final summary)')
    .option('--target <name>', 'target (org) name for the id and search attributes (default: config target.name, else target.kind: genesys unless set)')
    .option('--allow-concurrent', 'start even if a writing sync of this target is already running')
    .addHelpText('after', '\nExit codes with --wait: 0 the run finished (per-user failures are in the report), 1 it failed, 3 it was rejected at the gate.')
    .action(async (opts: SyncCommandOptions & { mode: 'delta' | 'full' }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(async () => {
        if (opts.since) parseSince(opts.since); // bad input fails before any connection
        return withClient(cfg, (client) => runSync(client, cfg, opts));
      });
    });
}
