import assert from 'node:assert/strict';
import type { SyncMode } from '../../src/workflows/contracts';
import { advance, next, readTargetFirst, startOf, type Position, type Reading } from '../../src/workflows/position';

describe('the run position', () => {
  const nextTable: [Position, SyncMode, Position][] = [
    [{ stage: 'plan', read: 'snapshot', cursor: 'inactive:3' }, 'full', { stage: 'plan', read: 'hr', cursor: null, page: 0 }],
    [{ stage: 'plan', read: 'hr', cursor: 'c9', page: 9 }, 'full', { stage: 'plan', read: 'orphans', offset: 0 }],
    [{ stage: 'plan', read: 'hr', cursor: 'c9', page: 9 }, 'delta', { stage: 'gate' }],
    [{ stage: 'plan', read: 'orphans', offset: 500 }, 'full', { stage: 'gate' }],
    // The apply pass plans against the plan pass's read of the target (it never reads the target again), and
    // starts with the joiners who manage someone.
    [{ stage: 'gate' }, 'full', { stage: 'apply', read: 'managers', offset: 0 }],
    [{ stage: 'gate' }, 'delta', { stage: 'apply', read: 'managers', offset: 0 }],
    [{ stage: 'apply', read: 'managers', offset: 50 }, 'delta', { stage: 'apply', read: 'hr', cursor: null, page: 0 }],
    [{ stage: 'apply', read: 'snapshot', cursor: 'active:7' }, 'full', { stage: 'apply', read: 'hr', cursor: null, page: 0 }],
    [{ stage: 'apply', read: 'hr', cursor: null, page: 3 }, 'full', { stage: 'apply', read: 'orphans', offset: 0 }],
    [{ stage: 'apply', read: 'hr', cursor: null, page: 3 }, 'delta', { stage: 'memberships' }],
    [{ stage: 'apply', read: 'orphans', offset: 200 }, 'full', { stage: 'memberships' }],
    [{ stage: 'memberships' }, 'full', { stage: 'references' }],
    [{ stage: 'references' }, 'delta', { stage: 'report' }],
    [{ stage: 'report' }, 'full', { stage: 'report' }],
  ];
  for (const [from, mode, to] of nextTable) {
    it(`next: ${JSON.stringify(from)} in ${mode} mode goes to ${JSON.stringify(to)}`, () => assert.deepEqual(next(from, mode), to));
  }

  it('a pass starts with the target snapshot in full mode and with HR in delta mode', () => {
    assert.deepEqual(startOf('plan', 'full'), { stage: 'plan', read: 'snapshot', cursor: 'active:1' });
    assert.deepEqual(startOf('apply', 'delta'), { stage: 'apply', read: 'managers', offset: 0 });
    assert.deepEqual(startOf('apply', 'full'), { stage: 'apply', read: 'managers', offset: 0 });
  });

  const advanceTable: [Reading, string | number | null, SyncMode, Position][] = [
    [{ stage: 'plan', read: 'snapshot', cursor: 'active:1' }, 'active:26', 'full', { stage: 'plan', read: 'snapshot', cursor: 'active:26' }],
    [{ stage: 'plan', read: 'snapshot', cursor: 'inactive:1' }, null, 'full', { stage: 'plan', read: 'hr', cursor: null, page: 0 }],
    [{ stage: 'apply', read: 'hr', cursor: null, page: 0 }, 'p2', 'delta', { stage: 'apply', read: 'hr', cursor: 'p2', page: 1 }],
    // A one-page HR: the first page is also the last.
    [{ stage: 'plan', read: 'hr', cursor: null, page: 0 }, null, 'delta', { stage: 'gate' }],
    [{ stage: 'plan', read: 'orphans', offset: 0 }, 500, 'full', { stage: 'plan', read: 'orphans', offset: 500 }],
    [{ stage: 'apply', read: 'managers', offset: 0 }, 25, 'full', { stage: 'apply', read: 'managers', offset: 25 }],
    [{ stage: 'apply', read: 'managers', offset: 25 }, null, 'full', { stage: 'apply', read: 'hr', cursor: null, page: 0 }],
    [{ stage: 'apply', read: 'orphans', offset: 500 }, null, 'full', { stage: 'memberships' }],
    // A delta reading the target once between HR pages: on through the snapshot, then back to the page it left, never to orphans.
    [{ stage: 'plan', read: 'snapshot', cursor: 'active:1', back: { cursor: 'p3', page: 3 } }, 'active:26', 'delta', { stage: 'plan', read: 'snapshot', cursor: 'active:26', back: { cursor: 'p3', page: 3 } }],
    [{ stage: 'plan', read: 'snapshot', cursor: 'inactive:1', back: { cursor: 'p3', page: 3 } }, null, 'delta', { stage: 'plan', read: 'hr', cursor: 'p3', page: 3 }],
    [{ stage: 'plan', read: 'snapshot', cursor: 'inactive:1', back: { cursor: null, page: 0 } }, null, 'delta', { stage: 'plan', read: 'hr', cursor: null, page: 0 }],
  ];
  for (const [from, more, mode, to] of advanceTable) {
    it(`advance: ${JSON.stringify(from)} with ${JSON.stringify(more)} goes to ${JSON.stringify(to)}`, () => assert.deepEqual(advance(from, more, mode), to));
  }

  it('a delta page that reads the target first goes to the snapshot and remembers the page', () => {
    assert.deepEqual(readTargetFirst({ stage: 'plan', read: 'hr', cursor: 'p3', page: 3 }), { stage: 'plan', read: 'snapshot', cursor: 'active:1', back: { cursor: 'p3', page: 3 } });
    // Where the run is stays one value: a run continued as new mid-snapshot has all it needs to go back.
    const mid = advance(readTargetFirst({ stage: 'plan', read: 'hr', cursor: null, page: 0 }) as Reading, 'inactive:1', 'delta');
    assert.deepEqual(JSON.parse(JSON.stringify(mid)), mid);
    assert.deepEqual(next(mid, 'delta'), { stage: 'plan', read: 'hr', cursor: null, page: 0 });
  });

  it('walks a whole full run, every read once per pass, in order', () => {
    const seen: string[] = [];
    let p: Position = startOf('plan', 'full');
    while (p.stage !== 'report') {
      seen.push('read' in p ? `${p.stage}/${p.read}` : p.stage);
      p = next(p, 'full');
    }
    assert.deepEqual(seen, ['plan/snapshot', 'plan/hr', 'plan/orphans', 'gate', 'apply/managers', 'apply/hr', 'apply/orphans', 'memberships', 'references']);
  });
});
