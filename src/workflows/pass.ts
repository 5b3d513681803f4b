import type { HrPagePlan, Pass, PlanInput, SyncInput } from './contracts';
import { advance, isReading, readTargetFirst, type Position, type Reading } from './position';
import { later } from '../domain/watermark';
import { checkpoint, checkpointDue, runRef, setPhase, type RunState } from './run';
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
  // The plan of the HR page at `run.position`, when it was started while the page before was written.
  let ahead: Planning | undefined;
  while (isReading(run.position) && run.position.stage === stage) {
    const at: Reading = run.position;
    if (shown !== at.read) setPhase(run, `${at.stage}: ${at.read === 'snapshot' && at.back && run.lookups.readOnce ? run.lookups.readOnce : PHASE[at.read]}`);
    shown = at.read;
    const read = await readPage(run, input, at, ahead);
    run.position = read.detour ?? advance(at, read.more, input.mode);
    ahead = read.ahead;
    // The plan is whole: the memberships it needs go at the end of the run, per group in batches.
    if (at.stage === 'plan' && run.position.stage !== 'plan') run.progress.callsToMake = (run.progress.callsToMake ?? 0) + membershipCalls(run.groupMembers, run.facts.groupBatchSize ?? 100);
    await checkpoint(run, input, ahead !== undefined);
  }
}

/** An HR page's planHrPage in flight. */
type Planning = Promise<HrPagePlan>;

/**
 * What one page moved: where its read goes on (null after its last page), and the next page's plan if it
 * started; or where the run reads first before it plans the page again (a delta that reads the target once).
 */
interface PageRead {
  more: string | number | null;
  ahead?: Planning;
  detour?: Reading;
}

const PHASE = {
  snapshot: 'reading target users',
  managers: 'creating the joiners who manage someone',
  hr: 'reading HR',
  orphans: 'looking for users HR no longer has',
} as const;

/** Reads (and plans, and in the apply pass writes) one page. */
async function readPage(run: RunState, input: SyncInput, at: Reading, ahead: Planning | undefined): Promise<PageRead> {
  const pass = at.stage;
  if (at.read === 'snapshot') {
    const page = await io.snapshotTargetPage.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: read target users (${at.cursor})` },
      [{ ...runRef(run), pass, cursor: at.cursor }],
    );
    run.progress.apiCalls += page.apiCalls;
    return { more: page.nextCursor };
  }
  if (at.read === 'managers') return { more: await applyManagersFirst(run, at) };
  if (at.read === 'orphans') {
    const orphans = await io.planOrphans.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: users HR no longer has` },
      [{ ...planInput(run, input, pass), offset: at.offset }],
    );
    await settlePage(run, input, orphans, at, { read: 'orphans', offset: at.offset });
    return { more: orphans.nextOffset };
  }
  let page = await (ahead ?? planHrPage(run, input, at));
  if (page.planAgain) {
    // Planned ahead, it met someone the page before wrote meanwhile: that page is written now.
    run.progress.apiCalls += page.apiCalls;
    page = await planHrPage(run, input, at);
  }
  if (page.readTarget) {
    run.progress.apiCalls += page.apiCalls;
    run.lookups = { calls: run.lookups.calls + (page.lookupCalls ?? 0), readOnce: page.readTarget };
    return { more: at.cursor, detour: readTargetFirst(at) };
  }
  if (input.mode === 'delta' && pass === 'plan') run.lookups.calls += page.lookupCalls ?? 0;
  if (pass === 'plan') {
    run.progress.pagesRead += 1;
    run.progress.employeesRead += page.employees;
    run.progress.rejectedRecords += page.rejected;
    run.marks.highWaterMark = later(run.marks.highWaterMark, page.highWaterMark);
  }
  const next = planAhead(run, input, advance(at, page.nextCursor, input.mode), at.page);
  try {
    await settlePage(run, input, page, at, { read: 'hr', page: at.page });
  } catch (err) {
    // The run ends here: nothing of it may still be writing its files while the report reads them.
    await next?.catch(() => undefined);
    throw err;
  }
  return { more: page.nextCursor, ...(next ? { ahead: next } : {}) };
}

function planHrPage(run: RunState, input: SyncInput, at: Extract<Reading, { read: 'hr' }>, writing?: number): Planning {
  return io.planHrPage.executeWithOptions(
    { ...stepOptions(run.facts).defaults, summary: `${at.stage}: read and plan HR page ${at.page + 1}` },
    [{ ...planInput(run, input, at.stage), page: at.page, cursor: at.cursor, updatedAfter: run.facts.updatedAfter, ...resolutionOf(run, input), ...(writing !== undefined ? { writing } : {}) }],
  );
}

/**
 * The apply pass plans the next HR page while this one (`writing`) is written: its cursor is known once
 * this one is planned, and planning only reads (HR, and the target in a delta) and stores. The writes
 * stay in order, one page after another. What the plan cannot see yet is what this page writes: a
 * manager it creates is planned as a pending reference, which the write of their report finds in the
 * run store (see writeChunk), and a page that shares an employee with this one is planned again
 * (`planAgain`). Only between HR pages, and never across a continue-as-new (see checkpoint).
 */
function planAhead(run: RunState, input: SyncInput, next: Position, writing: number): Planning | undefined {
  if (next.stage !== 'apply' || !isReading(next) || next.read !== 'hr' || checkpointDue(run)) return undefined;
  const planning = planHrPage(run, input, next, writing);
  // Awaited on the next page (or when this one fails); until then a failure must not count as unhandled.
  planning.catch(() => undefined);
  return planning;
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
