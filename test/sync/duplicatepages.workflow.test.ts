import assert from 'node:assert/strict';
import { URN } from '../../src/scim/model/schemas/urns';
import { generateCompany } from '../../sim/hr';
import { startHarness, type Harness } from '../support/harness';
import { readReport, userByExternalId } from './support';

/**
 * HR sends one employee on two pages of a read (paging moved under the reader, or an export that repeats a
 * record), the later record the newer. The user is in the target, so the pass's snapshot has it, as it was
 * before this run wrote it: the second sighting must plan against what the first one wrote, and against
 * the memberships it recorded for the end of the run.
 */
describe('sync workflow: a full run that meets a user it already wrote on a later HR page', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 12, seed: 5, now: new Date() });
  const managers = new Set(company.map((e) => String(e.manager_employee_id)));
  const [plain, mover] = company.filter((e) => e.status === 'active' && e.termination_date == null && !managers.has(String(e.id)));
  const hrId = String(plain.id);
  // Paged by (updated_at, id), five a page: the older records come first, the newer on the last page.
  const early = (s: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, s)).toISOString();
  const late = (s: number) => new Date(Date.now() + 60_000 + s * 1000).toISOString();
  const older = { ...plain, title: 'Title on the first page', updated_at: early(0) };
  const newer = { ...plain, title: 'Title on the last page', updated_at: late(0) };
  // The mover's department, and so its group: Finance on the first page, Legal on the last.
  const groupsOf = (userId: string) => h.sims.scim.groups().filter((g) => g.members?.some((m) => m.value === userId)).map((g) => g.displayName);
  const moved = [{ ...mover, department_code: 'FIN', updated_at: early(1) }, { ...mover, department_code: 'LEGAL', updated_at: late(1) }];
  let h: Harness;
  before(async () => {
    const others = company.filter((e) => e !== plain && e !== mover);
    h = await startHarness({ hr: { company: [older, moved[0], ...others, newer, moved[1]] }, env: { HR_PAGE_SIZE: '5' } });
  });
  after(async () => h?.close());

  it('leaves the user as the newer record says, groups too, reading it again once instead of meeting its own write as a conflict', async () => {
    const first = await h.sync({ mode: 'full' });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first.outcomes));
    const user = userByExternalId(h.sims, hrId);
    assert.equal(user?.title, newer.title);
    const moverId = userByExternalId(h.sims, String(mover.id))?.id as string;
    assert.deepEqual(groupsOf(moverId), ['Legal Team'], 'created on the first page, moved on the last: in the last one\'s group only');

    // The snapshot of the next run holds the newer title: the first page writes the older one over it.
    h.sims.scim.resetStats();
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again.outcomes));
    assert.equal(userByExternalId(h.sims, hrId)?.title, newer.title, 'the newer record has the last word');
    assert.equal(readReport(again.reportPath).find((r) => r.hr_id === hrId)?.outcome, 'applied');
    // The first page's memberships wait for the end of the run: the last page plans against them too.
    assert.deepEqual(groupsOf(moverId), ['Legal Team']);
    assert.equal(userByExternalId(h.sims, String(mover.id))?.[URN.enterpriseUser]?.department, 'Legal');

    // Edited by hand meanwhile: both records differ from the snapshot, and the second PATCH would carry the
    // version the snapshot read, which the first page's write has moved on.
    h.sims.scim.touchUser(user?.id as string, { title: 'Edited by hand' });
    h.sims.scim.resetStats();
    const edited = await h.sync({ mode: 'full' });
    assert.equal(edited.outcome, 'succeeded', JSON.stringify(edited.outcomes));
    assert.equal(userByExternalId(h.sims, hrId)?.title, newer.title);
    const routes = h.sims.scim.stats().byRoute;
    assert.equal(routes['PATCH /users/:id 412'], undefined, `no conflict with its own write: ${JSON.stringify(routes)}`);
    // Each of the two employees HR sends twice is written twice, and read again once before its second write.
    assert.equal(routes['GET /users/:id 200'], 2, `read again once each: ${JSON.stringify(routes)}`);
    assert.equal(routes['PATCH /users/:id 200'], 4, JSON.stringify(routes));
    assert.deepEqual(groupsOf(moverId), ['Legal Team']);
  });
});

/**
 * The same, for what a later record may change besides the groups: the manager (the earlier record names one
 * without an account, whose reference waits for the end of the run; the later one someone who has one) and
 * the status (the later record is a leaver's). The later record has the last word on each: for a joiner
 * created on the first page and, a run later, for the user it became; for a user the target had, who leaves.
 */
describe('sync workflow: a full run that meets a user again on a later HR page, with another manager or as a leaver', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 12, seed: 7, now: new Date() });
  const managers = new Set(company.map((e) => String(e.manager_employee_id)));
  const leaves = company.filter((e) => e.status === 'active' && e.termination_date == null && !managers.has(String(e.id)));
  const [boss] = company.filter((e) => e.status === 'active' && e.termination_date == null && managers.has(String(e.id)));
  const [transferred, quitter, starter, stayer] = leaves;
  const early = (s: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, s)).toISOString();
  const late = (s: number) => new Date(Date.now() + 60_000 + s * 1000).toISOString();
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  // Starts in two months: no account yet, so a reference to them is left for the end of the run.
  const future = { ...starter, hire_date: day(60), updated_at: early(9) };
  const records = [
    { ...transferred, manager_employee_id: future.id, updated_at: early(1) },
    { ...quitter, department_code: 'FIN', updated_at: early(2) },
  ];
  const later = [
    { ...transferred, manager_employee_id: boss.id, updated_at: late(1) },
    { ...quitter, department_code: 'FIN', status: 'terminated' as const, termination_date: day(-1), updated_at: late(2) },
  ];
  // The quitter has an account, in no group yet; so has someone who stays (a leaver alone would be everyone).
  const account = (e: typeof quitter) => ({ userName: String(e.email), displayName: `${e.first_name} ${e.last_name}`, externalId: String(e.id), active: true });
  let h: Harness;
  before(async () => {
    const others = company.filter((e) => e !== transferred && e !== quitter && e !== starter);
    h = await startHarness({
      hr: { company: [...records, future, ...others, ...later] },
      scim: { users: [account(quitter), account(stayer)] },
      env: { HR_PAGE_SIZE: '5', HRSYNC_GATE_MAX_PERCENT: '100' },
    });
  });
  after(async () => h?.close());

  for (const run of ['a joiner', 'the user it became']) {
    it(`leaves ${run} under the later record's manager, and the leaver in no group the earlier record named`, async () => {
      const summary = await h.sync({ mode: 'full' });
      const user = userByExternalId(h.sims, String(transferred.id));
      assert.equal(user?.[URN.enterpriseUser]?.manager?.value, userByExternalId(h.sims, String(boss.id))?.id, 'under the manager the later record names');
      const rows = readReport(summary.reportPath);
      assert.deepEqual(
        rows.filter((r) => r.hr_id === String(transferred.id)).map((r) => [r.outcome, r.error]),
        [['applied', '']],
        'no reference left for a manager the later record does not name',
      );
      const gone = userByExternalId(h.sims, String(quitter.id));
      assert.equal(gone?.active, false);
      const groupsOf = h.sims.scim.groups().filter((g) => g.members?.some((m) => m.value === gone?.id)).map((g) => g.displayName);
      assert.deepEqual(groupsOf, [], 'the leaver is put in no group');
      assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.outcomes));
    });
  }
});
