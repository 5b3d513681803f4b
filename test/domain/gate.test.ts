import assert from 'node:assert/strict';
import { GateConfigSchema, evaluateDeactivationGate, evaluateGate, evaluateMassChanges, massChangesOf, type DeactivationGateInput, type MassChangeCounts } from '../../src/domain/gate';
import { planBatch } from '../../src/domain/plan';
import type { RawEmployee } from '../../src/hr/employee';
import type { User } from '../../src/scim/model/resources/user';
import { GROUP_IDS, TODAY, config, employee, matchingUser } from './fixtures';

const defaults = GateConfigSchema.parse({});

interface GateCase {
  name: string;
  input: Omit<DeactivationGateInput, 'config'> & { config?: DeactivationGateInput['config'] };
  required: boolean;
  reason: RegExp;
}

const cases: GateCase[] = [
  { name: 'nothing to deactivate', input: { deactivations: 0, population: 1000 }, required: false, reason: /no deactivations/ },
  { name: 'a few leavers', input: { deactivations: 10, population: 1000 }, required: false, reason: /within the limits/ },
  { name: 'exactly at the count limit', input: { deactivations: 25, population: 10000 }, required: false, reason: /within/ },
  { name: 'one past the count limit', input: { deactivations: 26, population: 10000 }, required: true, reason: /limit of 25/ },
  { name: 'exactly at the percent limit', input: { deactivations: 5, population: 100 }, required: false, reason: /within/ },
  { name: 'past the percent limit', input: { deactivations: 6, population: 100 }, required: true, reason: /limit of 5%/ },
  { name: 'everyone', input: { deactivations: 3, population: 3, config: { maxCount: 100, maxPercent: 100 } }, required: true, reason: /everyone/ },
  {
    name: 'empty HR read in a full run against a non-empty target',
    input: { deactivations: 0, population: 50, mode: 'full', hrRecords: 0, config: { maxCount: 1000, maxPercent: 100 } },
    required: true,
    reason: /no employees/,
  },
  { name: 'empty delta read is normal', input: { deactivations: 0, population: 50, mode: 'delta', hrRecords: 0 }, required: false, reason: /no deactivations/ },
  { name: 'empty full read against an empty target', input: { deactivations: 0, population: 0, mode: 'full', hrRecords: 0 }, required: false, reason: /no deactivations/ },
  { name: 'counts that disagree', input: { deactivations: 2, population: 0 }, required: true, reason: /disagree/ },
  { name: 'relaxed limits', input: { deactivations: 40, population: 100, config: { maxCount: 50, maxPercent: 50 } }, required: false, reason: /within/ },
];

describe('domain: evaluateDeactivationGate', () => {
  it('has conservative defaults', () => {
    assert.deepEqual(defaults, { maxCount: 25, maxPercent: 5, maxManagerClears: 25, maxDepartmentClears: 25, maxGroupRemovals: 25, maxReactivations: 25 });
    assert.equal(GateConfigSchema.safeParse({ maxCount: 5, maxPersent: 1 }).success, false);
  });
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateDeactivationGate({ ...c.input, config: c.input.config ?? defaults });
      assert.equal(d.required, c.required);
      assert.match(d.reason, c.reason);
    });
  }
});

/** The employee the fixtures' matching user describes, as HR sends them. */
const ADA: Partial<RawEmployee> = {
  title: 'Analyst',
  email: 'ada.lovelace@example.com',
  work_phone: '+15550100',
  department_code: 'ENG',
  employee_number: '1001',
  hire_date: '2020-01-02',
};

describe('domain: massChangesOf (counted on real plans)', () => {
  const cases: { name: string; hr: Partial<RawEmployee>; user: User; expected: MassChangeCounts }[] = [
    { name: 'nothing changes', hr: ADA, user: matchingUser(), expected: {} },
    { name: 'department_code gone blank: department and groups cleared', hr: { ...ADA, department_code: null }, user: matchingUser(), expected: { departmentClears: 1, groupRemovals: 1 } },
    { name: 'a mover to another department is no removal', hr: { ...ADA, department_code: 'SALES' }, user: matchingUser(), expected: {} },
    { name: 'the manager gone blank', hr: { ...ADA, manager_employee_id: null }, user: matchingUser({}, { manager: { value: 'u-boss' } }), expected: { managerClears: 1 } },
    { name: 'a rehire is a reactivation', hr: ADA, user: matchingUser({ active: false }), expected: { reactivations: 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const changes = planBatch([employee(c.hr)], [c.user], config(), { profile: 'genesys', today: TODAY, groupIdsByName: GROUP_IDS });
      assert.deepEqual(massChangesOf(changes), c.expected, JSON.stringify(changes.map((x) => [x.action, x.changedFields])));
    });
  }
});

describe('domain: evaluateMassChanges', () => {
  const rows: [MassChangeCounts, Partial<typeof defaults>, boolean, RegExp][] = [
    [{}, defaults, false, /no mass change/],
    [{ departmentClears: 25, groupRemovals: 25, managerClears: 25, reactivations: 25 }, defaults, false, /no mass change/],
    [{ departmentClears: 26 }, defaults, true, /^26 users would lose their department, more than sync\.gate\.maxDepartmentClears \(25\)$/],
    [{ groupRemovals: 400, departmentClears: 400 }, defaults, true, /lose their department.*; 400 users would lose a group membership/],
    [{ managerClears: 3 }, { ...defaults, maxManagerClears: 2 }, true, /maxManagerClears \(2\)/],
    [{ reactivations: 30 }, defaults, true, /be reactivated, more than sync\.gate\.maxReactivations/],
    [{ reactivations: 1000 }, { maxCount: 25, maxPercent: 5 }, false, /no mass change/],
  ];
  for (const [counts, limits, required, reason] of rows) {
    it(`${JSON.stringify(counts)} against ${JSON.stringify(limits)}: ${required ? 'waits' : 'goes on'}`, () => {
      const d = evaluateMassChanges(counts, limits);
      assert.equal(d.required, required);
      assert.match(d.reason, reason);
    });
  }
});

describe('domain: evaluateGate', () => {
  it('stops for deactivations, for other mass changes, and names both when both', () => {
    const base = { population: 1000, config: defaults };
    assert.equal(evaluateGate({ ...base, deactivations: 1 }).required, false);
    assert.match(evaluateGate({ ...base, deactivations: 1, massChanges: { reactivations: 26 } }).reason, /^26 users would be reactivated/);
    assert.match(evaluateGate({ ...base, deactivations: 30, massChanges: { departmentClears: 30 } }).reason, /exceeds the limit of 25; 30 users would lose their department/);
    assert.match(evaluateGate({ ...base, deactivations: 30 }).reason, /exceeds the limit of 25$/);
  });
});
