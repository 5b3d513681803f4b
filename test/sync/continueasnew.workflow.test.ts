import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems } from './support';

/**
 * A 100,000-employee run can only finish because the workflow continues as new between pages, carrying
 * cursors and counters. Forcing it every few pages (sync.maxPagesPerRun) runs that path on a small company:
 * every phase (target snapshot, HR pages, users HR no longer has) is cut several times and must pick up
 * exactly where it stopped.
 */
describe('sync workflow: continue-as-new between pages', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 240, seed: 77 }, env: { HR_PAGE_SIZE: '30', HRSYNC_MAX_PAGES_PER_RUN: '6' } });
  });
  after(async () => h?.close());

  async function runsInChain(workflowId: string): Promise<number> {
    let runs = 0;
    for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs += 1;
    return runs;
  }

  it('a full sync cut into many runs converges, and the chain then makes zero writes and finds nothing to change', async () => {
    const first = await h.sync({ mode: 'full' }, { workflowId: 'can-full-1' });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first));
    assert.equal(first.employeesRead, 240, 'every HR page read exactly once in the plan pass, across runs');
    assert.ok((await runsInChain('can-full-1')) >= 4, 'the run continued as new several times');
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 20), []);

    const writes = h.sims.scim.stats().writes;
    const again = await h.sync({ mode: 'full' }, { workflowId: 'can-full-2' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(again.employeesRead, 240);
    assert.equal(h.sims.scim.stats().writes, writes);
    assert.equal(again.planned.create ?? 0, 0);
  });
});

describe('sync workflow: continuing as new after the last page of a step', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    // One page per run: every step's last page is followed by a continue-as-new.
    h = await startHarness({ hr: { employees: 40, seed: 78 }, env: { HR_PAGE_SIZE: '20', HRSYNC_MAX_PAGES_PER_RUN: '1' } });
  });
  after(async () => h?.close());

  it('goes on to the next step instead of reading the finished one again', async () => {
    for (const [i, mode] of (['full', 'delta'] as const).entries()) {
      const summary = await h.sync({ mode, since: mode === 'delta' ? '2000-01-01T00:00:00Z' : undefined }, { workflowId: `can-last-page-${i}` });
      assert.equal(summary.outcome, 'succeeded');
      assert.equal(summary.employeesRead, 40, `${mode}: each HR page read once in the plan pass`);
      let runs = 0;
      for await (const _ of h.client.workflow.list({ query: `WorkflowId = 'can-last-page-${i}'` })) runs += 1;
      assert.ok(runs <= 12, `${mode}: ${runs} runs, no endless chain`);
    }
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 10), []);
  });
});
