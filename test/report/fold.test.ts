import assert from 'node:assert/strict';
import { warnings } from '../../src/domain/warnings';
import { foldRows, PRECEDENCE, speak, STAGES, type ReportRow, type RowPatch, type RowWord, type Stage } from '../../src/report/row';

const pending = warnings.managerPending('M1');
const phone = { code: 'invalid-phone' as const, text: 'work_phone "x" is neither E.164 nor a tel: URI; left unmapped' };
const managerDrift = { field: 'manager', expected: 'unresolved (HR id M1)', actual: '' };
const titleDrift = { field: 'title', expected: 'Lead', actual: 'Engineer' };

/** A word of `stage`; `part` and `line` default to the first of the stage. */
const say = (stage: Stage, row: RowPatch, part = `${stage}-000000`, line = 0): RowWord => ({ stage, part, line, row });

const planned = (extra: Partial<ReportRow> = {}): RowPatch => ({ hrId: 'E1', action: 'create', outcome: 'planned', changedFields: ['userName', 'manager'], warnings: [pending], ...extra });
const applied = (extra: Partial<ReportRow> = {}): RowPatch => ({
  hrId: 'E1',
  userId: 'u1',
  userName: 'ada@corp.example',
  action: 'create',
  outcome: 'applied',
  httpStatus: 201,
  changedFields: ['userName', 'manager'],
  drift: [managerDrift],
  warnings: [pending, phone],
  ...extra,
});

interface Case {
  name: string;
  words: RowWord[];
  /** The row; undefined: no row at all. */
  expected: ReportRow | undefined;
}

