import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { RawEmployee } from '../../src/hr/employee';
import { URN } from '../../src/scim/model/schemas/urns';
import type { SyncMode } from '../../src/workflows/contracts';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, daysFromToday, eventually, groupsByUser, readReport, userByExternalId } from './support';

/**
 * Joiners who manage other joiners are created before any HR page of the apply pass (managers first), from
 * the plan pass's record. HR changes them while the run waits at the gate: their HR page, read again by the
 * apply pass, has the last word, on their groups, their manager and their status alike.
 */
for (const mode of ['full', 'delta'] as const satisfies readonly SyncMode[]) {
  describe(`sync workflow (${mode}): joiners created first whom HR changes between the passes`, function () {
    this.timeout(180_000);
    let h: Harness;
    before(async () => {
      // Any deactivation waits at the gate: the run is held there while HR changes.
      h = await startHarness({ hr: { employees: 30, seed: 61 }, env: { HRSYNC_GATE_MAX_PERCENT: '0' } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
    });
    after(async () => h?.close());

    it('leaves each as HR says at the apply pass: in one group, under the new manager, or deactivated in none', async () => {
      const all = h.sims.hr.employees();
      const managers = new Set(all.map((e) => String(e.manager_employee_id)));
      const active = all.filter((e) => e.status === 'active' && e.termination_date == null && userByExternalId(h.sims, String(e.id))?.active);
      const [leaver] = active.filter((e) => !managers.has(String(e.id)));
      const [boss, other] = active.filter((e) => managers.has(String(e.id)));
      const hire = (employee: Partial<RawEmployee>, startDate?: string): RawEmployee =>
        h.sims.hr.apply({ type: 'hire', employee: employee as Record<string, unknown>, ...(startDate ? { startDate } : {}) });

      // A mover: Finance when planned, Legal when applied.
      const mover = hire({ department_code: 'FIN', manager_employee_id: String(boss.id) });
      hire({ department_code: 'FIN', manager_employee_id: String(mover.id) });
      // Planned under someone who has no account yet (starts next month): the reference waits for the end of the run.
      const future = hire({ department_code: 'ENG', manager_employee_id: String(boss.id) }, daysFromToday(30));
      const transferred = hire({ department_code: 'ENG', manager_employee_id: String(future.id) });
      hire({ department_code: 'ENG', manager_employee_id: String(transferred.id) });
      // Leaves before the apply pass.
      const gone = hire({ department_code: 'SALES', manager_employee_id: String(boss.id) });
      hire({ department_code: 'SALES', manager_employee_id: String(gone.id) });
      h.sims.hr.apply({ type: 'terminate', id: String(leaver.id) });

      const handle: WorkflowHandle = await h.start({ mode });
      await eventually(() => handle.query(pendingApprovalQuery), 'the run to wait at the gate');
      h.sims.hr.apply({ type: 'transfer', id: String(mover.id), department_code: 'LEGAL' });
      h.sims.hr.apply({ type: 'manager-change', id: String(transferred.id), manager_employee_id: String(other.id) });
      h.sims.hr.apply({ type: 'terminate', id: String(gone.id) });
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
      const summary = await handle.result();

      const groups = groupsByUser(h.sims);
      const moverUser = userByExternalId(h.sims, String(mover.id));
      assert.deepEqual(groups.get(moverUser?.id as string), ['Legal Team'], 'moved after it was planned: in the group HR names last only');
      assert.equal(moverUser?.[URN.enterpriseUser]?.department, 'Legal');

      const transferredUser = userByExternalId(h.sims, String(transferred.id));
      const otherUser = userByExternalId(h.sims, String(other.id));
      assert.equal(transferredUser?.[URN.enterpriseUser]?.manager?.value, otherUser?.id, 'under the manager HR names last');

      const goneUser = userByExternalId(h.sims, String(gone.id));
      assert.equal(goneUser?.active, false, 'left before the apply pass');
      assert.equal(groups.get(goneUser?.id as string), undefined, 'a leaver is put in no group');

      assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.outcomes));
      const rows = readReport(summary.reportPath);
      const of = (e: RawEmployee) => rows.filter((r) => r.hr_id === String(e.id));
      for (const e of [mover, transferred, gone]) {
        assert.deepEqual(
          of(e).filter((r) => r.outcome !== 'applied'),
          [],
          `${e.id}: every row applied: ${JSON.stringify(of(e))}`,
        );
      }
      const fields = (e: RawEmployee) => of(e).flatMap((r) => r.changed_fields.split(' '));
      assert.ok(['department', 'groups'].every((f) => fields(mover).includes(f)), JSON.stringify(of(mover)));
      assert.ok(fields(transferred).includes('manager'), JSON.stringify(of(transferred)));
      assert.deepEqual(of(gone).map((r) => [r.action, r.changed_fields]), [['deactivate', 'active']], 'no row puts the leaver in a group');
      assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims), []);
    });
  });
}
