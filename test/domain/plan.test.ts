import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import { MANAGER_PATH } from '../../src/domain/diff';
import type { MappingConfigInput } from '../../src/domain/mapping/config';
import { planBatch, planUser, type PlanContext, type PlannedChange } from '../../src/domain/plan';
import type { User } from '../../src/scim/model/resources/user';
import { ENTERPRISE, GROUP_IDS, TODAY, config, employee, user } from './fixtures';

/** Ada as HR has her, and the user Genesys has for her, in agreement. */
const ADA: Partial<RawEmployee> = {
  id: 'E1',
  email: 'ada@example.com',
  title: 'Analyst',
  department_code: 'ENG',
  employee_number: '1001',
  hire_date: '2020-01-02',
  work_phone: '+15550100',
};
const adaUser = (overrides: Partial<User> = {}, enterprise: Record<string, unknown> = {}): User =>
  user(
    {
      id: 'u1',
      userName: 'ada@example.com',
      externalId: 'E1',
      displayName: 'Ada Lovelace',
      title: 'Analyst',
      emails: [
        { type: 'other', value: 'ada@example.com' },
        { type: 'work', value: 'ada@example.com', primary: true },
      ],
      phoneNumbers: [{ type: 'work', value: '+15550100' }],
      groups: [{ value: 'g-eng', display: 'Engineering Team' }],
      ...overrides,
    },
    { department: 'Engineering', employeeNumber: '1001', dateHire: '2020-01-02', ...enterprise },
  );

interface PlanCase {
  name: string;
  employees: Partial<RawEmployee>[];
  users: User[];
  config?: MappingConfigInput;
  ctx?: Partial<PlanContext>;
  /** Properties of the change for `hrId` (default E1). */
  expected: Partial<PlannedChange>;
  hrId?: string;
  check?: (change: PlannedChange, all: PlannedChange[]) => void;
}

