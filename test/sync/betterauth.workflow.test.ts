import assert from 'node:assert/strict';
import { defaultMappingConfig, managedGroupNames } from '../../src/domain/mapping/config';
import type { User } from '../../src/scim/model/resources/user';
import { startBetterAuthScim, type BetterAuthScim } from '../support/betterauth-scim';
import type { Harness } from '../support/harness';
import { readReport, today } from './support';
import { convergesOnDefaults, onIndependentServer, plainReports, problemsOn, type TargetState } from './targets';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * hrsync on its defaults (no config file) against a second SCIM 2.0 server nobody here wrote: Better Auth's
 * SCIM plugin from npm, as shipped (see test/support/betterauth-scim.mjs and test/independent/betterauth.test.ts).
 * It answers `eq` on userName, externalId or emails and little else (no `or`, no `active`, no
 * employeeNumber), has no /Bulk and no ETags: the run learns all that and converges.
 */
describe('sync workflow: a second independent SCIM 2.0 server (Better Auth), on defaults', function () {
  this.timeout(300_000);
  let scim: BetterAuthScim;
  let h: Harness;
  let target: TargetState;

  before(async () => {
    scim = await startBetterAuthScim({ groups: managedGroupNames(defaultMappingConfig()) });
    ({ h, target } = await onIndependentServer(scim));
  });
  after(async () => {
    await h?.close();
    await scim?.stop();
  });

  let leaver = '';

  it('converges: initial full sync, a repeat with zero writes, a delta with joiners, movers, leavers and a rehire, and its repeat', async () => {
    let moved = '';
    const hrIdsBefore = new Set(h.sims.hr.employees().map((e) => String(e.id)));
    // The day's batch rehires the first employee HR has as terminated.
    const rehired = String(h.sims.hr.employees().find((e) => e.status === 'terminated')?.id);
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
    const users = await target.users();
    const groups = await target.groups();
    const a = users.find((u) => u.externalId === moved) as User;
    const member = groups.filter((g) => (g.members ?? []).some((m) => m.value === a.id)).map((g) => g.displayName);
    assert.deepEqual(member, [a[ENT]?.department === 'Engineering' ? 'Engineering Team' : 'Finance Team']);
    assert.equal(users.find((u) => u.externalId === leaver)?.active, false);
    const joiners = h.sims.hr.employees().filter((e) => !hrIdsBefore.has(String(e.id)) && e.status === 'active' && (e.hire_date ?? '') <= today()).map((e) => String(e.id));
    assert.ok(joiners.length > 0);
    for (const id of [...joiners, rehired]) assert.equal(users.filter((u) => u.externalId === id && u.active !== false).length, 1, id);
    assert.equal(readReport(r.delta.reportPath).filter((row) => row.outcome === 'failed').length, 0);
    // What it refuses is learned, noticed, and gone around: it takes no `or`, so each term goes alone.
    assert.deepEqual(r.full.notices ?? [], [], 'the full run reads the target; it asks nothing it refuses');
    assert.ok(r.delta.notices?.includes('or-combined filter: refused by the target (400 invalidFilter); lookups went on without it'), JSON.stringify(r.delta.notices));
    assert.ok(r.delta.notices?.some((n) => /^reading the target once \(\d+ calls\)/.test(n)), JSON.stringify(r.delta.notices));
  });

  it('a delta of one rehire asks by lookups, one term a query: the leaver back on the same account, and its repeat writes nothing', async () => {
    const before = (await target.users()).find((u) => u.externalId === leaver) as User;
    assert.equal(before.active, false);
    h.sims.hr.apply({ type: 'rehire', id: leaver });
    target.resetLog();
    const delta = await h.sync({ mode: 'delta' });
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.deepEqual(delta.planned, { reactivate: 1 });
    assert.ok(!(delta.notices ?? []).some((n) => /^reading the target once/.test(n)), JSON.stringify(delta.notices));
    const lookups = scim.requests().filter((r) => /\/Users\?filter=/.test(r.path)).map((r) => r.path.replace(/^.*filter=([^&]*).*$/, '$1'));
    assert.deepEqual(lookups, [`externalId eq "${leaver}"`], 'found by its first match key, alone');
    const accounts = (await target.users()).filter((u) => u.externalId === leaver);
    assert.deepEqual(accounts.map((u) => [u.id, u.active]), [[before.id, true]]);
    assert.deepEqual(await problemsOn(target, h.sims.hr.employees(), { profile: 'scim2' }), []);
    target.resetLog();
    const again = await h.sync({ mode: 'delta' });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again));
    assert.equal(target.writes(), 0, 'the repeat delta wrote');
  });

  it('a delta of one joiner: externalId misses, the employeeNumber lookup is refused, learned and not asked again, the joiner is created', async () => {
    const ids = new Set(h.sims.hr.employees().map((e) => String(e.id)));
    h.sims.hr.apply({ type: 'hire' });
    const joiner = h.sims.hr.employees().find((e) => !ids.has(String(e.id)))!;
    target.resetLog();
    const delta = await h.sync({ mode: 'delta' });
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.deepEqual(delta.planned, { create: 1 });
    assert.ok(delta.notices?.includes('filter on employeeNumber: refused by the target (400 invalidFilter); lookups went on without it'), JSON.stringify(delta.notices));
    const lookups = scim.requests().filter((r) => /\/Users\?filter=/.test(r.path)).map((r) => r.path.replace(/^.*filter=([^&]*).*$/, '$1'));
    assert.equal(lookups[0], `externalId eq "${joiner.id}"`);
    assert.equal(lookups.filter((f) => f === `${ENT}:employeeNumber eq "${joiner.employee_number}"`).length, 1, `asked alone once: ${JSON.stringify(lookups)}`);
    const [row] = readReport(delta.reportPath);
    assert.deepEqual([row.hr_id, row.action, row.outcome], [String(joiner.id), 'create', 'applied']);
    assert.equal((await target.users()).filter((u) => u.externalId === String(joiner.id)).length, 1);
    assert.deepEqual(await problemsOn(target, h.sims.hr.employees(), { profile: 'scim2' }), []);
  });
});
