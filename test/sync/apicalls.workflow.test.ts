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

  it('creates everyone and sets every manager reference without a lookup or a GET', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.deepEqual(problemsOf(h), []);
    assert.equal(readReport(summary.reportPath).length, 300);

    const routes = h.sims.scim.stats().byRoute;
    const posts = routes['POST /users 201'] ?? 0;
    const references = routes['PATCH /users/:id 200'] ?? 0;
    assert.equal(posts, summary.outcomes.applied, JSON.stringify(routes));
    assert.ok(references > 50, `many reports name a manager on a later HR page: ${JSON.stringify(routes)}`);
    assert.equal(routes['GET /users/:id 200'] ?? 0, 0, `a reference is written with the version its user was created with: ${JSON.stringify(routes)}`);
    // The population count for the gate, then the snapshot (active, then inactive), read once for both passes; no lookup.
    assert.equal(routes['GET /users 200'], 3, `no user is looked up, and the target is read once: ${JSON.stringify(routes)}`);
    assert.ok(summary.apiCalls <= 500, `at most 500 API calls (972 before): ${summary.apiCalls} ${JSON.stringify(routes)}`);
  });
});

describe('sync workflow: manager references whose user changed since the run wrote it', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    // On an initial sync, the only writes carrying If-Match are the manager references: the injected edits
    // land on them. (A higher rate would exhaust sync.conflictRetries on some, before and after this change.)
    h = await startHarness({ hr: { employees: 150, seed: 13 }, scim: { faults: { conflictRate: 0.15 } } });
  });
  after(async () => h?.close());

  it('reads the user again on a version conflict and sets the reference with the fresh version', async () => {
    const summary = await h.sync({ mode: 'full' });
    const stats = h.sims.scim.stats();
    assert.ok(stats.faults.conflicts >= 3, `edits were injected: ${JSON.stringify(stats.faults)}`);
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.equal(summary.outcomes['pending-reference'] ?? 0, 0);
    assert.deepEqual(problemsOf(h), []);
    // One GET per conflict, and none where the recorded version still held.
    assert.equal(stats.byRoute['GET /users/:id 200'], stats.faults.conflicts, JSON.stringify(stats.byRoute));
  });
});
