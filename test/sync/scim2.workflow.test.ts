import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, historyText, readReport, userByExternalId } from './support';

/** The core scenarios against a generic RFC 7644 target with /Bulk (the simulator in scim2 mode). */
describe('sync workflow: scim2 target with /Bulk', function () {
  this.timeout(300_000);
  let h: Harness;
  const converged = () => assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims, { profile: 'scim2' }).slice(0, 20), []);

  function plainEmployees(): RawEmployee[] {
    const all = h.sims.hr.employees();
    const managers = new Set(all.map((e) => String(e.manager_employee_id)));
    return all
      .filter((e) => e.status === 'active' && !managers.has(String(e.id)) && userByExternalId(h.sims, String(e.id)))
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }

  before(async () => {
    h = await startHarness({ scim: { mode: 'scim2' }, hr: { employees: 200, seed: 61 }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
  });
  after(async () => h?.close());

  it('converges an initial full sync through bulk requests', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    const stats = h.sims.scim.stats();
    assert.ok(stats.bulkRequests > 0, 'writes went through /Bulk');
    assert.ok(stats.bulkOperations >= (summary.outcomes.applied ?? 0) * 0.9, JSON.stringify({ stats, outcomes: summary.outcomes }));
    assert.equal(stats.byRoute['POST /users 201'], undefined, 'no single POST when /Bulk is there');
    assert.equal(readReport(summary.reportPath).length, 200);
    converged();
  });

  it('converges a delta (a joiner and their report, a mover, a leaver) through bulk requests', async () => {
    const [a, b, c] = plainEmployees();
    const joiner = h.sims.hr.apply({ type: 'hire' });
    const report = h.sims.hr.apply({ type: 'hire', employee: { manager_employee_id: joiner.id } });
    h.sims.hr.apply({ type: 'transfer', id: a.id, department_code: a.department_code === 'ENG' ? 'SALES' : 'ENG' });
    h.sims.hr.apply({ type: 'manager-change', id: b.id, manager_employee_id: joiner.id });
    h.sims.hr.apply({ type: 'terminate', id: c.id });
    const bulkBefore = h.sims.scim.stats().bulkRequests;
    const summary = await h.sync({ mode: 'delta' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.equal(summary.employeesRead, 5);
    assert.equal(summary.outcomes.applied, 5);
    assert.ok(h.sims.scim.stats().bulkRequests > bulkBefore);
    const ent = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    assert.equal(userByExternalId(h.sims, String(report.id))?.[ent]?.manager?.value, userByExternalId(h.sims, String(joiner.id))?.id);
    assert.equal(userByExternalId(h.sims, String(c.id))?.active, false);
    converged();
  });

  it('makes zero writes when run again with no HR change, delta and full', async () => {
    const writes = h.sims.scim.stats().writes;
    const delta = await h.sync({ mode: 'delta' });
    const full = await h.sync({ mode: 'full' });
    assert.equal(delta.outcome, 'succeeded');
    assert.equal(full.outcome, 'succeeded');
    assert.equal(full.drift, 0);
    assert.equal(h.sims.scim.stats().writes, writes);
  });

  it('settles version conflicts inside /Bulk responses through the per-user refetch', async () => {
    const changed = plainEmployees().slice(0, 60);
    for (const [i, e] of changed.entries()) h.sims.hr.apply({ type: 'title-change', id: e.id, title: `Bulk Conflict ${i}` });
    const conflictsBefore = h.sims.scim.stats().faults.conflicts;
    h.sims.scim.setFaults({ conflictRate: 0.1 });
    const summary = await h.sync({ mode: 'delta' });
    h.sims.scim.setFaults({ conflictRate: 0 });
    assert.ok(h.sims.scim.stats().faults.conflicts > conflictsBefore, 'conflicts were injected');
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.deepEqual(summary.outcomes, { applied: 60 });
    converged();
  });

  it('keeps the bearer token out of workflow history', async () => {
    const token = h.sims.endpoints().scim.bearerToken as string;
    assert.ok(token && token.length > 10);
    const handle = await h.start({ mode: 'full' });
    await handle.result();
    const text = historyText(await handle.fetchHistory());
    assert.ok(text.includes(`"targetName":"${h.config.target.name}"`), 'the history was fetched and its payloads decoded');
    assert.equal(text.includes(token), false, 'the bearer token is in the history');
  });
});
