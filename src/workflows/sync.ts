import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  TemporalFailure,
  allHandlersFinished,
  isCancellation,
  log,
  patched,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { evaluateDeactivationGate, evaluateGate, type MassChangeCounts } from '../domain/gate';
import type { PlannedChange } from '../domain/plan';
import { SA } from '../temporal/searchattributes';
import type {
  ApplyResult,
  DeactivationPreview,
  Outcome,
  ReferenceResult,
  PagePlan,
  Pass,
  Progress,
  RunFacts,
  SyncInput,
  SyncSummary,
} from './contracts';
import { addCounts, chunk, io, isActionable, options, pad, rootMessage, runRef, stepOptions, summarise, writeCalls } from './sync-helpers';

/** What a run remembers across continue-as-new: cursors, counters and short lists, never the company. */
export interface RunState {
  runKey: string;
  facts: RunFacts;
  stage: 'plan' | 'gate' | 'apply' | 'references' | 'report';
  step: 'snapshot' | 'hr' | 'orphans';
  cursor: string | null;
  /** Where the target snapshot goes on (`active:1` at the start); null once it is read. */
  snapshotCursor: string | null;
  /** Where the search for users HR no longer has goes on; null once it is done. */
  offset: number | null;
  page: number;
  progress: Progress;
  highWaterMark: string | null;
  /** The oldest `updated_at` among employees whose write failed: the watermark may not pass it. */
  oldestFailure: string | null;
  preview: DeactivationPreview[];
  gate?: SyncSummary['gate'];
  /** When an unanswered gate rejects the run (ISO), while it waits. */
  gateDeadline?: string;
  /** The oldest `updated_at` among employees whose manager reference waited for the end of the run. */
  oldestPendingReference?: string | null;
  /** Deactivations the apply pass has met so far: it may not run far past what the plan (and the gate) saw. */
  deactivationsMet?: number;
  /** Pages read by this run in the chain (continue-as-new resets it). */
  pagesThisRun?: number;
  /** Mass changes beyond deactivations the plan holds, for the gate. */
  massChanges?: MassChangeCounts;
}

export interface PendingApproval {
  reason: string;
  planned: Progress['planned'];
  deactivations: DeactivationPreview[];
  deadline: string;
}

export interface ApprovalInput {
  by?: string;
  reason?: string;
}

export const progressQuery = defineQuery<Progress>('progress');
export const pendingApprovalQuery = defineQuery<PendingApproval | null>('pendingApproval');
export const approveUpdate = defineUpdate<string, [ApprovalInput]>('approve');
export const rejectUpdate = defineUpdate<string, [ApprovalInput]>('reject');

const PREVIEW_LIMIT = 20;

const isContinueAsNew = (err: unknown) => err instanceof ContinueAsNew;

/**
 * One sync run: prepare, read and plan, gate, apply, resolve references, report.
 * Large runs continue as new between pages, carrying `RunState`.
 */
export async function syncWorkflow(input: SyncInput, resumed?: RunState): Promise<SyncSummary> {
  let decision: { approved: boolean; by?: string; reason?: string } | undefined;
  // Handlers first: a status query or an early approve must find them while prepare is still running.
  let current: RunState | undefined = resumed;
  listen(() => current, (d) => (decision = d));
  const run = resumed ?? (await prepare(input).catch(failedToPrepare));
  current = run;
  if (!resumed && patched('first-delta-as-full')) input = firstDeltaReadsEverything(run, input);
  try {
    if (run.stage === 'plan') await passOverHr(run, input, 'plan');
    if (run.stage === 'gate') {
      if (input.dryRun) {
        // Say whether the real run would stop for approval, without waiting.
        run.gate = deactivationVerdict(run, input);
        return await report(run, input, 'dry-run');
      }
      if (!(await passGate(run, input, () => decision))) return await report(run, input, 'rejected');
    }
    if (run.stage === 'apply') await passOverHr(run, input, 'apply');
    if (run.stage === 'references') await resolveReferences(run);
  } catch (err) {
    throw await failed(run, err);
  }
  return report(run, input, 'succeeded');
}

/**
 * A target's first delta has no watermark to start from, so it would read all of HR anyway: it runs as a
 * full sync, which resolves users from one read of the target instead of a lookup per employee.
 */
