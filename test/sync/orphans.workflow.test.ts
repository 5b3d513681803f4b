import assert from 'node:assert/strict';
import { generateCompany } from '../../sim/hr';
import { startHarness, type Harness } from '../support/harness';
import { readReport } from './support';

/**
 * A full run deactivates the users HR no longer has, and only those: a user that carries another
 * externalId (another provisioning system's, or a former employee's) that an employee matches by
 * userName is neither taken over nor an orphan: it is left alone, with the reason on the row; and a user
 * made by hand (no externalId) is never touched.
 */
describe('sync workflow: users HR no longer has', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 30, seed: 5, now: new Date('2026-11-01T00:00:00Z') });
  const managers = new Set(company.map((e) => String(e.manager_employee_id)));
  const employee = company.find((e) => e.status === 'active' && e.manager_employee_id != null && !managers.has(String(e.id)))!;
  let h: Harness;
  before(async () => {
    h = await startHarness({
      hr: { company },
      scim: {
        users: [
          { userName: String(employee.email).toLowerCase(), displayName: 'Old Name', externalId: 'okta-00u1abc', active: true },
          { userName: 'gone@corp.example', displayName: 'Gone Person', externalId: '9999999', active: true },
          { userName: 'admin@corp.example', displayName: 'Hand Made Admin', active: true },
        ],
      },
      env: { HRSYNC_GATE_MAX_PERCENT: '100' },
    });
  });
  after(async () => h?.close());

  it('deactivates the leaver HR dropped, does not take over an account with another externalId, and leaves hand-made users alone', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    const byName = new Map(h.sims.scim.users().map((u) => [u.userName, u]));
    const matched = byName.get(String(employee.email).toLowerCase())!;
    assert.equal(matched.active, true, 'an account matched by userName is not an orphan, whatever its externalId');
    assert.equal(matched.externalId, 'okta-00u1abc', 'the other system keeps its externalId');
    assert.equal(matched.displayName, 'Old Name', 'and it is not taken over: a person decides whose it is');
    const skipped = readReport(summary.reportPath).find((r) => r.hr_id === String(employee.id));
    assert.equal(skipped?.action, 'skip', JSON.stringify(skipped));
    assert.match(skipped?.error ?? '', /userName matches user .*, whose externalId is another employee's \(okta-00u1abc\)/);
    assert.equal(byName.get('gone@corp.example')?.active, false);
    assert.equal(byName.get('admin@corp.example')?.active, true);
    assert.equal(byName.get('admin@corp.example')?.displayName, 'Hand Made Admin');

    const row = readReport(summary.reportPath).find((r) => r.hr_id === '9999999');
    assert.equal(row?.action, 'deactivate');
    assert.equal(row?.outcome, 'applied');
    assert.equal(row?.user_name, 'gone@corp.example', 'the orphan row keeps the user name the plan saw');

    const writes = h.sims.scim.stats().writes;
    assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    assert.equal(h.sims.scim.stats().writes, writes, 'a second full run finds nothing more to do');
  });
});