/** Every pair of stages that can meet on one employee, and the words a stage can say twice. */
const cases: Case[] = [
  {
    name: "a dry run: the plan's word only",
    words: [say('plan', planned())],
    expected: { hrId: 'E1', action: 'create', outcome: 'planned', changedFields: ['userName', 'manager'], warnings: [pending] },
  },
  {
    name: 'plan, then the write: the write says all of it, the plan\'s reason goes',
    words: [say('plan', planned({ action: 'none', outcome: 'unchanged', reason: 'no account, and leaver in HR: nothing to create' })), say('apply', applied())],
    expected: { ...(applied() as ReportRow) },
  },
  {
    name: 'a manager created first, met on its HR page with nothing left to do: applied stays, with the later drift',
    words: [
      say('plan', planned()),
      say('managers-first', applied({ warnings: [] })),
      say('apply', { hrId: 'E1', userId: 'u1', action: 'none', outcome: 'unchanged', changedFields: [], drift: [titleDrift], warnings: [phone] }),
    ],
    expected: { hrId: 'E1', userId: 'u1', userName: 'ada@corp.example', action: 'create', outcome: 'applied', httpStatus: 201, changedFields: ['userName', 'manager'], drift: [titleDrift], warnings: [phone] },
  },
  {
    name: 'a manager created first, updated again on its HR page: the page\'s write wins',
    words: [say('managers-first', applied({ warnings: [] })), say('apply', applied({ action: 'update', httpStatus: 200, changedFields: ['title'], drift: [], warnings: [] }))],
    expected: { ...(applied() as ReportRow), action: 'update', httpStatus: 200, changedFields: ['title'], drift: [], warnings: [] },
  },
  {
    name: 'a conflict, then its fix applied',
    words: [
      say('apply', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'conflict', httpStatus: 412, changedFields: ['title'], warnings: [phone] }),
      say('fix', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'applied', httpStatus: 200, changedFields: ['title'], drift: [], warnings: [phone] }),
    ],
    expected: { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'applied', httpStatus: 200, changedFields: ['title'], drift: [], warnings: [phone] },
  },
  {
    name: 'a conflict, then a fix that finds the user already as HR says',
    words: [
      say('apply', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'conflict', httpStatus: 412, changedFields: ['title'], warnings: [] }),
      say('fix', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'unchanged', changedFields: ['title'], drift: [], reason: 'already as HR says after a concurrent edit', warnings: [] }),
    ],
    expected: { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'unchanged', httpStatus: 412, changedFields: ['title'], drift: [], reason: 'already as HR says after a concurrent edit', warnings: [] },
  },
  {
    name: 'a conflict, then a fix that fails: its error, and the warnings still there',
    words: [
      say('apply', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'conflict', httpStatus: 412, changedFields: ['title'], warnings: [phone] }),
      say('fix', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'failed', httpStatus: 404, changedFields: ['title'], error: 'not found', warnings: [phone] }),
    ],
    expected: { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'failed', httpStatus: 404, changedFields: ['title'], error: 'not found', warnings: [phone] },
  },
  {
    name: 'a group failure after an applied write: failed, with the write\'s drift and warnings',
    words: [say('apply', applied()), say('groups', { hrId: 'E1', userId: 'u1', outcome: 'failed', httpStatus: 404, error: 'group membership (g1): not found' })],
    expected: { ...(applied() as ReportRow), outcome: 'failed', httpStatus: 404, error: 'group membership (g1): not found' },
  },
  {
    name: 'a group failure after a fixed conflict: the fix settles the attributes, not the membership',
    words: [
      say('apply', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'conflict', httpStatus: 412, changedFields: ['groups'], warnings: [] }),
      say('fix', { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'applied', httpStatus: 200, changedFields: ['groups'], drift: [], warnings: [] }),
      say('groups', { hrId: 'E1', userId: 'u1', outcome: 'failed', httpStatus: 403, error: 'group membership (g1): forbidden' }),
    ],
    expected: { hrId: 'E1', userId: 'u1', action: 'update', outcome: 'failed', httpStatus: 403, changedFields: ['groups'], drift: [], warnings: [], error: 'group membership (g1): forbidden' },
  },
  {
    name: 'a reference set at the end after a pending one: the manager drift and the waiting warning go',
    words: [say('plan', planned()), say('apply', applied()), say('references', { hrId: 'E1', userId: 'u1', resolvedFields: ['manager'] })],
    expected: { ...(applied() as ReportRow), drift: [], warnings: [phone] },
  },
  {
    name: 'a reference still unset at the end: pending-reference, its problem replacing the waiting warning',
    words: [say('apply', applied()), say('references', { hrId: 'E1', userId: 'u1', outcome: 'pending-reference', error: 'manager (HR id M1) has no user in the target' })],
    expected: { ...(applied() as ReportRow), outcome: 'pending-reference', warnings: [phone], error: 'manager (HR id M1) has no user in the target' },
  },
  {
    name: 'a reference unset after a group failure: the failure stays, with both errors',
    words: [
      say('apply', applied()),
      say('groups', { hrId: 'E1', userId: 'u1', outcome: 'failed', httpStatus: 404, error: 'group membership (g1): not found' }),
      say('references', { hrId: 'E1', userId: 'u1', outcome: 'pending-reference', error: 'manager (HR id M1) has no user in the target' }),
    ],
    expected: { ...(applied() as ReportRow), outcome: 'failed', httpStatus: 404, warnings: [phone], error: 'group membership (g1): not found | manager (HR id M1) has no user in the target' },
  },
  {
    name: "a record quarantined on the apply pass's read: the quarantine replaces the plan",
    words: [say('plan', planned()), say('apply', { hrId: 'E1', action: 'quarantine', outcome: 'rejected', error: 'email: Invalid email address' })],
    expected: { hrId: 'E1', action: 'quarantine', outcome: 'rejected', error: 'email: Invalid email address' },
  },
  {
    name: "a record quarantined on the plan pass's read and intact on the apply pass's: the write's word",
    words: [say('plan', { hrId: 'E1', action: 'quarantine', outcome: 'rejected', error: 'email: Invalid email address' }), say('apply', applied())],
    expected: { ...(applied() as ReportRow) },
  },
  {
    name: "a chunk whose retries ran out before it wrote the user: the failure it appends after the chunk's rows replaces the plan",
    words: [
      say('plan', planned()),
      say('apply', applied({ hrId: 'E0', userId: 'u0', warnings: [] }), 'hr-000000-000000', 0),
      say('apply', { hrId: 'E1', action: 'create', outcome: 'failed', changedFields: ['userName', 'manager'], warnings: [pending], error: 'not written: HTTP 503' }, 'hr-000000-000000', 1),
    ],
    expected: { hrId: 'E1', action: 'create', outcome: 'failed', changedFields: ['userName', 'manager'], warnings: [pending], error: 'not written: HTTP 503' },
  },
  {
    name: 'HR sends the employee on two pages of one read: the later page is the later word',
    words: [
      say('apply', applied({ warnings: [] }), 'hr-000000-000000'),
      say('apply', applied({ action: 'update', httpStatus: 200, changedFields: ['userName'], drift: [], warnings: [] }), 'hr-000002-000000'),
    ],
    expected: { ...(applied() as ReportRow), action: 'update', httpStatus: 200, changedFields: ['userName'], drift: [], warnings: [] },
  },
  {
    name: 'memberships not sent before the run stopped: failed, with the write kept',
    words: [say('apply', applied()), say('groups', { hrId: 'E1', userId: 'u1', outcome: 'failed', error: 'group membership not sent: the run stopped before the end' }, 'unsent')],
    expected: { ...(applied() as ReportRow), outcome: 'failed', error: 'group membership not sent: the run stopped before the end' },
  },
  {
    name: 'amendments to a row nobody started are no row',
    words: [say('references', { hrId: 'E1', userId: 'u1', outcome: 'pending-reference', error: 'x' }), say('groups', { hrId: 'E1', userId: 'u1', outcome: 'failed', error: 'y' })],
    expected: undefined,
  },
];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('report: one row per employee, folded by stage', () => {
  for (const c of cases) {
    it(`${c.name} (in any order)`, () => {
      for (const words of permutations(c.words)) {
        assert.deepEqual(foldRows(words).get('E1'), c.expected, words.map((w) => `${w.stage}/${w.part}/${w.line}`).join(', '));
      }
    });
  }

  it('keeps quarantined records without an id apart, and rows in the order of their first word', () => {
    const words = [
      say('apply', applied({ hrId: 'E2', warnings: [] }), 'hr-000001-000000'),
      say('plan', { hrId: '(no id: page 1, record 1)', action: 'quarantine', outcome: 'rejected', error: 'id: Required' }, 'hr-000000-plan', 1),
      say('plan', { hrId: '(no id: page 1, record 1)', action: 'quarantine', outcome: 'rejected', error: 'email: Required' }, 'hr-000000-plan', 2),
      say('plan', planned({ hrId: 'E2' }), 'hr-000001-plan'),
      say('plan', planned(), 'hr-000000-plan', 0),
    ];
    for (const order of [words, [...words].reverse()]) {
      const rows = [...foldRows(order).values()];
      assert.deepEqual(
        rows.map((r) => [r.hrId, r.outcome]),
        [
          ['E1', 'planned'],
          ['(no id: page 1, record 1)', 'rejected'],
          ['(no id: page 1, record 1)', 'rejected'],
          ['E2', 'applied'],
        ],
      );
    }
  });

  it('lets no stage speak to a field its rule does not list it for', () => {
    const prev = applied() as ReportRow;
    // A word that would change every field, from each stage in turn.
    const loud: RowPatch = {
      hrId: 'E1',
      userId: 'u2',
      userName: 'other@corp.example',
      action: 'update',
      outcome: 'failed',
      httpStatus: 500,
      changedFields: ['title'],
      drift: [titleDrift],
      reason: 'r',
      warnings: [],
      error: 'e',
      resolvedFields: ['manager'],
    };
    for (const stage of STAGES) {
      const row = speak(prev, { stage, row: loud }) as ReportRow;
      for (const [field, rule] of Object.entries(PRECEDENCE)) {
        const f = field as keyof typeof PRECEDENCE;
        if (rule.by.includes(stage)) continue;
        assert.deepEqual(row[f], prev[f], `${stage} spoke to ${field}`);
      }
    }
  });
});