function firstDeltaReadsEverything(run: RunState, input: SyncInput): SyncInput {
  if (input.mode !== 'delta' || input.since || run.facts.updatedAfter !== null) return input;
  run.step = 'snapshot';
  log.info('no watermark yet for this target: the first delta runs as a full sync', { target: run.facts.targetName });
  upsertSearchAttributes([{ key: SA.mode, value: input.dryRun ? 'full-dry-run' : 'full' }]);
  return { ...input, mode: 'full' };
}

/**
 * A run that fails (a permanent HR error, retries spent, a cancellation) still leaves its report of what
 * it did, and says where; the watermark stays where it was.
 */
async function failed(run: RunState, err: unknown): Promise<unknown> {
  if (isContinueAsNew(err) || !(err instanceof TemporalFailure)) return err;
  const cancelled = isCancellation(err);
  const written = await CancellationScope.nonCancellable(() =>
    // Not final: the working files stay, so a reset of this run can pick up where it stopped.
    io.writeReport.executeWithOptions({ ...stepOptions(run.facts).defaults, summary: 'write the report of the failed run' }, [{ ...runRef(run), final: false }]),
  );
  upsertSearchAttributes([
    { key: SA.outcome, value: cancelled ? 'cancelled' : 'failed' },
    { key: SA.awaitingApproval, value: false },
    { key: SA.failed, value: written.outcomes.failed ?? 0 },
  ]);
  setPhase(run, `${cancelled ? 'cancelled' : 'failed'}; report: ${written.reportPath}`);
  if (cancelled) return err;
  return ApplicationFailure.create({
    type: 'sync-failed',
    // The root cause, not its wrapper's "Activity task failed": this is what the Web UI and the CLI show.
    message: `${rootMessage(err)} (report of what was done: ${written.reportPath})`,
    nonRetryable: true,
    cause: err,
    details: [{ reportPath: written.reportPath, outcomes: written.outcomes }],
  });
}

/** Nothing is planned yet, so there is no report to write; the outcome still must not stay "running". */
function failedToPrepare(err: unknown): never {
  if (err instanceof TemporalFailure) upsertSearchAttributes([{ key: SA.outcome, value: isCancellation(err) ? 'cancelled' : 'failed' }]);
  throw err;
}

async function prepare(input: SyncInput): Promise<RunState> {
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
  return {
    runKey,
    facts,
    stage: 'plan',
    step: input.mode === 'full' ? 'snapshot' : 'hr',
    cursor: null,
    snapshotCursor: 'active:1',
    offset: 0,
    page: 0,
    progress: startingProgress('plan'),
    highWaterMark: null,
    oldestFailure: null,
    preview: [],
  };
}

function startingProgress(phase: string): Progress {
  return {
    phase,
    pass: 'plan',
    pagesRead: 0,
    employeesRead: 0,
    rejectedRecords: 0,
    planned: {},
    outcomes: {},
    apiCalls: 0,
    writesRemaining: 0,
    awaitingApproval: false,
  };
}

function listen(current: () => RunState | undefined, decide: (d: { approved: boolean; by?: string; reason?: string }) => void): void {
  setHandler(progressQuery, () => current()?.progress ?? startingProgress('prepare'));
  setHandler(pendingApprovalQuery, () => {
    const run = current();
    return run ? pendingApproval(run) : null;
  });
  const validate = (_a: ApprovalInput) => {
    if (!current()?.progress.awaitingApproval) throw new Error('this run is not waiting for approval');
  };
  setHandler(approveUpdate, (a) => {
    decide({ approved: true, ...a });
    return 'approved';
  }, { validator: validate });
  setHandler(rejectUpdate, (a) => {
    decide({ approved: false, ...a });
    return 'rejected';
  }, { validator: validate });
}

function pendingApproval(run: RunState): PendingApproval | null {
  if (!run.progress.awaitingApproval || !run.gate) return null;
  return { reason: run.gate.reason, planned: run.progress.planned, deactivations: run.preview, deadline: run.gateDeadline ?? '' };
}

/**
 * One pass over HR (and, in full mode, over the target): `plan` only counts and records the plan;
 * `apply` plans each page again against fresh target state and writes it. Each step keeps its own
 * cursor in the run state, where `null` means "done", so a run that continues as new right after a
 * step's last page goes on to the next step instead of starting that one again.
 */
