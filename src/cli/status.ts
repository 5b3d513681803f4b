import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import type { ClientConfig } from '../config';
import { withClient } from '../runs/client';
import { followRun, runStatus, type RunStatus } from '../runs/inspect';
import { ratePerMinuteOf, webUiLink } from '../runs/naming';
import { endedLines, exitOnUsageError, formatCounts, progressLine, retryLine, summaryLines } from '../runs/outcome';
import { clientConfig } from './common';
import { createProgressRenderer } from './progress';
import { consoleOutput, type Output } from './sync';

export function statusLines(s: RunStatus, cfg: ClientConfig): string[] {
  const lines = [
    `run: ${s.workflowId} (run id ${s.runId})`,
    `state: ${s.status}${s.outcome ? `; outcome: ${s.outcome}` : ''}${s.awaitingApproval ? '; AWAITING APPROVAL' : ''}`,
    `target: ${s.target ?? '?'}; mode: ${s.mode ?? '?'}; started ${s.startTime.toISOString()}${s.closeTime ? `; closed ${s.closeTime.toISOString()}` : ''}; ${s.historyLength} history events`,
    `web UI: ${webUiLink(cfg.temporal, s.workflowId)}`,
  ];
  if (s.status === 'RUNNING') {
    lines.push(s.progress ? `progress: ${progressLine(s.progress, ratePerMinuteOf(cfg))}` : 'progress: no worker answered the progress query (is a worker running?)');
  }
  if (s.pendingApproval) {
    const pa = s.pendingApproval;
    lines.push(
      `waiting for approval: ${pa.reason}`,
      `  planned: ${formatCounts(pa.planned)}`,
      `  rejected automatically at ${pa.deadline} if nobody answers`,
      `  first deactivations:`,
      ...pa.deactivations.map((d) => `    ${[d.displayName, d.userName && `<${d.userName}>`, `HR ${d.hrId}`, d.userId && `user ${d.userId}`].filter(Boolean).join('  ')}${d.reason ? `  (${d.reason})` : ''}`),
      `  approve: hrsync approve ${s.workflowId} --by NAME    reject: hrsync reject ${s.workflowId} --reason TEXT`,
    );
  }
  for (const r of s.retrying) lines.push(`retrying ${r.step}: ${retryLine(r)}`);
  if (s.summary) lines.push(...summaryLines(s.summary));
  else if (s.status !== 'RUNNING') lines.push(...endedLines(s));
  return lines;
}

/** `hrsync status <id>`: prints the state; with `follow`, shows progress until the run closes. */
export async function runStatusCommand(client: Client, cfg: ClientConfig, workflowId: string, opts: { follow?: boolean; json?: boolean }, io: Output = consoleOutput): Promise<number> {
  let status = await runStatus(client, workflowId);
  if (opts.follow && status.status === 'RUNNING') {
    const renderer = createProgressRenderer({ ratePerMinute: ratePerMinuteOf(cfg), stream: io.progress });
    try {
      status = await followRun(client, workflowId, { onProgress: (p, s) => renderer.update(p, s.retrying) });
    } finally {
      renderer.stop();
    }
  }
  if (opts.json) io.out(JSON.stringify(status));
  else for (const line of statusLines(status, cfg)) io.out(line);
  return 0;
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show a run: its state, progress, and the approval it waits for, if any')
    .argument('<workflowId>', 'the run id printed by `hrsync sync` or listed by `hrsync runs`')
    .option('--follow', 'keep showing progress until the run closes')
    .option('--json', 'print the status as one JSON object')
    .action(async (workflowId: string, opts: { follow?: boolean; json?: boolean }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      process.exitCode = await exitOnUsageError(() => withClient(cfg, (client) => runStatusCommand(client, cfg, workflowId, opts)));
    });
}
