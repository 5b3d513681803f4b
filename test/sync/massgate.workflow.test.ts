import assert from 'node:assert/strict';
import { generateCompany } from '../../sim/hr';
import { URN } from '../../src/scim/model/schemas/urns';
import { pendingApprovalQuery, rejectUpdate } from '../../src/workflows/sync';
import { startHarness, type Harness } from '../support/harness';
import { eventually } from './support';

describe('sync workflow: mass changes beyond deactivations go through the gate', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 40, seed: 71, now: new Date() }).filter((e) => e.status === 'active' && e.termination_date == null);
  let h: Harness;
  before(async () => {
    h = await startHarness({
      // The target as an earlier sync left it: everyone in their department...
      scim: {
        users: company.map((e) => ({
          userName: String(e.email).toLowerCase(),
          displayName: `${e.first_name} ${e.last_name}`,
          externalId: String(e.id),
          active: true,
          [URN.enterpriseUser]: { department: 'Sales' },
        })),
      },
      // ...and an HR export whose department_code column came through empty.
      hr: { company: company.map((e) => ({ ...e, department_code: null })) },
    });
  });
  after(async () => h?.close());

  it('an export with every department_code empty stops at the gate instead of clearing everyone', async () => {
    assert.ok(company.length > 25, `${company.length}`);
    const writes = h.sims.scim.stats().writes;
    const handle = await h.start({ mode: 'full' });
    const pending = await eventually(() => handle.query(pendingApprovalQuery), 'the run to wait at the gate');
    assert.match(pending.reason, new RegExp(`^${company.length} users would lose their department, more than sync\\.gate\\.maxDepartmentClears \\(25\\)`));
    assert.equal(h.sims.scim.stats().writes, writes, 'nothing written while it waits');
    await handle.executeUpdate(rejectUpdate, { args: [{ by: 'test', reason: 'HR export broken' }] });
    const summary = await handle.result();
    assert.equal(summary.outcome, 'rejected');
    assert.equal(h.sims.scim.stats().writes, writes);
    assert.ok(h.sims.scim.users().every((u) => u[URN.enterpriseUser]?.department === 'Sales'), 'every department is still there');
  });
});
