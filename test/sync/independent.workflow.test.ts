import assert from 'node:assert/strict';
import { defaultMappingConfig, managedGroupNames } from '../../src/domain/mapping/config';
import type { User } from '../../src/scim/model/resources/user';
import type { Harness } from '../support/harness';
import { startIndependentScim, type IndependentScim } from '../support/independent-scim';
import { readReport } from './support';
import { convergesOnDefaults, onIndependentServer, plainReports, type TargetState } from './targets';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * hrsync on its defaults (no config file) against a SCIM 2.0 server nobody here wrote: scimmy and
 * scimmy-routers from npm, as shipped (see test/support/independent-scim.ts and test/independent/).
 * Its users never carry `groups`, it filters employeeNumber to nobody, its dateHire is not RFC 7643's,
 * and it has /Bulk: the run learns all that and converges.
 */
describe('sync workflow: an independent SCIM 2.0 server (scimmy), on defaults', function () {
  this.timeout(300_000);
  let scim: IndependentScim;
  let h: Harness;
  let target: TargetState;

  before(async () => {
    scim = await startIndependentScim({ groups: managedGroupNames(defaultMappingConfig()) });
    ({ h, target } = await onIndependentServer(scim));
  });
  after(async () => {
    await h?.close();
    await scim?.stop();
  });

  it('converges: initial full sync, a repeat with zero writes, a delta of a day of HR changes, and its repeat', async () => {
    let moved = '';
    let leaver = '';
    const r = await convergesOnDefaults({
      h,
      target,
      profile: 'scim2',
      extraChanges: async (x) => {
        const [a, b] = plainReports(x, await target.users()).slice(-2);
        moved = String(a.id);
        leaver = String(b.id);
        x.sims.hr.apply({ type: 'transfer', id: a.id, department_code: a.department_code === 'ENG' ? 'FIN' : 'ENG' });
        x.sims.hr.apply({ type: 'manager-change', id: b.id, manager_employee_id: null });
        x.sims.hr.apply({ type: 'terminate', id: b.id });
      },
    });
    // The target's own state: the mover is in their new department's group only, the leaver is inactive.
    const users = await target.users();
    const groups = await target.groups();
    const a = users.find((u) => u.externalId === moved) as User;
    const member = groups.filter((g) => (g.members ?? []).some((m) => m.value === a.id)).map((g) => g.displayName);
    assert.deepEqual(member, [a[ENT]?.department === 'Engineering' ? 'Engineering Team' : 'Finance Team']);
    assert.equal(users.find((u) => u.externalId === leaver)?.active, false);
    // The generic profile never maps dateHire (RFC 7643 §4.3 has none), so the server never refused it.
    assert.equal(users.some((u) => u[ENT]?.dateHire !== undefined), false);
    assert.equal(readReport(r.delta.reportPath).filter((row) => row.outcome === 'failed').length, 0);
    // Its /ResourceTypes lists the enterprise extension: read, it takes nothing out of the writes.
    assert.deepEqual((r.full.notices ?? []).filter((n) => /not written/.test(n)), [], JSON.stringify(r.full.notices));
    // Sixty users are three pages: the delta's questions cost more, so it read the target once instead.
    assert.ok(r.delta.notices?.some((n) => /^reading the target once \(3 calls\)/.test(n)), JSON.stringify(r.delta.notices));
  });
});
