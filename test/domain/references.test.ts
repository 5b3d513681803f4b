import assert from 'node:assert/strict';
import type { PlannedChange } from '../../src/domain/plan';
import { chunkWaves, latestReferences, managersFirst, orderByManagers, releaseCycles, resolveManagerRef, resolvePendingManager, withdrawnReferences, writeWaves, type ReferenceRecord } from '../../src/domain/references';
import { MANAGER_PATH } from '../../src/domain/diff';
import { URN } from '../../src/scim/model/schemas/urns';

type Node = Pick<PlannedChange, 'hrId' | 'action' | 'pendingManagerHrId'>;
const create = (hrId: string, manager?: string): Node => ({ hrId, action: 'create', pendingManagerHrId: manager });
const update = (hrId: string, manager?: string): Node => ({ hrId, action: 'update', pendingManagerHrId: manager });

interface OrderCase {
  name: string;
  changes: Node[];
  waves: string[][];
  cycles?: string[][];
}

const cases: OrderCase[] = [
  { name: 'nothing', changes: [], waves: [] },
  { name: 'independent creations: one wave', changes: [create('A'), create('B')], waves: [['A', 'B']] },
  { name: 'manager first, whatever the input order', changes: [create('B', 'A'), create('A')], waves: [['A'], ['B']] },
  {
    name: 'deep chain',
    changes: [create('E', 'D'), create('D', 'C'), create('C', 'B'), create('B', 'A'), create('A')],
    waves: [['A'], ['B'], ['C'], ['D'], ['E']],
  },
  {
    name: 'a tree',
    changes: [create('R'), create('X', 'R'), create('Y', 'R'), create('Z', 'X')],
    waves: [['R'], ['X', 'Y'], ['Z']],
  },
  {
    name: 'an update whose new manager is created in this run waits for the creation',
    changes: [update('U', 'A'), create('A'), update('V')],
    waves: [['A', 'V'], ['U']],
  },
  {
    name: 'a manager not created in this run imposes no order',
    changes: [create('B', 'ELSEWHERE'), create('C')],
    waves: [['B', 'C']],
  },
  {
    name: 'non-actionable changes are left out',
    changes: [{ hrId: 'N', action: 'none' }, { hrId: 'S', action: 'skip' }, { hrId: 'D', action: 'defer' }, create('A')],
    waves: [['A']],
  },
  {
    name: 'a manager that is deferred is not waited for',
    changes: [create('B', 'D'), { hrId: 'D', action: 'defer' }],
    waves: [['B']],
  },
  {
    name: 'two-person cycle: reported, both in the first wave',
    changes: [create('B', 'A'), create('A', 'B')],
    waves: [['B', 'A']],
    cycles: [['A', 'B']],
  },
  {
    name: 'cycle with a report hanging off it',
    changes: [create('C', 'A'), create('A', 'B'), create('B', 'A'), create('D')],
    waves: [['A', 'B', 'D'], ['C']],
    cycles: [['A', 'B']],
  },
  {
    name: 'three-person cycle and a separate chain',
    changes: [create('Q', 'P'), create('P'), create('K', 'M'), create('L', 'K'), create('M', 'L')],
    waves: [['P', 'K', 'L', 'M'], ['Q']],
    cycles: [['K', 'M', 'L']],
  },
];

describe('domain: orderByManagers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const order = orderByManagers(c.changes);
      assert.deepEqual(order.waves, c.waves);
      assert.deepEqual(order.cycles, c.cycles ?? []);
      const all = order.waves.flat();
      assert.equal(new Set(all).size, all.length, 'each change once');
    });
  }

  it('a long chain (deep hierarchy) stays linear', () => {
    const n = 2000;
    const changes = Array.from({ length: n }, (_, i) => create(`E${i}`, i === 0 ? undefined : `E${i - 1}`)).reverse();
    const { waves } = orderByManagers(changes);
    assert.equal(waves.length, n);
    assert.deepEqual(waves[0], ['E0']);
    assert.deepEqual(waves[n - 1], [`E${n - 1}`]);
  });
});

