import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { convergenceProblems, eventually, readReport, userByExternalId } from './support';

describe('sync workflow: initial full sync on a real dev server against the simulators', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 500, seed: 7 } });
  });
  after(async () => h?.close());

  it('creates every account, then a second run with no HR change makes zero writes', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    const problems = convergenceProblems(h.sims.hr.employees(), h.sims);
    assert.deepEqual(problems.slice(0, 20), []);
    assert.ok(summary.outcomes.applied && summary.outcomes.applied > 400, JSON.stringify(summary.outcomes));
    assert.ok(h.sims.scim.users().length > 400);
    const rows = readReport(summary.reportPath);
    assert.deepEqual(Object.keys(rows[0]), ['hr_id', 'user_id', 'user_name', 'action', 'outcome', 'http_status', 'changed_fields', 'drift', 'error', 'warning_codes']);
    assert.equal(rows.length, 500, 'one report row per employee in a full run');
    assert.deepEqual(rows.filter((r) => r.error.includes('has no user in the target yet') || r.warning_codes.includes('manager-pending')), [], 'settled manager references leave no stale note');

    const writesBefore = h.sims.scim.stats().writes;
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(h.sims.scim.stats().writes, writesBefore, 'a run with nothing to change must not write');
    assert.equal(again.drift, 0);
  });
});

describe('sync workflow: a full run reconciles hand-made drift and users HR no longer has', function () {
  this.timeout(120_000);
  let h: Harness;
  // Accounts hrsync once made (they carry an HR externalId) for people HR no longer has.
  const gone = ['2000001', '2000002', '2000003'].map((id) => ({ userName: `gone.${id}@corp.example`, displayName: `Gone ${id}`, externalId: id, active: true }));
  before(async () => {
    h = await startHarness({ hr: { employees: 150, seed: 9 }, scim: { users: gone } });
  });
  after(async () => h?.close());

  it('deactivates users HR no longer has and puts back attributes edited by hand', async () => {
    // Before this run the target's only active users are those three: deactivating them all needs a person's word.
    const handle = await h.start({ mode: 'full' });
    const pending = await eventually(() => handle.query(pendingApprovalQuery), 'the gate');
    assert.match(pending.reason, /3 of 3 active users .*deactivates everyone/);
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
    const first = await handle.result();
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first));
    for (const u of gone) assert.equal(userByExternalId(h.sims, u.externalId)?.active, false, `${u.externalId} is deactivated`);
    const rows = new Map(readReport(first.reportPath).map((r) => [r.hr_id, r]));
    assert.equal(rows.size, 153, 'every employee and every user HR no longer has');
    assert.equal(rows.get('2000001')?.action, 'deactivate');
    assert.equal(rows.get('2000001')?.outcome, 'applied');
    assert.match(rows.get('2000001')?.error ?? '', /HR no longer has/);
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 20), []);

    const [edited] = h.sims.scim.users().filter((u) => u.active && u.externalId && !u.externalId.startsWith('2000'));
    const title = edited.title;
    h.sims.scim.touchUser(edited.id, { title: 'Edited by hand' });
    const writes = h.sims.scim.stats().writes;
    const second = await h.sync({ mode: 'full' });
    assert.equal(second.outcome, 'succeeded');
    assert.equal(h.sims.scim.stats().writes, writes + 1, 'one write: the drifted user only (the leavers stay as they are)');
    assert.equal(h.sims.scim.users().find((u) => u.id === edited.id)?.title, title);
    assert.equal(second.drift, 0);
  });
});
