import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, readReport } from './support';

const DEPARTMENTS = ['SALES', 'SUPPORT', 'ENG', 'FIN', 'HR', 'OPS', 'MKT', 'LEGAL'];

/**
 * The fault mix on a full run with movers: 5% 5xx, 2% dropped connections, 429 storms and version
 * conflicts on 10% of writes, while at least 300 employees change. Snapshot pages, GETs and chunks are
 * retried (in place, from their heartbeat, from their recorded rows) until the run completes.
 */
describe('sync workflow: a full run with movers under the fault mix', function () {
  this.timeout(600_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 360, seed: 81 }, scim: { seed: 81 }, configure: (c) => void (c.sync.chunkSize = 50) });
    assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
  });
  after(async () => h?.close());

  it('completes, and every employee converges or is reported with a reason', async () => {
    const movers = h.sims.hr.employees().filter((e) => e.status === 'active' && e.termination_date == null).slice(0, 310);
    for (const [i, e] of movers.entries()) {
      const to = DEPARTMENTS.filter((d) => d !== e.department_code)[i % (DEPARTMENTS.length - 1)];
      if (i % 3 === 0) h.sims.hr.apply({ type: 'transfer', id: e.id, department_code: to });
      else if (i % 3 === 1) h.sims.hr.apply({ type: 'title-change', id: e.id, title: `Moved ${i}` });
      else h.sims.hr.apply({ type: 'promotion', id: e.id, title: `Promoted ${i}`, department_code: to });
    }
    assert.ok(movers.length >= 300);
    h.sims.scim.setFaults({ errorRate: 0.05, dropRate: 0.02, stormRate: 0.01, retryAfterSeconds: 1, conflictRate: 0.1 });
    let summary;
    try {
      summary = await h.sync({ mode: 'full' });
    } finally {
      h.sims.scim.setFaults({ errorRate: 0, dropRate: 0, stormRate: 0, conflictRate: 0 });
    }
    const faults = h.sims.scim.stats().faults;
    assert.ok(faults.errors > 0 && faults.drops > 0 && faults.conflicts > 0 && h.sims.scim.stats().rateLimited > 0, JSON.stringify({ faults, rateLimited: h.sims.scim.stats().rateLimited }));
    assert.ok(summary.outcome === 'succeeded' || summary.outcome === 'completed-with-failures', JSON.stringify(summary));

    const rows = readReport(summary.reportPath);
    const everyone = new Set(h.sims.hr.employees().map((e) => String(e.id)));
    assert.deepEqual(new Set(rows.map((r) => r.hr_id)), everyone, 'a row for every employee');
    const failed = new Set(rows.filter((r) => r.outcome === 'failed' || r.outcome === 'pending-reference').map((r) => r.hr_id));
    for (const r of rows.filter((x) => failed.has(x.hr_id))) assert.ok(r.error.length > 5, `a failed row says why: ${JSON.stringify(r)}`);
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims, { except: failed }).slice(0, 20), [], 'everyone else converged');
    const userNames = h.sims.scim.users().map((u) => u.userName);
    assert.equal(new Set(userNames).size, userNames.length, 'no duplicate accounts');
    assert.equal(rows.filter((r) => r.outcome === 'applied').length >= 300 - failed.size, true, JSON.stringify(summary.outcomes));
  });
});