describe('domain: resolveManagerRef', () => {
  const ids = { M1: 'u-m1' };
  const refCases: { name: string; input: string | null | undefined; expected: string | undefined }[] = [
    { name: 'known', input: 'M1', expected: 'u-m1' },
    { name: 'unknown', input: 'M2', expected: undefined },
    { name: 'no manager', input: null, expected: undefined },
    { name: 'not sent', input: undefined, expected: undefined },
    { name: 'prototype member', input: 'toString', expected: undefined },
  ];
  for (const c of refCases) it(c.name, () => assert.equal(resolveManagerRef(c.input, ids), c.expected));
});

const base: PlannedChange = { hrId: 'B', action: 'create', lifecycle: 'active', operations: [], groupChanges: { add: [], remove: [] }, changedFields: [], warnings: [] };

describe('domain: resolvePendingManager and releaseCycles', () => {
  it('puts a resolved manager into the POST body of a user not yet created', () => {
    const change: PlannedChange = {
      ...base,
      pendingManagerHrId: 'A',
      changedFields: ['userName'],
      newUser: { schemas: [URN.user], userName: 'b@example.com', displayName: 'B' },
    };
    const out = resolvePendingManager(change, { A: 'u-a' });
    assert.equal(out.pendingManagerHrId, undefined);
    assert.deepEqual(out.newUser?.schemas, [URN.user, URN.enterpriseUser]);
    assert.deepEqual(out.newUser?.[URN.enterpriseUser], { manager: { value: 'u-a' } });
    assert.deepEqual(out.changedFields, ['userName', 'manager']);
    assert.deepEqual(out.operations, []);
    assert.equal(change.pendingManagerHrId, 'A', 'input not mutated');
  });

  it('keeps the rest of an enterprise extension', () => {
    const change: PlannedChange = {
      ...base,
      pendingManagerHrId: 'A',
      newUser: { schemas: [URN.user, URN.enterpriseUser], userName: 'b@example.com', displayName: 'B', [URN.enterpriseUser]: { department: 'Sales' } },
    };
    const out = resolvePendingManager(change, { A: 'u-a' });
    assert.deepEqual(out.newUser?.[URN.enterpriseUser], { department: 'Sales', manager: { value: 'u-a' } });
    assert.deepEqual(out.newUser?.schemas, [URN.user, URN.enterpriseUser]);
  });

  it('appends a manager operation to an existing user', () => {
    const change: PlannedChange = { ...base, action: 'update', userId: 'u-b', pendingManagerHrId: 'A', changedFields: ['manager'], operations: [{ op: 'replace', path: 'title', value: 'X' }] };
    const out = resolvePendingManager(change, { A: 'u-a' });
    assert.deepEqual(out.operations, [
      { op: 'replace', path: 'title', value: 'X' },
      { op: 'replace', path: MANAGER_PATH, value: { value: 'u-a' } },
    ]);
    assert.deepEqual(out.changedFields, ['manager']);
  });

  it('a created user whose manager appears later gets an operation', () => {
    const change: PlannedChange = { ...base, userId: 'u-b', pendingManagerHrId: 'A', newUser: { userName: 'b@example.com', displayName: 'B' } };
    assert.deepEqual(resolvePendingManager(change, { A: 'u-a' }).operations, [{ op: 'replace', path: MANAGER_PATH, value: { value: 'u-a' } }]);
  });

  it('leaves a still-unknown manager pending', () => {
    const change: PlannedChange = { ...base, pendingManagerHrId: 'A' };
    assert.equal(resolvePendingManager(change, {}), change);
  });

  it('cycle members lose the pending reference, with a warning', () => {
    const changes: PlannedChange[] = [
      { ...base, hrId: 'A', pendingManagerHrId: 'B' },
      { ...base, hrId: 'B', pendingManagerHrId: 'A' },
      { ...base, hrId: 'C', pendingManagerHrId: 'A' },
    ];
    const { cycles } = orderByManagers(changes);
    const out = releaseCycles(changes, cycles);
    assert.equal(out[0].pendingManagerHrId, undefined);
    assert.equal(out[1].pendingManagerHrId, undefined);
    assert.match(out[0].warnings[0].text, /management cycle A -> B -> A/);
    assert.equal(out[0].warnings[0].code, 'management-cycle');
    assert.equal(out[2].pendingManagerHrId, 'A');
    assert.deepEqual(out[2].warnings, []);
  });
});

