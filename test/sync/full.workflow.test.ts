import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RawEmployee } from '../../src/hr/employee';
import type { User } from '../../src/scim/resources/user';
import { startHarness, type Harness } from '../support/harness';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The default mapping, spelled out: HR department code -> Genesys department and group. */
const DEPARTMENT: Record<string, [string, string | undefined]> = {
  EXEC: ['Executive', undefined],
  SALES: ['Sales', 'Sales Team'],
  SUPPORT: ['Customer Support', 'Support Team'],
  ENG: ['Engineering', 'Engineering Team'],
  FIN: ['Finance', 'Finance Team'],
  HR: ['Human Resources', 'HR Team'],
  OPS: ['Operations', 'Operations Team'],
  MKT: ['Marketing', 'Marketing Team'],
  LEGAL: ['Legal', 'Legal Team'],
};

/**
 * What each employee's Genesys user must look like, written out independently of the mapping code:
 * the test would not catch a mapping bug if it asked the mapping what to expect.
 */
function expectConverged(employees: RawEmployee[], users: User[], groupsByUser: Map<string, string[]>, today: string) {
  const byExternalId = new Map(users.filter((u) => u.externalId).map((u) => [u.externalId as string, u]));
  const problems: string[] = [];
  for (const e of employees) {
    const id = String(e.id);
    const u = byExternalId.get(id);
    const leftBeforeToday = e.status === 'terminated' || (e.termination_date != null && e.termination_date <= today);
    const startsLater = e.hire_date != null && e.hire_date > today;
    if (startsLater) {
      if (u) problems.push(`${id}: a future hire got an account`);
      continue;
    }
    if (leftBeforeToday) {
      if (u && u.active !== false) problems.push(`${id}: a leaver is still active`);
      continue;
    }
    if (!u) {
      problems.push(`${id}: no account`);
      continue;
    }
    const want = (field: string, expected: unknown, actual: unknown) => {
      if (expected !== actual) problems.push(`${id} ${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    };
    want('active', true, u.active);
    want('userName', String(e.email).trim().toLowerCase(), u.userName);
    want('displayName', `${(e.preferred_name ?? e.first_name).trim()} ${e.last_name.trim()}`, u.displayName);
    want('title', e.title ?? undefined, u.title);
    want('work email', String(e.email).trim(), u.emails?.find((m) => m.type === 'work')?.value);
    want('work phone', e.work_phone ?? undefined, u.phoneNumbers?.find((p) => p.type === 'work')?.value);
    const [department, group] = (e.department_code && DEPARTMENT[e.department_code]) || [undefined, undefined];
    if (department) want('department', department, u[ENT]?.department);
    want('employeeNumber', e.employee_number == null ? undefined : String(e.employee_number), u[ENT]?.employeeNumber);
    const managerAccount = e.manager_employee_id == null ? undefined : byExternalId.get(String(e.manager_employee_id));
    want('manager', managerAccount?.id, u[ENT]?.manager?.value);
    const groups = groupsByUser.get(u.id) ?? [];
    if (department) want('groups', group ?? '', groups.join(','));
  }
  return problems;
}

describe('sync workflow: initial full sync on a real dev server against the simulators', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 500, seed: 7 } });
  });
  after(async () => h?.close());

  it('creates every account, then a second run with no HR change makes zero writes', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    const users = h.sims.scim.users();
    const groupsByUser = new Map<string, string[]>();
    for (const g of h.sims.scim.groups()) for (const m of g.members ?? []) groupsByUser.set(m.value, [...(groupsByUser.get(m.value) ?? []), g.displayName]);
    const today = new Date().toISOString().slice(0, 10);
    const problems = expectConverged(h.sims.hr.employees(), users, groupsByUser, today);
    assert.deepEqual(problems.slice(0, 20), []);
    assert.ok(summary.outcomes.applied && summary.outcomes.applied > 400, JSON.stringify(summary.outcomes));
    assert.ok(users.length > 400);
    const report = readFileSync(summary.reportPath, 'utf8').trim().split('\n');
    assert.equal(report[0], 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error');
    assert.equal(report.length - 1, 500, 'one report row per employee in a full run');
    assert.deepEqual(report.filter((l) => l.includes('has no user in the target yet')), [], 'settled manager references leave no stale note');

    const writesBefore = h.sims.scim.stats().writes;
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(h.sims.scim.stats().writes, writesBefore, 'a run with nothing to change must not write');
    assert.equal(again.drift, 0);
  });
});
