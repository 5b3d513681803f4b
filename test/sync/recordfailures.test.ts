import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyActivities } from '../../src/activities/apply';
import { scimClientFor } from '../../src/activities';
import { loadWorkerConfig } from '../../src/config';
import type { PlannedChange } from '../../src/domain/plan';
import { foldRows } from '../../src/report/row';
import { RunStore } from '../../src/staging/runstore';

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

/**
 * When a chunk's retries are spent, the workflow asks `recordFailures` to account for every user in it.
 * It only reads and writes the run store, so it runs here on a real one, with no target behind it.
 */
describe('recordFailures: a chunk whose retries ran out', () => {
  it('reports every user: unwritten and already-failed as failed, conflicts still owed a refetch, unconfirmed memberships failed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-recordfailures-'));
    const config = loadWorkerConfig({ env: { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: 'http://127.0.0.1:9/scim', SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
    const store = new RunStore(root);
    const acts = applyActivities({ config, scim: scimClientFor(config), store });
    const part = '2-apply-hr-000000-000000';
    store.begin('run', 'token');
    store.appendRow('run', 'apply', part, { hrId: 'failed-before', action: 'update', outcome: 'failed', httpStatus: 400, error: 'invalidValue' });
    store.appendRow('run', 'apply', part, { hrId: 'conflicted', userId: 'uconflicted', action: 'update', outcome: 'conflict', httpStatus: 400 });
    store.appendRow('run', 'apply', part, { hrId: 'written-with-groups', userId: 'ug', action: 'create', outcome: 'applied', httpStatus: 201 });
    store.appendRow('run', 'apply', part, { hrId: 'written', userId: 'uw', action: 'update', outcome: 'applied', httpStatus: 200 });
    const changes = [
      change('failed-before'),
      change('conflicted'),
      { ...change('written-with-groups', { action: 'create', groupChanges: { add: ['g1'], remove: [] } }), userId: undefined },
      change('written'),
      change('never-written'),
    ];

    const result = await acts.recordFailures({ runKey: 'run', runToken: 'token', part: 'hr-000000-000000', changes, error: 'HTTP 503 five times' });

    assert.deepEqual(result.failedHrIds.sort(), ['failed-before', 'never-written', 'written-with-groups']);
    assert.deepEqual(result.conflicts.map((c) => c.hrId), ['conflicted']);
    assert.deepEqual(result.outcomes, { failed: 3, conflict: 1, applied: 1 });
    const rows = foldRows(store.rows('run'));
    assert.equal(rows.get('never-written')?.outcome, 'failed');
    assert.match(rows.get('never-written')?.error ?? '', /not written: HTTP 503 five times/);
    assert.equal(rows.get('written-with-groups')?.outcome, 'failed');
    assert.match(rows.get('written-with-groups')?.error ?? '', /group membership not confirmed/);
    assert.equal(rows.get('written-with-groups')?.userId, 'ug');
    assert.equal(rows.get('written')?.outcome, 'applied');
    assert.equal(rows.get('conflicted')?.outcome, 'conflict');
  });
});
