import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { targetName } from '../../src/config';
import { reportFile } from '../../src/activities/report';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { startHarness, type Harness } from '../support/harness';
import { eventually } from './support';

describe("sync workflow: closed runs' working folders", function () {
  this.timeout(240_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 8, seed: 73 }, configure: (c) => void (c.sync.gate.maxCount = 0) });
  });
  after(async () => h?.close());

  const folder = (workflowId: string) => path.join(h.config.reportDir, '.runs', workflowId);

  it('a failed run keeps its folder for the kept days; the next run then removes it, and never an open run\'s', async () => {
    // A run that fails at its report: its folder stays, for a reset.
    const failedId = `hrsync-${targetName(h.config)}-failed-run`;
    const blocked = reportFile(h.config.reportDir, failedId);
    mkdirSync(blocked, { recursive: true });
    await (await h.start({ mode: 'full' }, { workflowId: failedId })).result().catch(() => undefined);
    rmSync(blocked, { recursive: true });
    assert.ok(existsSync(folder(failedId)));

    // A run waiting at the gate: open, and its folder is its plan.
    const leaver = h.sims.hr.employees().find((e) => e.status === 'active' && !h.sims.hr.employees().some((m) => String(m.manager_employee_id) === String(e.id)));
    assert.ok(leaver);
    h.sims.hr.apply({ type: 'terminate', id: leaver.id });
    const waiting = await h.start({ mode: 'full' }, { workflowId: `hrsync-${targetName(h.config)}-waiting` });
    await eventually(() => waiting.query(pendingApprovalQuery), 'the run to wait at the gate');

    // Within the kept days, a later run leaves the failed run's folder alone.
    assert.equal(h.config.sync.keepFailedRunsDays, 7);
    assert.equal((await h.sync({ mode: 'full', dryRun: true })).outcome, 'dry-run');
    assert.ok(existsSync(folder(failedId)), 'kept: a reset may still use it');

    // Past them (0 days here), the next run removes it, and leaves the open run's.
    h.config.sync.keepFailedRunsDays = 0;
    assert.equal((await h.sync({ mode: 'full', dryRun: true })).outcome, 'dry-run');
    assert.ok(!existsSync(folder(failedId)), 'removed: the run is closed and past the kept days');
    assert.ok(existsSync(folder(waiting.workflowId)), 'kept: the run is open');

    // The open run's state was all there: approved, it writes and ends well (and removes its own folder).
    await waiting.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
    const done = (await waiting.result()) as { outcome: string; outcomes: Record<string, number> };
    assert.equal(done.outcome, 'succeeded');
    assert.ok((done.outcomes.applied ?? 0) >= 1, JSON.stringify(done.outcomes));
    assert.ok(!existsSync(folder(waiting.workflowId)));
  });
});
