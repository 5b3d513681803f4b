import assert from 'node:assert/strict';
import { generateCompany } from '../../sim/hr';
import { startHarness, type Harness } from '../support/harness';
import { readReport } from './support';

describe('sync workflow: an HR record dated in the future', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 12, seed: 23, now: new Date() });
  const future = company.find((e) => e.status === 'active' && e.termination_date == null)!;
  future.updated_at = '9999-12-31T00:00:00.000Z';
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { company }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
  });
  after(async () => h?.close());

  it('is quarantined with the reason and never becomes the watermark', async () => {
    const first = await h.sync({ mode: 'full' });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first));
    assert.ok(first.watermark && Date.parse(first.watermark) <= Date.now(), `watermark ${first.watermark}`);
    const row = readReport(first.reportPath).find((r) => r.hr_id === String(future.id));
    assert.equal(row?.action, 'quarantine', JSON.stringify(row));
    assert.match(row?.error ?? '', /updated_at: 9999-12-31.* is in the future/);

    // The simulator dates its own changes after its latest record, so a delta here reads that record again, and only it.
    const delta = await h.sync({ mode: 'delta' });
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.equal(delta.watermark, first.watermark, 'still not moved by the future record');
  });
});
