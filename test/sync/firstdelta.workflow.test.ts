import assert from 'node:assert/strict';
import { SA } from '../../src/temporal/searchattributes';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems } from './support';

describe('sync workflow: a target with no watermark yet', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 40, seed: 91 } });
  });
  after(async () => h?.close());

  it('runs its first delta as a full sync (one read of the target, not a lookup per employee), then deltas', async () => {
    const handle = await h.start({ mode: 'delta' });
    const first = await handle.result();
    assert.equal(first.mode, 'full');
    assert.equal(first.outcome, 'succeeded');
    assert.equal((await handle.describe()).typedSearchAttributes.get(SA.mode), 'full');
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 10), []);
    assert.equal(h.sims.scim.stats().byRoute['GET /users/:id 200'] ?? 0, 0);

    const writes = h.sims.scim.stats().writes;
    const next = await h.sync({ mode: 'delta' });
    assert.equal(next.mode, 'delta', 'with a watermark, a delta stays a delta');
    assert.ok(next.employeesRead < 40, `reads only what changed near the watermark (${next.employeesRead})`);
    assert.equal(h.sims.scim.stats().writes, writes);
  });
});