describe('domain: the joiners who manage someone, created before any HR page', () => {
  const create = (hrId: string, manager?: string): PlannedChange =>
    ({ hrId, action: 'create', lifecycle: 'active', operations: [], groupChanges: { add: [], remove: [] }, changedFields: [], warnings: [], ...(manager ? { pendingManagerHrId: manager } : {}) }) as PlannedChange;
  const table: [string, PlannedChange[], string[], string[]][] = [
    ['nobody manages anyone', [create('a'), create('b')], [], []],
    ['only joiners someone waits for, managers of managers first', [create('r', 'm'), create('m', 'top'), create('top'), create('other')], ['m', 'top'], ['top', 'm']],
    ['a manager who already has a user is not created again', [{ ...create('m'), userId: 'u-m' }], ['m'], []],
    // Across pages a cycle keeps its references: they are set at the end of the run.
    ['a cycle goes first, references kept', [create('x', 'y'), create('y', 'x')], ['x', 'y'], ['x', 'y']],
  ];
  for (const [what, creates, managed, expected] of table) {
    it(what, () => {
      const first = managersFirst(creates, new Set(managed));
      assert.deepEqual(first.map((c) => c.hrId), expected);
      if (what.startsWith('a cycle')) assert.ok(first.every((c) => c.pendingManagerHrId !== undefined));
    });
  }

  it('creates them without their groups, which their HR page plans from HR\'s latest record', () => {
    const planned = { ...create('m'), groupChanges: { add: ['g-fin'], remove: [] }, changedFields: ['title', 'groups'] };
    const [first] = managersFirst([planned, create('r', 'm')], new Set(['m']));
    assert.deepEqual(first.groupChanges, { add: [], remove: [] });
    assert.deepEqual(first.changedFields, ['title'], 'its row does not claim the groups either');
    assert.equal(first.newUser, planned.newUser);
  });
});

describe('domain: a chunk cut into the waves written together', () => {
  /** `E2>E1`: E2 waits for its manager E1 to be created. */
  const parse = (spec: string) => spec.split(' ').filter(Boolean).map((s) => {
    const [hrId, manager] = s.split('>');
    return { hrId, ...(manager ? { pendingManagerHrId: manager } : {}) };
  });
  const cases: [string, string, string[][]][] = [
    ['nobody waits: one wave', 'E1 E2 E3', [['E1', 'E2', 'E3']]],
    ['a report after its manager in the chunk starts a new wave', 'E1 E2>E1 E3', [['E1'], ['E2', 'E3']]],
    ['a manager outside the chunk (or outside HR) does not', 'E2>M9 E3>M9', [['E2', 'E3']]],
    ['a chain of three: three waves', 'E1 E2>E1 E3>E2', [['E1'], ['E2'], ['E3']]],
    ['two reports of one manager write together', 'E1 E2>E1 E3>E1', [['E1'], ['E2', 'E3']]],
    ['a report whose manager came in an earlier wave stays in the current one', 'E1 E2>E1 E4 E3>E1', [['E1'], ['E2', 'E4', 'E3']]],
    ['an empty chunk has no wave', '', []],
  ];
  for (const [what, spec, expected] of cases) {
    it(what, () => {
      assert.deepEqual(writeWaves(parse(spec)).map((w) => w.map((c) => c.hrId)), expected);
    });
  }
});

