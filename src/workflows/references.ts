import type { ReferenceResult } from './contracts';
import { earlier } from '../domain/watermark';
import { runRef, setPhase, type RunState } from './run';
import { addCounts, io, stepOptions } from './sync-helpers';

/** The run's group memberships, per group in batches, once every user is written. */
export async function applyMemberships(run: RunState): Promise<void> {
  setPhase(run, 'apply: group memberships');
  const result = await io.applyMemberships.executeWithOptions({ ...stepOptions(run.facts).write, summary: 'group memberships of the run, per group in batches' }, [runRef(run)]);
  run.progress.apiCalls += result.apiCalls;
  const outcomes = run.progress.outcomes;
  for (const f of result.failed) {
    // A user whose membership failed counts as failed, so the watermark stays before their change.
    const left = (outcomes[f.was] ?? 1) - 1;
    if (left > 0) outcomes[f.was] = left;
    else delete outcomes[f.was];
    addCounts(outcomes, { failed: 1 });
    run.marks.oldestFailure = earlier(run.marks.oldestFailure, f.updatedAt ?? null);
  }
}

/** Sets the manager references left for the end of the run, batch by batch. */
export async function resolveReferences(run: RunState): Promise<void> {
  setPhase(run, 'resolving manager references');
  let offset: number | null = 0;
  let failed = 0;
  let undated = 0;
  while (offset !== null) {
    const refs: ReferenceResult = await io.resolveReferences.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `resolve manager references left for the end of the run (from ${offset})` },
      [{ ...runRef(run), offset }],
    );
    run.progress.apiCalls += refs.apiCalls;
    failed += refs.failed;
    // Older results carry no dates: their failures hold the watermark before every pending reference.
    undated += refs.oldestFailure === undefined ? refs.failed : (refs.undatedFailures ?? 0);
    run.marks.oldestFailure = earlier(run.marks.oldestFailure, refs.oldestFailure ?? null);
    offset = refs.nextOffset ?? null;
  }
  run.progress.outcomes['pending-reference'] = failed;
  // A reference still unset is a change not fully made: the next delta reads that employee again.
  if (undated > 0) run.marks.oldestFailure = earlier(run.marks.oldestFailure, run.marks.oldestPendingReference);
}
