import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { runSync, type Output } from '../../src/cli/sync';
import { runPlan } from '../../src/cli/plan';
import { loadClientConfig, loadWorkerConfig, type ClientConfig } from '../../src/config';
import { approveRun, NotAwaitingApprovalError, rejectRun } from '../../src/runs/approval';
import { fetchReport, listRuns, runResult, runStatus, type RunListing } from '../../src/runs/inspect';
import { exitCodeFor } from '../../src/runs/outcome';
import { ConcurrentSyncError, confirmRunning, runningSyncs, startSync } from '../../src/runs/start';
import {
  createSchedules,
  deleteSchedules,
  describeSchedules,
  listSchedules,
  ScheduleCommandError,
  triggerSchedule,
} from '../../src/schedules/manage';
import { createActivities } from '../../src/activities';
import { createHrsyncWorker } from '../../src/worker';
import { testEnv, workflowBundle } from '../support/temporal';
import { createFakes, deferred, type Fakes } from './fakes';

const TASK_QUEUE = 'hrsync-ops-test';

/** Visibility is eventually consistent: poll until `check` passes or the deadline. */
async function eventually<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function captureOutput(): Output & { lines: string[]; errs: string[]; progressLines: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  const progressLines: string[] = [];
  const progress = new Writable({
    write(chunk, _enc, cb) {
      progressLines.push(String(chunk));
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  return { lines, errs, progressLines, progress, out: (l) => lines.push(l), err: (l) => errs.push(l) };
}

describe('ops commands against the sync workflow on a real dev server', function () {
  this.timeout(60_000);
  let client: Client;
  let cfg: ClientConfig;
  let worker: Worker;
  let running: Promise<void>;
  let fakes: Fakes;
  let address: string;
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-ops-'));
  const holds: (() => void)[] = [];

  before(async function () {
    this.timeout(120_000);
    const env = await testEnv();
    client = env.client;
    address = env.address;
    const base = { TEMPORAL_ADDRESS: env.address, HRSYNC_TASK_QUEUE: TASK_QUEUE, HRSYNC_REPORT_DIR: reportDir };
    cfg = loadClientConfig({ env: base });
    const workerCfg = loadWorkerConfig({
      env: { ...base, HR_BASE_URL: 'http://127.0.0.1:1', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'never-printed' },
    });
    fakes = createFakes(reportDir, Object.keys(createActivities({ config: workerCfg })));
    worker = await createHrsyncWorker({ connection: env.nativeConnection, config: workerCfg, workflowBundle: await workflowBundle(), activities: fakes.activities });
    running = worker.run();
  });

  after(async function () {
    this.timeout(60_000);
    for (const release of holds) release();
    if (worker) {
      worker.shutdown();
      await running;
    }
    rmSync(reportDir, { recursive: true, force: true });
  });

  function hold(target: string, employees = 3): () => void {
    const d = deferred();
    holds.push(d.release);
    fakes.behaviours.set(target, { employees, hold: d.promise });
    return () => {
      fakes.behaviours.set(target, { employees });
      d.release();
    };
  }

  it('sync --wait follows a run to its summary, --json prints one line; runs lists them with counts; report returns the CSV; status shows the closed run', async () => {
    fakes.behaviours.set('opsrun', { employees: 3 });
    const io = captureOutput();
    const code = await runSync(client, cfg, { mode: 'delta', wait: true, target: 'opsrun', pollMs: 200 }, io);
    assert.equal(code, 0, io.errs.join('\n'));
    const id = io.lines[0].replace(/^started /, '');
    assert.match(id, /^hrsync-opsrun-delta-\d{8}T\d{6}Z$/);
    assert.equal(io.lines[1], `http://localhost:8233/namespaces/default/workflows/${id}`);
    assert.ok(io.lines.includes('outcome: succeeded'), io.lines.join('\n'));
    assert.ok(io.lines.some((l) => l.startsWith('report: ') && l.endsWith(`${id}.csv`)));

    const json = captureOutput();
    assert.equal(await runSync(client, cfg, { mode: 'full', wait: true, json: true, target: 'opsrun', pollMs: 200, now: new Date(Date.now() + 1000) }, json), 0);
    assert.equal(json.lines.length, 1, 'stdout holds exactly one JSON line');
    const line = JSON.parse(json.lines[0]);
    assert.match(line.workflowId, /^hrsync-opsrun-full-/);
    assert.deepEqual(line.outcomes, { applied: 3 });
    assert.equal(line.planned.create, 3);
    assert.equal(typeof line.apiCalls, 'number');
    assert.equal(line.drift, 0);
    assert.match(line.reportPath, /\.csv$/);

    const runs = await eventually(
      'both runs in visibility with their counts',
      () => listRuns(client, { target: 'opsrun', limit: 10 }),
      (rs: RunListing[]) => rs.length === 2 && rs.every((r) => r.outcome === 'succeeded' && r.planned === 3),
    );
    assert.equal(runs[0].workflowId, line.workflowId, 'newest first');
    assert.deepEqual([runs[0].mode, runs[1].mode], ['full', 'delta']);
    assert.deepEqual([runs[0].failed, runs[0].drift, runs[0].status], [0, 0, 'COMPLETED']);

    const report = await fetchReport(client, id);
    assert.match(report.csv, /^hr_id,user_id,user_name,action,outcome/);
    assert.equal(report.csv.trim().split('\n').length, 4);
    assert.equal(report.summary?.outcome, 'succeeded');
    assert.equal(report.partial, false);

    const status = await runStatus(client, id);
    assert.equal(status.status, 'COMPLETED');
    assert.equal(status.summary?.outcomes.applied, 3);
    assert.equal(status.progress, null);
  });

  it('plan runs a dry run and shows counts, the first changes per action, and the time at the rate budget, writing nothing', async () => {
    fakes.behaviours.set('opsplan', { employees: 4 });
    const io = captureOutput();
    const { view, exitCode } = await runPlan(client, cfg, { mode: 'full', target: 'opsplan', first: 2, pollMs: 200 }, io);
    assert.equal(exitCode, 0);
    assert.ok(view);
    assert.deepEqual(view.counts, { create: 4 });
    assert.equal(view.samples.create?.length, 2);
    assert.equal(view.samples.create?.[0].userName, 'person1@example.com');
    assert.equal(view.writes, 4);
    assert.equal(fakes.writes.get(view.workflowId) ?? 0, 0);
    assert.match(view.workflowId, /^hrsync-opsplan-full-dry-run-/);
    assert.ok(io.lines.some((l) => /about \d+ for 4 writes .*, at 300\/min/.test(l)), io.lines.join('\n'));
  });

  it('status shows a running run and its progress; approve and reject refuse a run that is not waiting; a second writing sync of the target is refused', async () => {
    const release = hold('opshold');
    const started = await startSync(client, cfg, { target: 'opshold' });
    const status = await eventually('progress from the running run, past prepare', () => runStatus(client, started.workflowId), (s) => s.progress !== null && s.progress.phase !== 'prepare');
    assert.equal(status.status, 'RUNNING');
    assert.equal(status.pendingApproval, null);
    assert.match(status.progress!.phase, /plan/);

    await assert.rejects(approveRun(client, started.workflowId, { by: 'alice' }), (e: Error) => e instanceof NotAwaitingApprovalError && e.message === `run ${started.workflowId} is not waiting for approval`);
    await assert.rejects(rejectRun(client, started.workflowId, { reason: 'no' }), NotAwaitingApprovalError);

    await eventually('the running sync in visibility', () => runningSyncs(client, 'opshold'), (ids) => ids.includes(started.workflowId));
    await assert.rejects(startSync(client, cfg, { target: 'opshold', now: new Date(Date.now() + 2000) }), ConcurrentSyncError);

    release();
    const result = await runResult(client, started.workflowId);
    assert.equal(result.summary?.outcome, 'succeeded');
    await assert.rejects(approveRun(client, started.workflowId), /is not waiting for approval/);
  });

  it('a run that has completed no longer blocks a start, though visibility may still list it as running; a running one still does', async () => {
    fakes.behaviours.set('opsconfirm', { employees: 2 });
    const done = await startSync(client, cfg, { target: 'opsconfirm' });
    assert.equal((await runResult(client, done.workflowId)).summary?.outcome, 'succeeded');
    const release = hold('opsconfirm');
    const held = await startSync(client, cfg, { target: 'opsconfirm', now: new Date(Date.now() + 2000) });
    await eventually('the held run past prepare', () => runStatus(client, held.workflowId), (s) => s.progress !== null && s.progress.phase !== 'prepare');

    // The completed run offered as visibility would offer it for a moment after it closed, by id and by execution.
    const candidates = [{ workflowId: done.workflowId, runId: done.runId }, { workflowId: done.workflowId }, { workflowId: held.workflowId, runId: held.runId }];
    assert.deepEqual(await confirmRunning(client, candidates), [held.workflowId]);
    assert.deepEqual(await confirmRunning(client, [{ workflowId: 'hrsync-opsconfirm-never-started' }]), []);
    await eventually('the held run in visibility', () => runningSyncs(client, 'opsconfirm'), (ids) => ids.includes(held.workflowId));
    await assert.rejects(startSync(client, cfg, { target: 'opsconfirm', now: new Date(Date.now() + 4000) }), (e: Error) => e instanceof ConcurrentSyncError && e.message.includes(held.workflowId) && !e.message.includes(done.workflowId));

    release();
    assert.equal((await runResult(client, held.workflowId)).summary?.outcome, 'succeeded');
    assert.deepEqual(await confirmRunning(client, [{ workflowId: held.workflowId, runId: held.runId }]), []);
  });

  it('the gate: status shows the pending approval; approve lets it write, reject ends it with nothing written (exit code 3)', async () => {
    fakes.behaviours.set('opsgate', { employees: 30, deactivate: 30 });
    const a = await startSync(client, cfg, { target: 'opsgate' });
    const waiting = await eventually('the gate', () => runStatus(client, a.workflowId), (s) => s.pendingApproval !== null);
    assert.match(waiting.pendingApproval!.reason, /30 of 100/);
    assert.equal(waiting.pendingApproval!.deactivations.length, 20);
    assert.equal(waiting.progress?.awaitingApproval, true);
    assert.equal(fakes.writes.get(a.workflowId) ?? 0, 0, 'nothing written before approval');
    await eventually('awaiting-approval in visibility', () => listRuns(client, { target: 'opsgate' }), (rs) => rs[0]?.awaitingApproval === true && rs[0]?.outcome === 'awaiting-approval');
    assert.equal(await approveRun(client, a.workflowId, { by: 'alice' }), 'approved');
    const approved = await runResult(client, a.workflowId);
    assert.equal(approved.summary?.outcome, 'succeeded');
    assert.deepEqual([approved.summary?.gate?.decision, approved.summary?.gate?.by], ['approved', 'alice']);
    assert.equal(fakes.writes.get(a.workflowId), 30);

    const b = await startSync(client, cfg, { target: 'opsgate', now: new Date(Date.now() + 2000) });
    await eventually('the gate', () => runStatus(client, b.workflowId), (s) => s.pendingApproval !== null);
    assert.equal(await rejectRun(client, b.workflowId, { by: 'bob', reason: 'HR export looks broken' }), 'rejected');
    const rejected = await runResult(client, b.workflowId);
    assert.equal(rejected.summary?.outcome, 'rejected');
    assert.equal(exitCodeFor(rejected), 3);
    assert.equal(fakes.writes.get(b.workflowId) ?? 0, 0);
  });

  it('schedules: create, describe, trigger (the run completes), a second trigger during a run is skipped, delete', async () => {
    const target = 'opssched';
    await deleteSchedules(client, target).catch(() => undefined);
    const release = hold(target);
    const ids = await createSchedules(client, { target, taskQueue: TASK_QUEUE, timezone: 'Europe/Berlin', fullAt: '02:00', jitter: '30s', paused: true });
    assert.deepEqual(ids, ['hrsync-opssched-delta', 'hrsync-opssched-full']);
    await assert.rejects(createSchedules(client, { target, taskQueue: TASK_QUEUE }), ScheduleCommandError);

    const [delta, full] = await describeSchedules(client, target);
    assert.equal(delta.overlap, 'SKIP');
    assert.equal(delta.catchupWindowMs, 600_000);
    assert.equal(delta.jitterMs, 30_000);
    assert.equal(full.timezone, 'Europe/Berlin');
    assert.match(delta.when, /every 15m/);
    assert.match(full.when, /daily at 02:00/);
    assert.equal(delta.paused, true);
    const berlinHour = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(d);
    assert.ok(full.nextRuns.length >= 2, 'describe shows the next runs');
    for (const next of full.nextRuns) assert.equal(berlinHour(next), '02');
    assert.ok(delta.nextRuns.length > 0);

    await triggerSchedule(client, target, 'delta');
    const first = await eventually('the triggered run', () => describeSchedules(client, target, 'delta'), ([v]) => v.running.length === 1);
    const runId = first[0].running[0];
    assert.match(runId, /^hrsync-opssched-delta-/);
    await triggerSchedule(client, target, 'delta');
    const after = await eventually('the second trigger to be skipped', () => describeSchedules(client, target, 'delta'), ([v]) => v.skippedOverlap >= 1);
    assert.deepEqual(after[0].running, [runId], 'still one run: no concurrent sync');
    assert.equal(after[0].actionsTaken, 1);

    release();
    const result = await runResult(client, runId);
    assert.equal(result.summary?.outcome, 'succeeded');
    const done = await eventually('the outcome in describe', () => describeSchedules(client, target, 'delta'), ([v]) => v.recent[0]?.outcome === 'succeeded');
    assert.equal(done[0].recent[0].workflowId, runId);
    assert.equal(done[0].running.length, 0);

    await eventually('the schedules in the list', () => listSchedules(client), (all) => all.filter((s) => s.target === target).length === 2);
    assert.deepEqual(await deleteSchedules(client, target), ids);
    await assert.rejects(describeSchedules(client, target), /no delta schedule for opssched/);
  });

  it('the CLI binary: runs prints the table, approve on a finished run exits non-zero with a clear message', async () => {
    const [latest] = await listRuns(client, { target: 'opsrun', limit: 1 });
    const env = { TEMPORAL_ADDRESS: address, HRSYNC_TASK_QUEUE: TASK_QUEUE };
    const runs = await cli(['runs', '--target', 'opsrun', '--limit', '5'], env);
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /WORKFLOW ID\s+STATE\s+OUTCOME\s+MODE\s+PLANNED\s+FAILED\s+DRIFT/);
    assert.match(runs.stdout, new RegExp(`${latest.workflowId}\\s+completed\\s+succeeded\\s+full\\s+3\\s+0\\s+0`));
    const approve = await cli(['approve', latest.workflowId], env);
    assert.equal(approve.code, 1);
    assert.equal(approve.stderr.trim(), `hrsync: run ${latest.workflowId} is not waiting for approval (it is completed)`);
  });
});

/** The CLI from source (the built dist may be stale while we work). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.resolve(__dirname, '../../src/client.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`hrsync ${args.join(' ')} timed out`))), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
