import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { startHarness, type Harness } from '../support/harness';
import { workflowBundle } from '../support/temporal';
import { eventually } from './support';

/**
 * Replays saved histories of the sync workflow against today's workflow code: a change that is not
 * replay-safe (a new activity, a reordered command) fails here instead of breaking running syncs.
 *
 * The histories were recorded from small runs (30 employees) against the simulators. When a change
 * is meant to alter the workflow's commands (and running workflows are taken care of, e.g. with
 * patched()), record new ones with
 *   HRSYNC_RECORD_HISTORIES=v8 npx mocha test/sync/replay.test.ts
 * which writes test/fixtures/histories/sync-*-v8.json beside the older versions (all of them keep being replayed).
 * v7 replaced v1 to v6 (0.1 had no deployments; see the README's upgrade note).
 *
 * The files hold the History message's protobufjs JSON form (JSON.stringify of fetchHistory()). They are
 * read back with @temporalio/proto's own History.fromObject, not historyFromJSON: this install carries
 * several copies of protobufjs, and historyFromJSON/historyToJSON fail across them ("type must be a Type").
 */
const DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

function load(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
}

async function record(version: string): Promise<void> {
  let h: Harness | undefined;
  const save = async (name: string, handle: WorkflowHandle) => {
    await handle.result();
    writeFileSync(path.join(DIR, name), `${JSON.stringify(await handle.fetchHistory(), null, 1)}\n`);
  };
  try {
    mkdirSync(DIR, { recursive: true });
    h = await startHarness({ hr: { employees: 30, seed: 81 } });
    // A full run from an empty target: snapshot, HR pages, plan, apply (managers first), references, report.
    await save(`sync-full-${version}.json`, await h.start({ mode: 'full' }));
    // A full run held at the gate by 5 leavers out of about 28 users, then approved.
    const managers = new Set(h.sims.hr.employees().map((e) => String(e.manager_employee_id)));
    const leavers = h.sims.hr.employees().filter((e) => e.status === 'active' && !managers.has(String(e.id)));
    for (const e of leavers.slice(0, 5)) h.sims.hr.apply({ type: 'terminate', id: e.id });
    const gated = await h.start({ mode: 'full' });
    await eventually(() => gated.query(pendingApprovalQuery), 'the gate');
    await gated.executeUpdate(approveUpdate, { args: [{ by: 'replay-recorder' }] });
    await save(`sync-gate-approved-${version}.json`, gated);
    // A delta after one change.
    h.sims.hr.apply({ type: 'title-change', id: leavers[6].id, title: 'Replayed Title' });
    await save(`sync-delta-${version}.json`, await h.start({ mode: 'delta' }));
    await h.close();
    // A target's first delta, which runs as full (behind the patch 'first-delta-as-full').
    h = await startHarness({ hr: { employees: 20, seed: 82 } });
    await save(`sync-first-delta-${version}.json`, await h.start({ mode: 'delta' }));
    await h.close();
    // A full run over several HR pages: the apply pass plans each page while the one before is written,
    // and writes a page's chunks (three of 4 changes or fewer) two at a time.
    h = await startHarness({ hr: { employees: 30, seed: 83 }, env: { HR_PAGE_SIZE: '10', HRSYNC_CHUNK_SIZE: '4' } });
    await save(`sync-pages-${version}.json`, await h.start({ mode: 'full' }));
  } finally {
    await h?.close();
  }
}

describe('sync workflow: replay of saved histories', function () {
  this.timeout(120_000);
  before(async () => {
    const version = process.env.HRSYNC_RECORD_HISTORIES;
    if (version) await record(version === '1' ? 'v1' : version);
  });

  it('replays every saved sync history without nondeterminism', async () => {
    const files = readdirSync(DIR).filter((f) => f.startsWith('sync-') && f.endsWith('.json'));
    // 0.1 had no deployments: its histories (v1 to v3) went when the target came to be read once per run (v4),
    // v4 when activities came to pass references to the run store instead of employee records (v5), and v5 when
    // the apply pass came to plan the next HR page while one is written (v6, with a run of several pages), and v6
    // when a page's chunks came to be written two at a time (v7).
    for (const kind of ['sync-delta', 'sync-full', 'sync-gate-approved', 'sync-first-delta', 'sync-pages']) {
      assert.ok(files.includes(`${kind}-v7.json`), `${kind}-v7.json is there`);
    }
    const bundle = await workflowBundle();
    for (const file of files) {
      const history = load(file);
      assert.ok((history.events?.length ?? 0) > 20, `${file} holds a whole run`);
      await assert.doesNotReject(Worker.runReplayHistory({ workflowBundle: bundle }, history), file);
    }
  });

  it('fails on a history the code could not have made (so the replay can catch a change)', async () => {
    const history = load('sync-full-v7.json');
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
    assert.equal(scheduled?.activityType?.name, 'prepareRun');
    (scheduled as { activityType: { name: string } }).activityType.name = 'somethingElse';
    await assert.rejects(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history), DeterminismViolationError);
  });
});