const cases: PlanCase[] = [
  {
    name: 'joiner: create, with the department group',
    employees: [ADA],
    users: [],
    expected: { action: 'create', lifecycle: 'active', userId: undefined, operations: [], groupChanges: { add: ['g-eng'], remove: [] } },
    check: (c) => {
      assert.equal(c.newUser?.userName, 'ada@example.com');
      assert.equal(c.newUser?.externalId, 'E1');
      assert.equal(c.newUser?.[ENTERPRISE]?.department, 'Engineering');
      assert.ok(c.changedFields.includes('groups'));
      assert.ok(c.changedFields.includes('userName'));
    },
  },
  {
    name: 'joiner terminated before ever being created: nothing, with a reason',
    employees: [{ ...ADA, status: 'terminated' }],
    users: [],
    expected: { action: 'none', lifecycle: 'leaver', newUser: undefined, operations: [] },
    check: (c) => assert.match(c.reason ?? '', /nothing to create/),
  },
  {
    name: 'future hire beyond the lead time: defer',
    employees: [{ ...ADA, hire_date: '2024-07-01' }],
    users: [],
    config: { hireLeadDays: 7 },
    expected: { action: 'defer', lifecycle: 'pending-hire', notBefore: '2024-06-24', newUser: undefined },
    check: (c) => assert.match(c.reason ?? '', /2024-07-01/),
  },
  {
    name: 'future hire within the lead time: create, active',
    employees: [{ ...ADA, hire_date: '2024-06-20' }],
    users: [],
    config: { hireLeadDays: 7 },
    expected: { action: 'create', lifecycle: 'pre-hire' },
    check: (c) => assert.equal(c.newUser?.active, true),
  },
  {
    name: 'unchanged: none',
    employees: [ADA],
    users: [adaUser()],
    expected: { action: 'none', userId: 'u1', operations: [], changedFields: [], groupChanges: { add: [], remove: [] }, matchedBy: 'externalId' },
  },
  {
    name: 'mover: minimal update, groups swapped',
    employees: [{ ...ADA, department_code: 'SALES' }],
    users: [adaUser()],
    expected: {
      action: 'update',
      operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' }],
      groupChanges: { add: ['g-sales'], remove: ['g-eng'] },
      changedFields: ['department', 'groups'],
    },
  },
  {
    name: 'the version found is carried for If-Match',
    employees: [{ ...ADA, title: 'Lead' }],
    users: [adaUser({ meta: { version: '"42"' } })],
    expected: { action: 'update', version: '"42"', changedFields: ['title'] },
  },
  {
    name: 'leaver with an active account: deactivate; memberships kept',
    employees: [{ ...ADA, termination_date: '2024-06-14' }],
    users: [adaUser()],
    expected: {
      action: 'deactivate',
      lifecycle: 'leaver',
      operations: [{ op: 'replace', path: 'active', value: false }],
      groupChanges: { add: [], remove: [] },
      changedFields: ['active'],
    },
  },
  {
    name: 'leaver whose title also changed: deactivate with the change',
    employees: [{ ...ADA, status: 'terminated', title: 'Former Analyst' }],
    users: [adaUser()],
    expected: {
      action: 'deactivate',
      operations: [
        { op: 'replace', path: 'title', value: 'Former Analyst' },
        { op: 'replace', path: 'active', value: false },
      ],
    },
  },
  {
    name: 'leaver already inactive: left alone',
    employees: [{ ...ADA, status: 'terminated', title: 'Former Analyst' }],
    users: [adaUser({ active: false })],
    expected: { action: 'none', operations: [] },
    check: (c) => assert.match(c.reason ?? '', /already inactive/),
  },
  {
    name: 'on leave counts as active',
    employees: [{ ...ADA, status: 'leave' }],
    users: [adaUser()],
    expected: { action: 'none' },
  },
  {
    name: 'rehire: the old inactive account is reactivated, with other changes',
    employees: [{ ...ADA, hire_date: '2024-06-01', termination_date: '2023-03-31', department_code: 'SALES' }],
    users: [adaUser({ active: false })],
    expected: {
      action: 'reactivate',
      userId: 'u1',
      operations: [
        { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
        { op: 'replace', path: `${ENTERPRISE}:dateHire`, value: '2024-06-01' },
        { op: 'replace', path: 'active', value: true },
      ],
      groupChanges: { add: ['g-sales'], remove: ['g-eng'] },
    },
  },
  {
    name: 'rehire found by userName only (inactive users count), on an account nobody owns',
    employees: [{ ...ADA, id: 'E77' }],
    users: [adaUser({ active: false, externalId: undefined }, { employeeNumber: undefined })],
    hrId: 'E77',
    expected: { action: 'reactivate', userId: 'u1', matchedBy: 'userName' },
  },
  {
    name: "found by userName on an inactive account that carries another HR id: never reactivated automatically",
    employees: [{ ...ADA, id: 'E77' }],
    users: [adaUser({ active: false, externalId: 'OLD-1' }, { employeeNumber: undefined })],
    hrId: 'E77',
    expected: { action: 'skip', operations: [], userId: undefined },
    check: (c) => assert.match(c.reason ?? '', /another employee's \(OLD-1\)/),
  },
  {
    name: 'rehire starting in the future: defer, the account stays inactive',
    employees: [{ ...ADA, hire_date: '2024-09-01', termination_date: '2023-03-31' }],
    users: [adaUser({ active: false })],
    expected: { action: 'defer', userId: 'u1', operations: [], notBefore: '2024-09-01' },
  },
  {
    name: 'future hire with an account already active: kept active, not deactivated',
    employees: [{ ...ADA, hire_date: '2024-09-01' }],
    users: [adaUser({}, { dateHire: '2024-09-01' })],
    expected: { action: 'none', operations: [] },
    check: (c) => assert.match(c.warnings.map((w) => `${w.code}: ${w.text}`).join('\n'), /^early-account: .*already has an active account/m),
  },
  {
    name: '"active" not managed: a leaver is not deactivated',
    employees: [{ ...ADA, status: 'terminated' }],
    users: [adaUser()],
    config: { managedAttributes: ['title', 'department'] },
    expected: { action: 'none', operations: [] },
  },
  {
    name: 'unknown department: warning, the department is set to the code, groups untouched',
    employees: [{ ...ADA, department_code: 'BOGUS', title: 'Lead' }],
    users: [adaUser()],
    expected: {
      action: 'update',
      operations: [
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'replace', path: `${ENTERPRISE}:department`, value: 'BOGUS' },
      ],
      groupChanges: { add: [], remove: [] },
    },
    check: (c) => assert.match(c.warnings.map((w) => `${w.code}: ${w.text}`).join('\n'), /^unknown-department: .*"BOGUS".*; department set to the code, groups left as they are$/m),
  },
  {
    name: 'unknown department on a run that does not write department: the warning does not say it is set',
    employees: [{ ...ADA, department_code: 'BOGUS', title: 'Lead' }],
    users: [adaUser()],
    config: { managedAttributes: ['title', 'groups'] },
    expected: { action: 'update', operations: [{ op: 'replace', path: 'title', value: 'Lead' }], groupChanges: { add: [], remove: [] } },
    check: (c) => assert.match(c.warnings.map((w) => w.text).join('\n'), /"BOGUS" is not in the mapping's departments table; groups left as they are$/m),
  },
  {
    name: 'unknown department, `leave`: warning, the rest still updates',
    employees: [{ ...ADA, department_code: 'BOGUS', title: 'Lead' }],
    users: [adaUser()],
    config: { unknownDepartment: 'leave' },
    expected: { action: 'update', operations: [{ op: 'replace', path: 'title', value: 'Lead' }], groupChanges: { add: [], remove: [] } },
    check: (c) => assert.match(c.warnings.map((w) => `${w.code}: ${w.text}`).join('\n'), /^unknown-department: .*"BOGUS"/m),
  },
  {
    name: 'unknown department, `quarantine`: the record is skipped with the reason',
    employees: [{ ...ADA, department_code: 'BOGUS', title: 'Lead' }],
    users: [adaUser()],
    config: { unknownDepartment: 'quarantine' },
    expected: { action: 'skip', operations: [] },
    check: (c) => assert.match(c.reason ?? '', /"BOGUS".*quarantined/),
  },
  {
    name: 'a group missing in the target: warning',
    employees: [ADA],
    users: [],
    ctx: { groupIdsByName: { 'Sales Team': 'g-sales' } },
    expected: { action: 'create', groupChanges: { add: [], remove: [] } },
    check: (c) => assert.match(c.warnings.map((w) => `${w.code}: ${w.text}`).join('\n'), /^group-missing: group "Engineering Team" does not exist/m),
  },
  {
    name: 'ambiguous match: skip, nothing written',
    employees: [ADA],
    users: [adaUser({ id: 'u1' }), adaUser({ id: 'u2' })],
    expected: { action: 'skip', operations: [], userId: undefined },
    check: (c) => assert.match(c.reason ?? '', /externalId matches 2 users \(u1, u2\)/),
  },
  {
    name: 'contested user: both records skipped',
    employees: [ADA, { ...ADA, id: 'E2', employee_number: '2002' }],
    users: [adaUser({ externalId: undefined }, { employeeNumber: undefined })],
    expected: { action: 'skip' },
    check: (c, all) => {
      assert.equal(all.length, 2);
      assert.ok(all.every((x) => x.action === 'skip'));
      assert.match(c.reason ?? '', /matched by HR records E1, E2/);
    },
  },
  {
    name: "a recycled email: the account of the employee it belonged to is not taken over, the row says why",
    employees: [{ ...ADA, id: 'E9', employee_number: '9009' }],
    users: [adaUser({ active: false })],
    hrId: 'E9',
    expected: { action: 'skip', operations: [], userId: undefined },
    check: (c) => assert.match(c.reason ?? '', /userName matches user .*, whose externalId is another employee's \(E1\)/),
  },
  {
    name: 'manager matched in the same batch: resolved',
    employees: [{ ...ADA, manager_employee_id: 'M1' }, { id: 'M1', email: 'boss@example.com', first_name: 'Bo', last_name: 'Ss' }],
    users: [adaUser(), user({ id: 'u-m1', userName: 'boss@example.com', externalId: 'M1' })],
    expected: { action: 'update', managerHrId: 'M1', operations: [{ op: 'replace', path: MANAGER_PATH, value: { value: 'u-m1' } }], pendingManagerHrId: undefined },
  },
  {
    name: 'manager outside the batch, id supplied: resolved',
    employees: [{ ...ADA, manager_employee_id: 'M1' }],
    users: [adaUser({}, { manager: { value: 'u-m1' } })],
    ctx: { userIdsByHrId: { M1: 'u-m1' } },
    expected: { action: 'none', operations: [] },
  },
  {
    name: 'manager removed in HR: cleared',
    employees: [{ ...ADA, manager_employee_id: null }],
    users: [adaUser({}, { manager: { value: 'u-m1' } })],
    expected: { action: 'update', operations: [{ op: 'remove', path: MANAGER_PATH }], changedFields: ['manager'], managerHrId: null },
  },
  {
    name: 'manager created in this run: pending, no warning, left out of the POST body',
    employees: [{ ...ADA, manager_employee_id: 'M1' }, { id: 'M1', email: 'boss@example.com', first_name: 'Bo', last_name: 'Ss' }],
    users: [],
    expected: { action: 'create', pendingManagerHrId: 'M1', warnings: [] },
    check: (c) => {
      assert.equal(c.newUser?.[ENTERPRISE]?.manager, undefined);
      assert.ok(c.changedFields.includes('manager'));
    },
  },
  {
    name: 'existing user whose new manager is created in this run: update pending on the reference alone',
    employees: [{ ...ADA, manager_employee_id: 'M1' }, { id: 'M1', email: 'boss@example.com', first_name: 'Bo', last_name: 'Ss' }],
    users: [adaUser()],
    expected: { action: 'update', operations: [], pendingManagerHrId: 'M1', changedFields: ['manager'], warnings: [] },
  },
  {
    name: 'manager nowhere to be found: pending, with a warning',
    employees: [{ ...ADA, manager_employee_id: 'M404' }],
    users: [adaUser()],
    expected: { action: 'update', pendingManagerHrId: 'M404' },
    check: (c) => assert.match(c.warnings.map((w) => `${w.code}: ${w.text}`).join('\n'), /^manager-pending: manager M404 has no user in the target yet/m),
  },
  {
    name: 'a leaver\'s missing manager is not chased',
    employees: [{ ...ADA, status: 'terminated', manager_employee_id: 'M404' }],
    users: [adaUser()],
    expected: { action: 'deactivate', pendingManagerHrId: undefined, warnings: [] },
  },
  {
    name: 'scim2 target: name diffed',
    employees: [ADA],
    users: [adaUser({ name: { givenName: 'Ada', familyName: 'Byron' } })],
    ctx: { profile: 'scim2' },
    expected: { action: 'update', operations: [{ op: 'replace', path: 'name.familyName', value: 'Lovelace' }] },
  },
  {
    name: 'without group ids, memberships are not planned',
    employees: [{ ...ADA, department_code: 'SALES' }],
    users: [adaUser()],
    ctx: { groupIdsByName: undefined },
    expected: { action: 'update', groupChanges: { add: [], remove: [] }, changedFields: ['department'] },
  },
];

describe('domain: planBatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ctx: PlanContext = { profile: 'genesys', today: TODAY, groupIdsByName: GROUP_IDS, ...c.ctx };
      const all = planBatch(c.employees.map((e) => employee(e)), c.users, config(c.config), ctx);
      const change = all.find((x) => x.hrId === (c.hrId ?? 'E1'));
      assert.ok(change, 'a change for the employee');
      for (const [key, value] of Object.entries(c.expected)) {
        assert.deepEqual(change[key as keyof PlannedChange], value, key);
      }
      c.check?.(change, all);
      assert.deepEqual(JSON.parse(JSON.stringify(all)), stripUndefinedDeep(all), 'plain JSON data');
    });
  }

  it('one change per employee, in input order, the later duplicate winning', () => {
    const all = planBatch(
      [employee({ id: 'B' }), employee({ id: 'A', email: 'a@example.com', title: 'Old' }), employee({ id: 'A', email: 'a@example.com', title: 'New' })],
      [],
      config(),
      { profile: 'genesys', today: TODAY },
    );
    assert.deepEqual(all.map((c) => c.hrId), ['B', 'A']);
    assert.equal(all[1].newUser?.title, 'New');
  });

  it('is deterministic', () => {
    const employees = [employee({ ...ADA, manager_employee_id: 'M1' }), employee({ id: 'M1', email: 'm@example.com' })];
    const a = planBatch(employees, [adaUser()], config(), { profile: 'genesys', today: TODAY, groupIdsByName: GROUP_IDS });
    const b = planBatch(employees, [adaUser()], config(), { profile: 'genesys', today: TODAY, groupIdsByName: GROUP_IDS });
    assert.deepEqual(a, b);
  });
});

describe('domain: planUser', () => {
  it('re-plans one user after a version conflict, against the fresh copy', () => {
    const fresh = adaUser({ title: 'Changed by hand', meta: { version: '"43"' } });
    const change = planUser(employee(ADA), fresh, config(), { profile: 'genesys', today: TODAY, groupIdsByName: GROUP_IDS });
    assert.equal(change.action, 'update');
    assert.equal(change.version, '"43"');
    assert.deepEqual(change.operations, [{ op: 'replace', path: 'title', value: 'Analyst' }]);
  });

  it('a manager listed as being created is pending without a warning', () => {
    const change = planUser(employee({ ...ADA, manager_employee_id: 'M1' }), null, config(), {
      profile: 'genesys',
      today: TODAY,
      creatingHrIds: ['M1'],
    });
    assert.equal(change.pendingManagerHrId, 'M1');
    assert.deepEqual(change.warnings, []);
  });
});

function stripUndefinedDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripUndefinedDeep) as T;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, stripUndefinedDeep(x)])) as T;
  }
  return v;
}