async function passOverHr(run: RunState, input: SyncInput, pass: Pass): Promise<void> {
  run.progress.pass = pass;
  if (run.step === 'snapshot') {
    await readTargetSnapshot(run, input, pass);
    run.step = 'hr';
    run.cursor = null;
    run.page = 0;
  }
  if (run.step === 'hr') {
    await readHrPages(run, input, pass);
    run.step = input.mode === 'full' ? 'orphans' : 'hr';
    run.offset = 0;
  }
  if (run.step === 'orphans') await findOrphans(run, input, pass);
  run.stage = pass === 'plan' ? 'gate' : 'references';
  run.step = input.mode === 'full' ? 'snapshot' : 'hr';
  run.cursor = null;
  run.snapshotCursor = 'active:1';
  run.offset = 0;
  run.page = 0;
}

async function readTargetSnapshot(run: RunState, input: SyncInput, pass: Pass): Promise<void> {
  setPhase(run, `${pass}: reading target users`);
  while (run.snapshotCursor !== null) {
    const page = await io.snapshotTargetPage.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: read target users (${run.snapshotCursor})` },
      [{ ...runRef(run), pass, cursor: run.snapshotCursor }],
    );
    run.progress.apiCalls += page.apiCalls;
    // The apply pass reads the target again.
    if (pass === 'plan') run.progress.callsToMake = (run.progress.callsToMake ?? 0) + page.apiCalls;
    run.snapshotCursor = page.nextCursor;
    await checkpoint(run, input);
  }
}

async function readHrPages(run: RunState, input: SyncInput, pass: Pass): Promise<void> {
  setPhase(run, `${pass}: reading HR`);
  // The first page has no cursor; after the last one the cursor is null again, and page counts it.
  while (run.page === 0 || run.cursor !== null) {
    const hrPage = await io.readHrPage.executeWithOptions(
      { ...stepOptions(run.facts).hr, summary: `${pass}: HR page ${run.page + 1}` },
      [{ ...runRef(run), pass, cursor: run.cursor, updatedAfter: run.facts.updatedAfter }],
    );
    const plan = await io.planPage.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: map and plan ${hrPage.employees.length} employees` },
      [
        {
          ...runRef(run),
          pass,
          page: run.page,
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
      run.highWaterMark = later(run.highWaterMark, hrPage.highWaterMark);
    }
    const updatedAt = new Map(hrPage.employees.map((e) => [e.id, e.updated_at]));
    await settlePage(run, input, plan, pass, (hrId) => updatedAt.get(hrId));
    run.cursor = hrPage.nextCursor;
    run.page += 1;
    await checkpoint(run, input);
  }
}

async function findOrphans(run: RunState, input: SyncInput, pass: Pass): Promise<void> {
  setPhase(run, `${pass}: looking for users HR no longer has`);
  while (run.offset !== null) {
    const orphans = await io.planOrphans.executeWithOptions(
      { ...stepOptions(run.facts).defaults, summary: `${pass}: users HR no longer has` },
      [{ ...runRef(run), pass, offset: run.offset }],
    );
    await settlePage(run, input, orphans, pass, () => undefined);
    run.offset = orphans.nextOffset;
    await checkpoint(run, input);
  }
}

