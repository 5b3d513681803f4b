import type { SyncInput } from './contracts';
import { advance, isReading, type Reading } from './position';
import { checkpoint, later, runRef, setPhase, type RunState } from './run';
import { io, membershipCalls, stepOptions } from './sync-helpers';
import { applyManagersFirst, settlePage } from './settle';

/**
 * One pass over HR (and, in full mode, over the target): `plan` only counts and records the plan;
 * `apply` plans each page again against fresh target state and writes it. Each page moves the run's
 * position on, and the pass ends where the position leaves the pass's stage.
 */
export async function passOverHr(run: RunState, input: SyncInput): Promise<void> {
  const stage = run.position.stage;
  run.progress.pass = stage === 'apply' ? 'apply' : 'plan';
  let shown: string | undefined;
  while (isReading(run.position) && run.position.stage === stage) {
    const at: Reading = run.position;
    if (shown !== at.read) setPhase(run, `${at.stage}: ${PHASE[at.read]}`);
    shown = at.read;
    run.position = advance(at, await readPage(run, input, at), input.mode);
    // The plan is whole: the memberships it needs go at the end of the run, per group in batches.
    if (at.stage === 'plan' && run.position.stage !== 'plan') run.progress.callsToMake = (run.progress.callsToMake ?? 0) + membershipCalls(run.groupMembers, run.facts.groupBatchSize ?? 100);
    await checkpoint(run, input);
  }
}

const PHASE = {
  snapshot: 'reading target users',
  managers: 'creating the joiners who manage someone',
  hr: 'reading HR',
  orphans: 'looking for users HR no longer has',
} as const;

/** Reads (and plans, and in the apply pass writes) one page; returns where the read goes on, or null after its last page. */
async function readPage(run: RunState, input: SyncInput, at: Reading): Promise<string | number | null> {
  const pass = at.stage;
  if (at.read === 'snapshot') {
    const page = await io.snapshotTargetPage.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: read target users (${at.cursor})` },
      [{ ...runRef(run), pass, cursor: at.cursor }],
    );
    run.progress.apiCalls += page.apiCalls;
    return page.nextCursor;
  }
  if (at.read === 'managers') return applyManagersFirst(run, at);
  if (at.read === 'orphans') {
    const orphans = await io.planOrphans.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: users HR no longer has` },
      [{ ...runRef(run), pass, offset: at.offset }],
    );
    await settlePage(run, input, orphans, at, () => undefined);
    return orphans.nextOffset;
  }
  const hrPage = await io.readHrPage.executeWithOptions(
    { ...stepOptions(run.facts).hr, summary: `${pass}: HR page ${at.page + 1}` },
    [{ ...runRef(run), pass, cursor: at.cursor, updatedAfter: run.facts.updatedAfter }],
  );
  const plan = await io.planPage.executeWithOptions(
    { ...stepOptions(run.facts).defaults, summary: `${pass}: map and plan ${hrPage.employees.length} employees` },
    [
      {
        ...runRef(run),
        pass,
        page: at.page,
        mode: input.mode,
        today: run.facts.today,
        groupIds: run.facts.groupIds,
        employees: hrPage.employees,
        rejected: hrPage.rejected,
        duplicates: hrPage.duplicates,
      },
    ],
  );
  run.progress.apiCalls += hrPage.apiCalls;
  if (pass === 'plan') {
    run.progress.pagesRead += 1;
    run.progress.employeesRead += hrPage.employees.length;
    run.progress.rejectedRecords += hrPage.rejected.length;
    run.marks.highWaterMark = later(run.marks.highWaterMark, hrPage.highWaterMark);
  }
  const updatedAt = new Map(hrPage.employees.map((e) => [e.id, e.updated_at]));
  await settlePage(run, input, plan, at, (hrId) => updatedAt.get(hrId));
  return hrPage.nextCursor;
}
