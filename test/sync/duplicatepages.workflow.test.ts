import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import { generateCompany } from '../../sim/hr';
import { startHarness, type Harness } from '../support/harness';
import { readReport, userByExternalId } from './support';

/**
 * HR sends one employee on two pages of a read (paging moved under the reader, or an export that repeats a
 * record), the later record the newer. The user is in the target, so the pass's snapshot has it, as it was
 * before this run wrote it: the second sighting must plan against what the first one wrote.
 */
describe('sync workflow: a full run that meets a user it already wrote on a later HR page', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 12, seed: 5, now: new Date() });
  const managers = new Set(company.map((e) => String(e.manager_employee_id)));
  const plain = company.find((e) => e.status === 'active' && e.termination_date == null && !managers.has(String(e.id))) as RawEmployee;
  const hrId = String(plain.id);
  // Paged by (updated_at, id), five a page: the older record comes first, the newer on the last page.
  const older = { ...plain, title: 'Title on the first page', updated_at: '2001-01-01T00:00:00.000Z' };
  const newer = { ...plain, title: 'Title on the last page', updated_at: new Date(Date.now() + 60_000).toISOString() };
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { company: [older, ...company.filter((e) => e !== plain), newer] }, env: { HR_PAGE_SIZE: '5' } });
  });
  after(async () => h?.close());

  it('leaves the user as the newer record says, reading it again once instead of meeting its own write as a conflict', async () => {
    const first = await h.sync({ mode: 'full' });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first.outcomes));
    const user = userByExternalId(h.sims, hrId);
    assert.equal(user?.title, newer.title);

    // The snapshot of the next run holds the newer title: the first page writes the older one over it.
    h.sims.scim.resetStats();
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again.outcomes));
    assert.equal(userByExternalId(h.sims, hrId)?.title, newer.title, 'the newer record has the last word');
    assert.equal(readReport(again.reportPath).find((r) => r.hr_id === hrId)?.outcome, 'applied');

    // Edited by hand meanwhile: both records differ from the snapshot, and the second PATCH would carry the
    // version the snapshot read, which the first page's write has moved on.
    h.sims.scim.touchUser(user?.id as string, { title: 'Edited by hand' });
    h.sims.scim.resetStats();
    const edited = await h.sync({ mode: 'full' });
    assert.equal(edited.outcome, 'succeeded', JSON.stringify(edited.outcomes));
    assert.equal(userByExternalId(h.sims, hrId)?.title, newer.title);
    const routes = h.sims.scim.stats().byRoute;
    assert.equal(routes['PATCH /users/:id 412'], undefined, `no conflict with its own write: ${JSON.stringify(routes)}`);
    assert.equal(routes['GET /users/:id 200'], 1, `the user was read again once: ${JSON.stringify(routes)}`);
    assert.equal(routes['PATCH /users/:id 200'], 2, JSON.stringify(routes));
  });
});