/** Counts a page's plan; in the apply pass also writes it, chunk by chunk, and settles conflicts. */
async function settlePage(run: RunState, input: SyncInput, plan: PagePlan, pass: Pass, updatedAtOf: (hrId: string) => string | undefined): Promise<void> {
  run.progress.apiCalls += plan.apiCalls;
  const actionable = plan.changes.filter(isActionable);
  const size = run.facts.bulk.supported ? Math.min(run.facts.chunkSize, run.facts.bulk.maxOperations) : run.facts.chunkSize;
  if (pass === 'plan') {
    addCounts(run.progress.planned, plan.counts);
    if (plan.massChanges) addCounts((run.massChanges ??= {}), plan.massChanges);
    for (const d of plan.deactivations) if (run.preview.length < PREVIEW_LIMIT) run.preview.push(d);
    run.progress.writesRemaining += actionable.length;
    run.progress.callsToMake = (run.progress.callsToMake ?? 0) + plan.apiCalls + writeCalls(actionable, size, run.facts.bulk.supported);
    return;
  }
  guardDeactivations(run, input, actionable.filter((c) => c.action === 'deactivate').length);
  const reading = run.progress.phase;
  if (actionable.length > 0) setPhase(run, `apply: writing ${actionable.length} changes`);
  for (const [i, changes] of chunk(actionable, size).entries()) {
    const part = run.step === 'orphans' ? `orphans-${pad(run.offset ?? 0)}-${pad(i)}` : `hr-${pad(run.page)}-${pad(i)}`;
    const result = await applyChunk(run, changes, part);
    for (const hrId of result.failedHrIds) run.oldestFailure = earlier(run.oldestFailure, updatedAtOf(hrId) ?? null);
    for (const c of changes) if (c.pendingManagerHrId !== undefined) run.oldestPendingReference = earlier(run.oldestPendingReference ?? null, updatedAtOf(c.hrId) ?? null);
    run.progress.writesRemaining = Math.max(0, run.progress.writesRemaining - changes.length);
  }
  if (actionable.length > 0) setPhase(run, reading);
  const untouched = plan.changes.length - actionable.length;
  if (untouched > 0) addCounts(run.progress.outcomes, { unchanged: untouched });
}

/**
 * HR is read again for the apply pass. If it now says many more people left than the plan (and so the
 * gate) saw, for instance because an export broke after approval, stop before writing them.
 */
function guardDeactivations(run: RunState, input: SyncInput, onThisPage: number): void {
  run.deactivationsMet = (run.deactivationsMet ?? 0) + onThisPage;
  const planned = run.progress.planned.deactivate ?? 0;
  // An approval covers what was shown, and the gate's count on top; without one, the gate's own limits hold.
  const beyond =
    run.gate?.decision === 'approved'
      ? run.deactivationsMet > planned + run.facts.gate.maxCount
      : evaluateDeactivationGate({ deactivations: run.deactivationsMet, population: run.facts.population, config: run.facts.gate, mode: input.mode }).required;
  if (beyond) {
    throw ApplicationFailure.nonRetryable(
      `HR changed between planning and applying: ${run.deactivationsMet} deactivations met, ${planned} planned; stopped before writing more (run again to plan and gate afresh)`,
      'deactivations-beyond-plan',
    );
  }
}

async function applyChunk(run: RunState, changes: PlannedChange[], part: string): Promise<ApplyResult> {
  let result: ApplyResult;
  try {
    result = await io.applyChanges.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `apply ${changes.length} changes${run.facts.bulk.supported ? ' (bulk)' : ''}` },
      [{ ...runRef(run), part, changes, bulk: run.facts.bulk.supported }],
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Retries are spent (or the failure is permanent): every user in the chunk is reported, none dropped.
    result = await io.recordFailures({ ...runRef(run), part, changes, error: rootMessage(err) });
  }
  run.progress.apiCalls += result.apiCalls;
  addCounts(run.progress.outcomes, result.outcomes);
  for (const change of result.conflicts) {
    const settled = await refetchAndApply(run, change);
    // The conflict is settled: count the user once, by how it ended.
    run.progress.outcomes.conflict = Math.max(0, (run.progress.outcomes.conflict ?? 0) - 1);
    addCounts(run.progress.outcomes, { [settled]: 1 });
    if (settled === 'failed') result.failedHrIds.push(change.hrId);
  }
  return result;
}

/** The per-user conflict path; if even that fails for good, the user is reported, and the run goes on. */
async function refetchAndApply(run: RunState, change: PlannedChange): Promise<Outcome> {
  try {
    const settled = await io.refetchAndApply.executeWithOptions(
      { ...stepOptions(run.facts).write, summary: `refetch and retry after a version conflict (HR ${change.hrId})` },
      [{ ...runRef(run), change, attempts: run.facts.conflictRetries }],
    );
    run.progress.apiCalls += settled.apiCalls;
    return settled.outcome;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await io.recordFailures({ ...runRef(run), part: change.hrId, changes: [change], error: rootMessage(err), stage: 'fix' });
    return 'failed';
  }
}

/** Past the deactivation (or other mass-change) thresholds, nothing is written until a person approves; silence rejects. */
function deactivationVerdict(run: RunState, input: SyncInput): NonNullable<SyncSummary['gate']> {
  const verdict = evaluateGate({
    deactivations: run.progress.planned.deactivate ?? 0,
    population: run.facts.population,
    config: run.facts.gate,
    mode: input.mode,
    hrRecords: run.progress.employeesRead,
    massChanges: run.massChanges,
  });
  return { required: verdict.required, reason: verdict.reason };
}

