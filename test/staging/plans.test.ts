import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlannedChange } from '../../src/domain/plan';
import { RunStateMissingError, RunStore } from '../../src/staging/runstore';

const change = (hrId: string): PlannedChange => ({
  hrId,
  action: 'create',
  lifecycle: 'active',
  operations: [],
  groupChanges: { add: [], remove: [] },
  changedFields: ['userName'],
  warnings: [],
});

describe('run store: the apply pass\'s page plans, read back by chunk', () => {
  it('stores a page\'s chunks apart from other pages and passes, and a retried page replaces its own file whole', () => {
    const store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'hrsync-plans-')));
    store.begin('run', 'token');
    const page = { read: 'hr' as const, page: 3 };
    store.writePlan('run', 'apply', page, [[change('1'), change('2')], [change('3')], [change('4')]]);
    store.writePlan('run', 'apply', { read: 'orphans', offset: 200 }, [[change('gone')]]);
    assert.deepEqual(store.planChunk('run', 'apply', page, 1).map((c) => c.hrId), ['3']);
    assert.deepEqual(store.planChunk('run', 'apply', { read: 'orphans', offset: 200 }, 0).map((c) => c.hrId), ['gone']);

    // The retry planned the page again (HR changed meanwhile): its chunks are the retry's, none of the first try's left.
    store.writePlan('run', 'apply', page, [[change('5')]]);
    assert.deepEqual(store.planChunk('run', 'apply', page, 0).map((c) => c.hrId), ['5']);
    assert.throws(() => store.planChunk('run', 'apply', page, 1), RunStateMissingError);
    assert.throws(() => store.planChunk('run', 'plan', page, 0), RunStateMissingError, 'the plan pass stores no plan of its own');
  });
});