describe('domain: a page\'s chunks grouped into the waves written at once', () => {
  /** Chunks split by `|`; `E2>E1`: E2 waits for its manager E1 to be created. */
  const parse = (spec: string) =>
    spec === ''
      ? []
      : spec.split('|').map((chunk) =>
          chunk.trim().split(' ').filter(Boolean).map((s) => {
            const [hrId, manager] = s.split('>');
            return { hrId, ...(manager ? { pendingManagerHrId: manager } : {}) };
          }),
        );
  const cases: [string, string, number, number[]][] = [
    ['independent chunks go two at a time', 'E1 E2 | E3 | E4 | E5', 2, [2, 2]],
    ['an odd count ends with a wave of one', 'E1 | E2 | E3', 2, [2, 1]],
    ['a chunk waiting for a manager created in the wave starts the next', 'E1 | E2>E1 | E3', 2, [1, 2]],
    ['a manager created earlier, in another wave, does not hold a chunk back', 'E1 | E2 | E3>E1 | E4', 2, [2, 2]],
    ['an earlier chunk waiting for a manager in the later one keeps them apart too', 'E2>E3 | E3', 2, [1, 1]],
    ['a manager outside the page (or outside HR) does not', 'E1>M9 | E2>M9', 2, [2]],
    ['a report in the same chunk as its manager does not (the chunk orders its own writes)', 'E1 E2>E1 | E3', 2, [2]],
    ['at most the wave size', 'E1 | E2 | E3 | E4', 3, [3, 1]],
    ['a wave size of one writes chunk by chunk', 'E1 | E2', 1, [1, 1]],
    ['a page with nothing to write has no wave', '', 2, []],
  ];
  for (const [what, spec, max, expected] of cases) {
    it(what, () => {
      const chunks = parse(spec);
      const waves = chunkWaves(chunks, max);
      assert.deepEqual(waves, expected);
      assert.equal(waves.reduce((a, b) => a + b, 0), chunks.length);
    });
  }
});

describe('domain: the references set at the end of the run, by each employee\'s latest plan', () => {
  type Rec = ReferenceRecord & { managerHrId?: string };
  const ref = (hrId: string, managerHrId: string, updatedAt?: string): Rec => ({ hrId, managerHrId, ...(updatedAt ? { updatedAt } : {}) });
  const gone = (hrId: string, updatedAt?: string): Rec => ({ hrId, withdrawn: true, ...(updatedAt ? { updatedAt } : {}) });
  const table: [string, Rec[], string[]][] = [
    ['one each', [ref('a', 'm1'), ref('b', 'm2')], ['a>m1', 'b>m2']],
    ['recorded twice: the later one', [ref('a', 'm1'), ref('a', 'm2')], ['a>m2']],
    ['withdrawn by a newer record\'s plan', [ref('a', 'm1', 't1'), gone('a', 't2')], []],
    ['withdrawn, then left again by that record\'s write', [ref('a', 'm1', 't1'), gone('a', 't2'), ref('a', 'm2', 't2')], ['a>m2']],
    ['that record\'s write recorded first (a conflict fix sorts before the pages): the withdrawal does not undo it', [ref('a', 'm2', 't2'), gone('a', 't2'), ref('a', 'm1', 't1')], ['a>m2']],
    ['an older record\'s withdrawal, recorded later, does not undo a newer one\'s reference', [ref('a', 'm2', 't2'), gone('a', 't1')], ['a>m2']],
    ['undated: a withdrawal does not undo a reference, as of one record', [ref('a', 'm1'), gone('a')], ['a>m1']],
    ['undated references: the later recorded', [ref('a', 'm1'), ref('a', 'm2')], ['a>m2']],
  ];
  for (const [what, records, expected] of table) {
    it(what, () => assert.deepEqual(latestReferences(records).map((r) => `${r.hrId}>${r.managerHrId}`), expected));
  }

  it('withdraws for the employees this run wrote before, with the record they were planned from', () => {
    const written: Record<string, string> = { a: 'u-a' };
    const changes = [{ hrId: 'a', updatedAt: 't2' }, { hrId: 'b', updatedAt: 't2' }];
    assert.deepEqual(withdrawnReferences(changes, (hrId) => written[hrId]), [{ hrId: 'a', userId: 'u-a', withdrawn: true, updatedAt: 't2' }]);
  });
});
