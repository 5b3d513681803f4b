import type { Pass, PlanInput, SyncInput } from './contracts';
import { advance, isReading, readTargetFirst, type Reading } from './position';
import { later } from '../domain/watermark';
import { checkpoint, runRef, setPhase, type RunState } from './run';
import { membershipCalls } from '../domain/writes';
import { io, stepOptions } from './sync-helpers';
import { applyManagersFirst, chunkSizeOf, PREVIEW_LIMIT, settlePage } from './settle';

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
    if (shown !== at.read) setPhase(run, `${at.stage}: ${at.read === 'snapshot' && at.back && run.lookups.readOnce ? run.lookups.readOnce : PHASE[at.read]}`);
    shown = at.read;
    const more = await readPage(run, input, at);
    run.position = typeof more === 'object' && more !== null ? more.detour : advance(at, more, input.mode);
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

/**
 * Reads (and plans, and in the apply pass writes) one page; returns where the read goes on, or null after its
 * last page, or where the run reads first before it plans the page again (a delta that reads the target once).
 */
async function readPage(run: RunState, input: SyncInput, at: Reading): Promise<string | number | null | { detour: Reading }> {
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
      [{ ...planInput(run, input, pass), offset: at.offset }],
    );
    await settlePage(run, input, orphans, at, { read: 'orphans', offset: at.offset });
    return orphans.nextOffset;
  }
  const page = await io.planHrPage.executeWithOptions(
    { ...stepOptions(run.facts).defaults, summary: `${pass}: read and plan HR page ${at.page + 1}` },
    [{ ...planInput(run, input, pass), page: at.page, cursor: at.cursor, updatedAfter: run.facts.updatedAfter, ...resolutionOf(run, input) }],
  );
  if (page.readTarget) {
    run.progress.apiCalls += page.apiCalls;
    run.lookups = { calls: run.lookups.calls + (page.lookupCalls ?? 0), readOnce: page.readTarget };
    return { detour: readTargetFirst(at) };
  }
  if (input.mode === 'delta' && pass === 'plan') run.lookups.calls += page.lookupCalls ?? 0;
  if (pass === 'plan') {
    run.progress.pagesRead += 1;
    run.progress.employeesRead += page.employees;
    run.progress.rejectedRecords += page.rejected;
    run.marks.highWaterMark = later(run.marks.highWaterMark, page.highWaterMark);
  }
  await settlePage(run, input, page, at, { read: 'hr', page: at.page });
  return page.nextCursor;
}

/** What a delta's HR page needs to ask the target or read it once (see domain/readonce). */
function resolutionOf(run: RunState, input: SyncInput) {
  if (input.mode !== 'delta') return {};
  return { resolution: { population: run.facts.population, spent: run.lookups.calls, targetRead: run.lookups.readOnce !== null } };
}

/** The one place a page's planning input is made, for HR pages and orphans alike. */
function planInput(run: RunState, input: SyncInput, pass: Pass): PlanInput {
  return {
    ...runRef(run),
    pass,
    mode: input.mode,
    today: run.facts.today,
    groupIds: run.facts.groupIds,
    chunkSize: chunkSizeOf(run),
    bulk: run.facts.bulk.supported,
    previewRoom: pass === 'plan' ? Math.max(0, PREVIEW_LIMIT - run.gate.preview.length) : 0,
  };
}
