import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, countBy, readReport, userByExternalId } from './support';

const problemsOf = (h: Harness, except?: ReadonlySet<string>) => convergenceProblems(h.sims.hr.employees(), h.sims, { except }).slice(0, 20);

describe('sync workflow: version conflicts on 10% of writes', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 150, seed: 21 }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
    const initial = await h.sync({ mode: 'full' });
    assert.equal(initial.outcome, 'succeeded');
  });
  after(async () => h?.close());

  it('settles every conflict through refetch, diff and If-Match, and reports each outcome', async () => {
    const changed = h.sims.hr
      .employees()
      .filter((e) => e.status === 'active' && userByExternalId(h.sims, String(e.id)))
      .slice(0, 100)
      .map((e, i) => String(h.sims.hr.apply({ type: 'title-change', id: e.id, title: `Conflict Title ${i}` }).id));
    h.sims.scim.setFaults({ conflictRate: 0.1 });
    const summary = await h.sync({ mode: 'delta' });
    h.sims.scim.setFaults({ conflictRate: 0 });

    assert.ok(h.sims.scim.stats().faults.conflicts >= 3, `conflicts were injected: ${JSON.stringify(h.sims.scim.stats().faults)}`);
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.equal(summary.outcomes.failed, undefined, JSON.stringify(summary.outcomes));
    assert.equal(summary.outcomes.conflict, undefined, 'no row is left at "conflict": the refetch settled each one');
    assert.deepEqual(problemsOf(h), []);
    const rows = readReport(summary.reportPath);
    assert.deepEqual(rows.map((r) => r.hr_id).sort(), [...changed].sort(), 'one row per employee the delta touched');
    assert.deepEqual(countBy(rows, (r) => r.outcome), { applied: 100 });
    for (const r of rows) {
      assert.equal(r.http_status, '200', `${r.hr_id}: ${JSON.stringify(r)}`);
      assert.equal(r.drift, '', `${r.hr_id}: ${r.drift}`);
    }
  });
});

describe('sync workflow: 429s and 5xx faults', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({
      hr: { employees: 100, seed: 31 },
      // The rate budget is on here only: 100 requests per 2-second window, plus injected 429 storms and 5xx.
      scim: { rateLimitPerMinute: 100, rateLimitWindowSeconds: 2, faults: { stormRate: 0.03, errorRate: 0.03, retryAfterSeconds: 1 } },
    });
  });
  after(async () => h?.close());

  it('waits out every 429, retries every 5xx, and converges or reports every employee', async () => {
    const summary = await h.sync({ mode: 'full' });
    const stats = h.sims.scim.stats();
    assert.ok(stats.rateLimited > 0, `429s were answered: ${JSON.stringify(stats.faults)}`);
    assert.ok(stats.faults.errors > 0, `5xx were injected: ${JSON.stringify(stats.faults)}`);
    const rows = readReport(summary.reportPath);
    assert.equal(rows.length, 100, 'every employee has a row: none silently dropped');
    const failed = new Set(rows.filter((r) => r.outcome === 'failed').map((r) => r.hr_id));
    for (const r of rows.filter((x) => x.outcome === 'failed')) assert.ok(r.error, `a failed row says why: ${JSON.stringify(r)}`);
    assert.deepEqual(problemsOf(h, failed), []);
    // Transient faults are retried until they pass: nobody should be left failed.
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.outcomes));
    assert.equal(failed.size, 0);

    h.sims.scim.setFaults({ stormRate: 0, errorRate: 0 });
    const writes = h.sims.scim.stats().writes;
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(h.sims.scim.stats().writes, writes, 'the faulty run left nothing half-written');
  });
});

describe('sync workflow: malformed HR records', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 150, seed: 41, faults: { malformedRecordRate: 0.05 } } });
  });
  after(async () => h?.close());

  it('quarantines bad records in the report, with the reason, while the rest sync', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    const rows = readReport(summary.reportPath);
    const quarantined = rows.filter((r) => r.action === 'quarantine');
    assert.ok(quarantined.length >= 3, `some records were served broken: ${quarantined.length}`);
    for (const r of quarantined) {
      assert.equal(r.outcome, 'rejected');
      assert.match(r.hr_id, /^\d+$/);
      assert.ok(r.error.length > 5, `the reason is given: ${JSON.stringify(r)}`);
    }
    assert.ok(summary.rejectedRecords > 0);
    assert.equal(summary.outcomes.rejected, quarantined.length);
    const rejected = new Set(quarantined.map((r) => r.hr_id));
    assert.deepEqual(problemsOf(h, rejected), [], 'everyone else synced');
    const everyone = new Set(rows.map((r) => r.hr_id));
    for (const e of h.sims.hr.employees()) assert.ok(everyone.has(String(e.id)), `${e.id} has a row`);
    assert.equal(rows.length, everyone.size, `one row per employee: ${JSON.stringify(rows.filter((r) => rows.filter((x) => x.hr_id === r.hr_id).length > 1))}`);

    h.sims.hr.setFaults({ malformedRecordRate: 0 });
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(again.rejectedRecords, 0);
    assert.deepEqual(problemsOf(h), [], 'once HR serves them intact, they sync too');
  });
});
