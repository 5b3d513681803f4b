import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { applyActivities } from '../../src/activities/apply';
import { scimClientFor } from '../../src/activities';
import { loadWorkerConfig } from '../../src/config';
import type { PlannedChange } from '../../src/domain/plan';
import { foldRows } from '../../src/report/row';
import { RunStore } from '../../src/staging/runstore';
import type { ChunkResult } from '../../src/workflows/contracts';

const change = (hrId: string, extra: Partial<PlannedChange> = {}): PlannedChange => ({
  hrId,
  userId: `u${hrId}`,
  action: 'update',
  lifecycle: 'active',
  operations: [{ op: 'replace', path: 'title', value: 'T' }],
  groupChanges: { add: [], remove: [] },
  changedFields: ['title'],
  warnings: [],
  ...extra,
});

/** The apply activities on a real run store in a fresh folder, with no target behind them (nothing here calls one). */
function onRunStore(name: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), `hrsync-${name}-`));
  const config = loadWorkerConfig({ env: { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: 'http://127.0.0.1:9/scim', SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
  const store = new RunStore(root);
  return { root, store, acts: applyActivities({ config, scim: scimClientFor(config), store }) };
}

/**
 * When a chunk's retries are spent, the workflow asks `recordFailures` to account for every user in it.
 * It only reads and writes the run store, so it runs here on a real one, with no target behind it.
 */
describe('recordFailures: a chunk whose retries ran out', () => {
  it('reports every user: unwritten and already-failed as failed, conflicts still owed a refetch; records the memberships of those written', async () => {
    const { store, acts } = onRunStore('recordfailures');
    const part = '2-apply-hr-000000-000000';
    store.begin('run', 'token');
    store.appendRow('run', 'apply', part, { hrId: 'failed-before', action: 'update', outcome: 'failed', httpStatus: 400, error: 'invalidValue' });
    store.appendRow('run', 'apply', part, { hrId: 'conflicted', userId: 'uconflicted', action: 'update', outcome: 'conflict', httpStatus: 400 });
    store.appendRow('run', 'apply', part, { hrId: 'written-with-groups', userId: 'ug', action: 'create', outcome: 'applied', httpStatus: 201 });
    store.appendRow('run', 'apply', part, { hrId: 'written', userId: 'uw', action: 'update', outcome: 'applied', httpStatus: 200 });
    // Everything it had to change was refused: nothing written, but its group change still is to be.
    store.appendRow('run', 'apply', part, { hrId: 'refused-with-groups', userId: 'ur', action: 'update', outcome: 'unchanged', warnings: [] });
    const changes = [
      change('failed-before', { updatedAt: '2026-11-21T00:00:00.000Z' }),
      change('conflicted', { updatedAt: '2026-11-01T00:00:00.000Z', groupChanges: { add: ['g3'], remove: [] } }),
      { ...change('written-with-groups', { action: 'create', groupChanges: { add: ['g1'], remove: [] } }), userId: undefined },
      change('written', { pendingManagerHrId: 'M1', updatedAt: '2026-11-10T00:00:00.000Z' }),
      change('never-written', { updatedAt: '2026-11-20T00:00:00.000Z', groupChanges: { add: ['g1'], remove: [] } }),
      change('refused-with-groups', { groupChanges: { add: [], remove: ['g2'] } }),
      change('failed-with-groups', { groupChanges: { add: ['g1'], remove: [] } }),
    ];
    store.appendRow('run', 'apply', part, { hrId: 'failed-with-groups', userId: 'uf', action: 'update', outcome: 'failed', httpStatus: 403 });
    // The apply pass stored page 1's plan as one chunk; the workflow names the chunk, never its changes.
    store.writePlan('run', 'apply', { read: 'hr', page: 0 }, [changes]);

    const result = await acts.recordFailures({ runKey: 'run', runToken: 'token', chunk: { read: 'hr', page: 0, chunk: 0 }, error: 'HTTP 503 five times' });

    assert.deepEqual(result.conflicts, ['conflicted']);
    assert.deepEqual(result.outcomes, { failed: 3, conflict: 1, applied: 2, unchanged: 1 });
    assert.equal(result.writes, 7);
    // The watermark marks come from the stored changes: the oldest failed write, the oldest reference left for the end.
    assert.equal(result.oldestFailure, '2026-11-20T00:00:00.000Z');
    assert.equal(result.oldestPendingReference, '2026-11-10T00:00:00.000Z');
    const rows = foldRows(store.rows('run'));
    assert.equal(rows.get('never-written')?.outcome, 'failed');
    assert.match(rows.get('never-written')?.error ?? '', /not written: HTTP 503 five times/);
    assert.equal(rows.get('written-with-groups')?.outcome, 'applied');
    assert.equal(rows.get('refused-with-groups')?.outcome, 'unchanged');
    assert.equal(rows.get('written')?.outcome, 'applied');
    assert.equal(rows.get('conflicted')?.outcome, 'conflict');
    // The written users' memberships go at the end of the run, as after a chunk that landed (a conflict's
    // too, settled by its refetch); none for a user not written, or failed.
    const members = [...store.memberships('run')].map((m) => [m.hrId, m.op, m.groupId, m.userId, m.was]);
    assert.deepEqual(members, [
      ['conflicted', 'add', 'g3', 'uconflicted', 'conflict'],
      ['written-with-groups', 'add', 'g1', 'ug', 'applied'],
      ['refused-with-groups', 'remove', 'g2', 'ur', 'unchanged'],
    ]);
  });

  it('reads a chunk\'s stored plan and rows once for all its conflicts in one workflow run, and afresh in another', async () => {
    const { store, acts } = onRunStore('conflicts');
    store.begin('run', 'token');
    const page = { read: 'hr' as const, page: 0 };
    // A joiner adopted before its conflict: the adopted user's id is on its conflict row only.
    store.writePlan('run', 'apply', page, [[{ ...change('A', { action: 'create', updatedAt: '2026-11-02T00:00:00.000Z' }), userId: undefined }, change('B', { updatedAt: '2026-11-01T00:00:00.000Z' })]]);
    store.appendRow('run', 'apply', '2-apply-hr-000000-000000', { hrId: 'A', userId: 'uadopted', action: 'create', outcome: 'conflict', httpStatus: 412 });
    store.appendRow('run', 'apply', '2-apply-hr-000000-000000', { hrId: 'B', userId: 'uB', action: 'update', outcome: 'conflict', httpStatus: 412 });
    const settle = (env: MockActivityEnvironment, hrId: string) =>
      env.run(acts.recordFailures, { runKey: 'run', runToken: 'token', chunk: { ...page, chunk: 0 }, hrId, error: 'conflict fix failed' }) as Promise<ChunkResult>;
    const thisRun = new MockActivityEnvironment({ workflowExecution: { workflowId: 'w', runId: 'run-1' } });

    const first = await settle(thisRun, 'A');
    assert.equal(first.oldestFailure, '2026-11-02T00:00:00.000Z');
    // Within one workflow run a chunk's plan no longer changes once its conflicts are settled; only a reset
    // replans it. The page is stored again without its users, so a second read would miss them.
    store.writePlan('run', 'apply', page, [[]]);
    const second = await settle(thisRun, 'B');
    assert.equal(second.oldestFailure, '2026-11-01T00:00:00.000Z');
    const rows = foldRows(store.rows('run'));
    assert.equal(rows.get('A')?.outcome, 'failed');
    assert.equal(rows.get('A')?.userId, 'uadopted');
    assert.equal(rows.get('B')?.outcome, 'failed');

    // Another workflow run (a reset, or the run continued as new) reads the chunk again, and finds it changed.
    const reset = new MockActivityEnvironment({ workflowExecution: { workflowId: 'w', runId: 'run-2' } });
    await assert.rejects(settle(reset, 'B'), (err: unknown) => err instanceof ApplicationFailure && err.type === 'run-state-missing' && /no stored change for HR id "B"/.test(err.message));
  });

  it('fails non-retryably, naming reportDir, when a chunk\'s stored plan is missing: never an empty chunk', async () => {
    const { root, store, acts } = onRunStore('noplan');
    store.begin('run', 'token');
    store.writePlan('run', 'apply', { read: 'hr', page: 0 }, [[change('E1')]]);
    const missing = (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, String(err));
      assert.equal(err.type, 'run-state-missing');
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /has no stored plan for chunk \d+ of hr-00000\d/);
      assert.match(err.message, /must share reportDir/);
      assert.ok(err.message.includes(path.join(root, '.runs', 'run')), err.message);
      return true;
    };
    const env = new MockActivityEnvironment();
    // A page never stored, and a chunk past the page's last.
    await assert.rejects(env.run(acts.applyChanges, { runKey: 'run', runToken: 'token', chunk: { read: 'hr' as const, page: 1, chunk: 0 }, bulk: false }), missing);
    await assert.rejects(env.run(acts.applyChanges, { runKey: 'run', runToken: 'token', chunk: { read: 'hr' as const, page: 0, chunk: 1 }, bulk: false }), missing);
    await assert.rejects(env.run(acts.recordFailures, { runKey: 'run', runToken: 'token', chunk: { read: 'hr' as const, page: 1, chunk: 0 }, error: 'HTTP 503' }), missing);
    assert.deepEqual([...store.rows('run')], [], 'nothing was reported as written or failed');
  });
});
