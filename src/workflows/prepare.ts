import { log, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SA } from '../temporal/searchattributes';
import type { SyncInput } from './contracts';
import { startOf } from './position';
import { newRun, type RunState } from './run';
import { io, options } from './sync-helpers';

/** The run's facts (token, target capabilities, the delta's window), and its place at the start of the plan pass. */
export async function prepare(input: SyncInput): Promise<RunState> {
  const runKey = workflowInfo().workflowId;
  const facts = await io.prepareRun.executeWithOptions(
    { ...options.defaults, summary: `prepare: token, target capabilities, ${input.mode} window` },
    [{ runKey, mode: input.mode, since: input.since ?? null }],
  );
  upsertSearchAttributes([
    { key: SA.target, value: facts.targetName },
    { key: SA.mode, value: input.dryRun ? `${input.mode}-dry-run` : input.mode },
    { key: SA.outcome, value: 'running' },
    { key: SA.awaitingApproval, value: false },
  ]);
  return newRun(runKey, facts, startOf('plan', input.mode));
}

/**
 * A target's first delta has no watermark to start from, so it would read all of HR anyway: it runs as a
 * full sync, which resolves users from one read of the target instead of a lookup per employee.
 */
export function firstDeltaReadsEverything(run: RunState, input: SyncInput): SyncInput {
  if (input.mode !== 'delta' || input.since || run.facts.updatedAfter !== null) return input;
  run.position = startOf('plan', 'full');
  log.info('no watermark yet for this target: the first delta runs as a full sync', { target: run.facts.targetName });
  upsertSearchAttributes([{ key: SA.mode, value: input.dryRun ? 'full-dry-run' : 'full' }]);
  return { ...input, mode: 'full' };
}