async function passGate(run: RunState, input: SyncInput, decision: () => { approved: boolean; by?: string; reason?: string } | undefined): Promise<boolean> {
  const verdict = deactivationVerdict(run, input);
  run.gate = verdict;
  if (verdict.required) {
    setPhase(run, `awaiting approval: ${verdict.reason}`);
    run.progress.awaitingApproval = true;
    run.gateDeadline = new Date(Date.now() + run.facts.gate.timeoutSeconds * 1000).toISOString();
    upsertSearchAttributes([{ key: SA.awaitingApproval, value: true }, { key: SA.outcome, value: 'awaiting-approval' }]);
    const answered = await condition(() => decision() !== undefined, run.facts.gate.timeoutSeconds * 1000);
    run.progress.awaitingApproval = false;
    upsertSearchAttributes([{ key: SA.awaitingApproval, value: false }, { key: SA.outcome, value: 'running' }]);
    const d = decision();
    run.gate.decision = !answered ? 'timed-out' : d?.approved ? 'approved' : 'rejected';
    if (d?.by) run.gate.by = d.by;
    if (d?.reason) run.gate.note = d.reason;
    if (run.gate.decision !== 'approved') return false;
  }
  run.stage = 'apply';
  run.progress.callsAtApply = run.progress.apiCalls;
  return true;
}

async function resolveReferences(run: RunState): Promise<void> {
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
    run.oldestFailure = earlier(run.oldestFailure, refs.oldestFailure ?? null);
    offset = refs.nextOffset ?? null;
  }
  run.progress.outcomes['pending-reference'] = failed;
  // A reference still unset is a change not fully made: the next delta reads that employee again.
  if (undated > 0) run.oldestFailure = earlier(run.oldestFailure, run.oldestPendingReference ?? null);
  run.stage = 'report';
}

/** The final activity. A run that wrote is `succeeded` only if its report has no failed row. */
async function report(run: RunState, input: SyncInput, ended: SyncSummary['outcome']): Promise<SyncSummary> {
  setPhase(run, 'writing the reconciliation report');
  const written = await io.writeReport.executeWithOptions(
    { ...stepOptions(run.facts).defaults, summary: 'write the CSV reconciliation report' },
    [{ ...runRef(run), final: true }],
  );
  const failures = (written.outcomes.failed ?? 0) + (written.outcomes['pending-reference'] ?? 0);
  const outcome = ended === 'succeeded' && failures > 0 ? 'completed-with-failures' : ended;
  const summary = summarise(run, input, outcome, written);
  upsertSearchAttributes([
    { key: SA.outcome, value: outcome },
    { key: SA.planned, value: Object.values(run.progress.planned).reduce((a, b) => a + (b ?? 0), 0) },
    { key: SA.failed, value: written.outcomes.failed ?? 0 },
    { key: SA.drift, value: written.drift },
    ...(summary.watermark ? [{ key: SA.watermark, value: new Date(summary.watermark) }] : []),
  ]);
  setPhase(run, `done: ${outcome}`);
  return summary;
}

/** The phase shows in the progress query, in the Web UI's current details, and in the worker's log (with the run id). */
function setPhase(run: RunState, phase: string): void {
  run.progress.phase = phase;
  setCurrentDetails(`**${phase}**`);
  log.info(phase, {
    target: run.facts.targetName,
    pagesRead: run.progress.pagesRead,
    planned: run.progress.planned,
    outcomes: run.progress.outcomes,
    apiCalls: run.progress.apiCalls,
  });
}

/** Continue as new when Temporal suggests it, so a 100,000-employee run stays within the history limits. */
async function checkpoint(run: RunState, input: SyncInput): Promise<void> {
  run.pagesThisRun = (run.pagesThisRun ?? 0) + 1;
  const limit = run.facts.maxPagesPerRun ?? 0;
  if (!workflowInfo().continueAsNewSuggested && !(limit > 0 && run.pagesThisRun >= limit)) return;
  await condition(allHandlersFinished);
  await continueAsNew<typeof syncWorkflow>(input, { ...run, pagesThisRun: 0 });
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}
