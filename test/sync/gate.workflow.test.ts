import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { RawEmployee } from '../../src/hr/employee';
import { SA } from '../../src/temporal/searchattributes';
import { approveUpdate, pendingApprovalQuery, progressQuery, rejectUpdate, type PendingApproval } from '../../src/workflows/sync';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, eventually, readReport, userByExternalId } from './support';

/** Active employees with an account who manage nobody, sorted, so each test takes its own slice. */
function leaversToBe(h: Harness, from: number, count: number): RawEmployee[] {
  const all = h.sims.hr.employees();
  const managers = new Set(all.map((e) => String(e.manager_employee_id)));
  return all
    .filter((e) => e.status === 'active' && !managers.has(String(e.id)) && userByExternalId(h.sims, String(e.id))?.active)
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1))
    .slice(from, from + count);
}

const atGate = (handle: WorkflowHandle): Promise<PendingApproval> =>
  eventually(() => handle.query(pendingApprovalQuery), `${handle.workflowId} to wait at the deactivation gate`);

async function awaitingApproval(handle: WorkflowHandle): Promise<boolean | undefined> {
  return (await handle.describe()).typedSearchAttributes.get(SA.awaitingApproval);
}

describe('sync workflow: the deactivation gate', function () {
  this.timeout(300_000);

  describe('approve and reject', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 200, seed: 51 } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    });
    after(async () => h?.close());

    it('holds a full run with more leavers than 5% of the users at the gate, writing nothing until approved', async () => {
      const leavers = leaversToBe(h, 0, 15);
      for (const e of leavers) h.sims.hr.apply({ type: 'terminate', id: e.id });
      const writes = h.sims.scim.stats().writes;

      const handle = await h.start({ mode: 'full' });
      const pending = await atGate(handle);
      assert.match(pending.reason, /^15 of \d+ active users .* exceeds the limit of 5%$/);
      assert.equal(pending.planned.deactivate, 15);
      assert.deepEqual(pending.deactivations.map((d) => d.hrId).sort(), leavers.map((e) => String(e.id)).sort());
      assert.equal((await handle.query(progressQuery)).awaitingApproval, true);
      assert.equal(await eventually(() => awaitingApproval(handle), 'the search attribute'), true);
      assert.equal(h.sims.scim.stats().writes, writes, 'nothing is written before approval');

      assert.equal(await handle.executeUpdate(approveUpdate, { args: [{ by: 'test', reason: 'planned reorganisation' }] }), 'approved');
      const summary = await handle.result();
      assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
      assert.deepEqual(summary.gate, { required: true, reason: pending.reason, decision: 'approved', by: 'test', note: 'planned reorganisation' });
      assert.equal(summary.outcomes.applied, 15);
      for (const e of leavers) assert.equal(userByExternalId(h.sims, String(e.id))?.active, false);
      assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 20), []);
      assert.equal(await awaitingApproval(handle), false);
      assert.equal(await handle.query(pendingApprovalQuery), null);
    });

    it('writes nothing when rejected, and the run ends rejected; a dry run first says it would stop, without waiting', async () => {
      const leavers = leaversToBe(h, 0, 15);
      for (const e of leavers) h.sims.hr.apply({ type: 'terminate', id: e.id });
      const writes = h.sims.scim.stats().writes;

      const dry = await h.sync({ mode: 'full', dryRun: true });
      assert.equal(dry.outcome, 'dry-run');
      assert.equal(dry.gate?.required, true);
      assert.match(dry.gate?.reason ?? '', /^15 of \d+ active users/);
      assert.equal(dry.gate?.decision, undefined);

      const handle = await h.start({ mode: 'full' });
      await atGate(handle);
      assert.equal(await handle.executeUpdate(rejectUpdate, { args: [{ by: 'test', reason: 'looks like a broken export' }] }), 'rejected');
      const summary = await handle.result();
      assert.equal(summary.outcome, 'rejected');
      assert.equal(summary.gate?.decision, 'rejected');
      assert.equal(summary.gate?.by, 'test');
      assert.equal(summary.gate?.note, 'looks like a broken export');
      assert.equal(summary.watermark, null, 'a rejected run never advances the watermark');
      assert.equal(h.sims.scim.stats().writes, writes, 'a rejected run writes nothing');
      for (const e of leavers) assert.equal(userByExternalId(h.sims, String(e.id))?.active, true);
      const rows = readReport(summary.reportPath).filter((r) => r.action === 'deactivate');
      assert.equal(rows.length, 15);
      for (const r of rows) assert.equal(r.outcome, 'planned');
      assert.equal(await awaitingApproval(handle), false);
    });
  });

  describe('HR changing after approval', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 200, seed: 53 } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    });
    after(async () => h?.close());

    it('stops an approved run that meets far more leavers than the plan, before writing them, and still reports', async () => {
      const approved = leaversToBe(h, 0, 15);
      for (const e of approved) h.sims.hr.apply({ type: 'terminate', id: e.id });
      const handle = await h.start({ mode: 'full' });
      await atGate(handle);
      // A broken export after the approval was asked for: 40 more people "leave".
      const surprise = leaversToBe(h, 15, 40);
      for (const e of surprise) h.sims.hr.apply({ type: 'terminate', id: e.id });
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });

      await assert.rejects(handle.result(), (err: Error & { cause?: Error & { cause?: Error } }) => {
        assert.match(err.cause?.message ?? '', /HR changed between planning and applying: \d+ deactivations met, 15 planned; stopped before writing more/);
        assert.match(err.cause?.message ?? '', /report of what was done: .*\.csv/);
        return true;
      });
      const deactivated = h.sims.scim.users().filter((u) => u.active === false).length;
      assert.ok(deactivated <= 15 + 25, `no more than the plan plus the gate's count were written (${deactivated})`);
      const described = await handle.describe();
      assert.equal(described.typedSearchAttributes.get(SA.outcome), 'failed');
      const reportPath = /report of what was done: (.*\.csv)/.exec(
        ((await handle.result().catch((e: Error & { cause?: Error }) => e)) as Error & { cause?: Error }).cause?.message ?? '',
      )?.[1];
      assert.ok(reportPath);
      const rows = readReport(reportPath);
      assert.equal(rows.filter((r) => r.action === 'deactivate' && r.outcome === 'applied').length, deactivated);
    });
  });

  describe('HR changing between the passes of a run the gate let through', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 200, seed: 54 } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    });
    after(async () => h?.close());

    it('stops before writing deactivations past the gate that nobody approved', async () => {
      // Slow HR down so the apply pass can be caught before it has read its pages.
      h.sims.hr.setFaults({ delayMs: 1500 });
      const handle = await h.start({ mode: 'full' });
      await eventually(async () => ((await handle.query(progressQuery)).pass === 'apply' ? true : undefined), 'the apply pass');
      // 20 of about 195 (10%): past the 5% limit, yet within "the plan plus 25" an approval would allow.
      const leavers = leaversToBe(h, 0, 20);
      for (const e of leavers) h.sims.hr.apply({ type: 'terminate', id: e.id });

      await assert.rejects(handle.result(), (err: Error & { cause?: Error }) => {
        assert.match(err.cause?.message ?? '', /HR changed between planning and applying: \d+ deactivations met, 0 planned/);
        return true;
      });
      h.sims.hr.setFaults({ delayMs: 0 });
      const deactivated = leavers.filter((e) => userByExternalId(h.sims, String(e.id))?.active === false).length;
      assert.ok(deactivated <= 9, `at most the gate's own 5% were written without approval (${deactivated})`);
    });
  });

  describe('approval timeout', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 100, seed: 52 }, env: { HRSYNC_APPROVAL_TIMEOUT_SECONDS: '2' } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    });
    after(async () => h?.close());

    it('rejects a run nobody answers, writing nothing', async () => {
      const leavers = leaversToBe(h, 0, 10);
      for (const e of leavers) h.sims.hr.apply({ type: 'terminate', id: e.id });
      const writes = h.sims.scim.stats().writes;
      const summary = await h.sync({ mode: 'full' });
      assert.equal(summary.outcome, 'rejected');
      assert.equal(summary.gate?.required, true);
      assert.equal(summary.gate?.decision, 'timed-out');
      assert.equal(h.sims.scim.stats().writes, writes);
      for (const e of leavers) assert.equal(userByExternalId(h.sims, String(e.id))?.active, true);
    });
  });

  describe('an empty HR answer in a full run', () => {
    let h: Harness;
    const users = Array.from({ length: 30 }, (_, i) => ({
      userName: `kept.${i}@corp.example`,
      displayName: `Kept ${i}`,
      externalId: String(2_000_000 + i),
      active: true,
    }));
    before(async () => {
      h = await startHarness({ hr: { company: [] }, scim: { users } });
    });
    after(async () => h?.close());

    it('stops at the gate instead of deactivating everyone', async () => {
      const handle = await h.start({ mode: 'full' });
      const pending = await atGate(handle);
      assert.equal(pending.reason, 'HR returned no employees in a full run against 30 active users');
      assert.equal(pending.planned.deactivate, 30);
      assert.equal(h.sims.scim.stats().writes, 0);
      await handle.executeUpdate(rejectUpdate, { args: [{ by: 'test' }] });
      const summary = await handle.result();
      assert.equal(summary.outcome, 'rejected');
      assert.equal(h.sims.scim.stats().writes, 0);
      assert.ok(h.sims.scim.users().every((u) => u.active !== false));
    });
  });
});
