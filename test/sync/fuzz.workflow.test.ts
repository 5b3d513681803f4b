import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { RawEmployee } from '../../src/hr/employee';
import { neutralise } from '../../src/report/csv';
import { startHarness, type Harness } from '../support/harness';
import { hostileRecord } from '../support/hostile-records';
import { readReport } from './support';

describe('sync workflow: fuzzed HR records', function () {
  this.timeout(180_000);
  const [company] = fc.sample(fc.tuple(...Array.from({ length: 60 }, (_, i) => hostileRecord(i))), { numRuns: 1, seed: 424242 }) as unknown as RawEmployee[][];
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { company }, env: { HRSYNC_GATE_MAX_PERCENT: '100' } });
  });
  after(async () => h?.close());

  it('never crashes: each record is quarantined or synced safely, and the CSV has no live formula', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.ok(summary.outcome === 'succeeded' || summary.outcome === 'completed-with-failures', JSON.stringify(summary));
    assert.ok(summary.rejectedRecords > 0 && summary.employeesRead > 0, JSON.stringify(summary));

    const text = readFileSync(summary.reportPath, 'utf8');
    for (const line of text.split(/\r\n|\n|\r|\u2028|\u2029/)) assert.doesNotMatch(line, /^[=+\-@]/, `a line starts a formula: ${JSON.stringify(line.slice(0, 80))}`);
    const rows = readReport(summary.reportPath);
    for (const r of rows) for (const [k, v] of Object.entries(r)) assert.doesNotMatch(v, /^[=+\-@\t\r]/, `${k}: ${JSON.stringify(v.slice(0, 80))}`);
    const ids = new Set(rows.map((r) => r.hr_id));
    // Ids as the report shows them: control characters escaped, a formula's start neutralised.
    for (const e of company) assert.ok(ids.has(neutralise(String(e.id))), `${JSON.stringify(e.id)} has a row`);
    for (const r of rows.filter((x) => x.outcome === 'rejected' || x.outcome === 'failed')) assert.ok(r.error.length > 3, JSON.stringify(r));

    for (const u of h.sims.scim.users()) {
      assert.ok(u.externalId && company.some((e) => String(e.id) === u.externalId), `only HR's employees got accounts: ${u.externalId}`);
      for (const v of [u.userName, u.displayName, u.title].filter((x): x is string => typeof x === 'string')) {
        assert.ok(v.length <= 256, `bounded: ${v.length}`);
      }
    }
    const names = h.sims.scim.users().map((u) => u.userName.toLowerCase());
    assert.equal(new Set(names).size, names.length, 'no duplicate accounts');
    const again = await h.sync({ mode: 'full' });
    assert.ok(again.outcome === 'succeeded' || again.outcome === 'completed-with-failures', JSON.stringify(again));
  });
});
