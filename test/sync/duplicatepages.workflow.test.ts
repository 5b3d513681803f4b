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
