import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, readReport } from './support';

const problemsOf = (h: Harness) => convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 20);

/**
 * The rate budget (300 requests a minute on Genesys) makes API calls the cost of a sync. Counts are
 * deterministic for a seed with the rate limit off. On this company (300 employees, 3 HR pages), the code
 * before the run store recorded the users it wrote spent 972 calls: 397 lookups by externalId (each
 * pending manager at write time and again at the end, two calls on a miss) and a GET per manager reference.
 */
describe('sync workflow: API calls of an initial full sync', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 300, seed: 13 } });
  });
  after(async () => h?.close());

  it('creates everyone, managers first, each report naming its manager in its POST: no lookup, no GET, no reference left for the end', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.deepEqual(problemsOf(h), []);
    assert.equal(readReport(summary.reportPath).length, 300);

    const routes = h.sims.scim.stats().byRoute;
    const posts = routes['POST /users 201'] ?? 0;
    assert.equal(posts, summary.outcomes.applied, JSON.stringify(routes));
    assert.equal(routes['PATCH /users/:id 200'] ?? 0, 0, `no manager reference waits for the end of the run: ${JSON.stringify(routes)}`);
    assert.equal(routes['GET /users/:id 200'] ?? 0, 0, `no user is read back: ${JSON.stringify(routes)}`);
    // The population count for the gate, then the snapshot (active, then inactive), read once for both passes; no lookup.
    assert.equal(routes['GET /users 200'], 3, `no user is looked up, and the target is read once: ${JSON.stringify(routes)}`);
    // Memberships go per group, once every user is written: a PATCH per group per 100 members.
    assert.ok((routes['PATCH /groups/:id 200'] ?? 0) <= 12, JSON.stringify(routes));
    assert.ok(summary.apiCalls <= posts + 30, `a POST per employee and a few reads (972 calls before the run store, 500 before managers first): ${summary.apiCalls} ${JSON.stringify(routes)}`);
  });
});

describe('sync workflow: users changed between the plan pass and the apply pass', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 150, seed: 13 } });
  });
  after(async () => h?.close());

  it('writes with If-Match on the version the plan pass read; a user edited since is read again and written with the fresh version', async () => {
    assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    const movers = h.sims.hr.employees().filter((e) => e.status === 'active').slice(0, 60);
    for (const e of movers) h.sims.hr.apply({ type: 'title-change', id: String(e.id), title: `Moved ${e.id}` });
    // Every If-Match write may meet an edit made since the version was read: what the target read once per run risks.
    h.sims.scim.setFaults({ conflictRate: 0.15 });
    const before = h.sims.scim.stats();
    const summary = await h.sync({ mode: 'full' });
    const stats = h.sims.scim.stats();
    h.sims.scim.setFaults({ conflictRate: 0 });
    const conflicts = stats.faults.conflicts - before.faults.conflicts;
    assert.ok(conflicts >= 3, `edits were injected: ${JSON.stringify(stats.faults)}`);
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.deepEqual(problemsOf(h), []);
    // The target is read once (the snapshot), and a user again only where its version moved.
    const gets = (stats.byRoute['GET /users/:id 200'] ?? 0) - (before.byRoute['GET /users/:id 200'] ?? 0);
    assert.equal(gets, conflicts, JSON.stringify(stats.byRoute));
  });
});
