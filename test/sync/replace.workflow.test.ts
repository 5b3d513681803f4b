import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../sim/scim/stats';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { lifecycleBatch } from '../../sim/hr/batch';
import type { ScimStrictness } from '../../sim/scim/options';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, eventually, groupsByUser, today, userByExternalId } from './support';
import { convergesOnDefaults, plainReports, simTarget, strictHarnesses } from './targets';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const byMethod = (log: readonly RequestLogEntry[], method: string, status?: (s: number) => boolean) =>
  log.filter((r) => r.method === method && (r.route === '/users/:id' || r.route === '/groups/:id') && (!status || (typeof r.status === 'number' && status(r.status))));
const ok = (s: number) => s >= 200 && s < 300;

/**
 * A target without PATCH (RFC 7644 §3.5.2 makes it optional), declared in ServiceProviderConfig or only answered
 * (501, 405): a full run and a delta of joiners, movers, leavers, a rehire and group moves converge on what HR
 * says, as on a target with PATCH, through replaces (PUT); a second run writes nothing.
 */
describe('sync workflow: a target without PATCH', function () {
  this.timeout(300_000);

  describe('generic SCIM 2.0 target (with /Bulk)', () => {
    const start = strictHarnesses('scim2', 95);

    it('declared unsupported: PUT from the start, no PATCH ever sent, said once', async () => {
      const h = await start({ patch: 'declared-unsupported' });
      h.sims.scim.resetStats();
      const r = await convergesOnDefaults({ h, target: simTarget(h), profile: 'scim2' });
      assert.equal(byMethod(r.deltaLog, 'PATCH').length, 0, 'the delta sent a PATCH');
      assert.ok(byMethod(r.deltaLog, 'PUT', ok).some((x) => x.route === '/users/:id'), 'the delta replaced no user');
      assert.ok(byMethod(r.deltaLog, 'PUT', ok).some((x) => x.route === '/groups/:id'), 'the delta replaced no group');
      for (const run of [r.full, r.delta]) {
        assert.deepEqual(run.notices?.filter((n) => /does not support PATCH/.test(n)).length, 1, JSON.stringify(run.notices));
      }
    });

    it('undeclared, PATCH answered 501: learned in each run, that write redone as PUT, the rest PUT, said once', async () => {
      const h = await start({ patch: 'undeclared-501' });
      const r = await convergesOnDefaults({ h, target: simTarget(h), profile: 'scim2' });
      assert.ok(byMethod(r.deltaLog, 'PUT', ok).some((x) => x.route === '/users/:id'), 'the delta replaced no user');
      assert.equal(byMethod(r.deltaLog, 'PATCH', ok).length, 0);
      for (const run of [r.full, r.delta]) {
        assert.deepEqual(run.notices?.filter((n) => /answered PATCH with 501 \(not implemented\)/.test(n)).length, 1, JSON.stringify(run.notices));
        assert.equal(run.outcomes.failed ?? 0, 0, JSON.stringify(run.outcomes));
      }
    });

    it('version conflicts on the PUTs meet the per-user refetch, and the delta converges', async () => {
      const h = await start({ patch: 'declared-unsupported' });
      const full = await h.sync({ mode: 'full' });
      assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
      const changed = plainReports(h).slice(0, 20);
      for (const [i, e] of changed.entries()) h.sims.hr.apply({ type: 'title-change', id: e.id, title: `Replace Conflict ${i}` });
      const before = h.sims.scim.stats().faults.conflicts;
      h.sims.scim.setFaults({ conflictRate: 0.2 });
      const delta = await h.sync({ mode: 'delta' });
      h.sims.scim.setFaults({ conflictRate: 0 });
      assert.ok(h.sims.scim.stats().faults.conflicts > before, 'conflicts were injected');
      assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
      assert.deepEqual(delta.outcomes, { applied: 20 });
      assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims, { profile: 'scim2' }).slice(0, 20), []);
    });

    it('an edit made on the target between the plan and the PUT is not overwritten: the user is read again and re-diffed', async () => {
      const h = await start({ patch: 'declared-unsupported' });
      const full = await h.sync({ mode: 'full' });
      assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
      const [e, ...others] = plainReports(h);
      const id = userByExternalId(h.sims, String(e.id))?.id as string;
      h.sims.hr.apply({ type: 'title-change', id: e.id, title: 'Replaced Title' });
      // Leavers enough to hold the run at the deactivation gate: the plan has read the user, nothing is written yet.
      for (const l of others.slice(0, 5)) h.sims.hr.apply({ type: 'terminate', id: l.id });
      const handle = await h.start({ mode: 'full' });
      await eventually(() => handle.query(pendingApprovalQuery), 'the run to wait at the deactivation gate');
      h.sims.scim.touchUser(id, { nickName: 'Set By An Admin', title: 'Admin Title' });
      h.sims.scim.resetStats();
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test', reason: 'replace conflict' }] });
      const summary = await handle.result();
      assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
      const u = userByExternalId(h.sims, String(e.id));
      assert.equal(u?.title, 'Replaced Title', 'HR wins the attribute it owns');
      assert.equal(u?.nickName, 'Set By An Admin', "the admin's edit was overwritten");
      const mine = h.sims.scim.requests(2000).filter((r) => r.path.split('?')[0].endsWith(`/${id}`));
      // The replace found the user changed since the plan (a conflict, no PUT), and the refetch wrote it.
      assert.deepEqual(mine.map((r) => `${r.method} ${r.status}`), ['GET 200', 'GET 200', 'PUT 200']);
    });
  });

  describe('the same company and day of changes on a target with PATCH and on ones without', () => {
    /** What a target ends at, in HR's terms: ids, versions and meta left out, references named by externalId. */
    function endState(h: Harness): unknown[] {
      const users = h.sims.scim.users();
      const hrIdOf = new Map(users.map((u) => [u.id, u.externalId ?? u.userName]));
      const groupsOf = groupsByUser(h.sims);
      return users
        .map((u) => {
          const { id, meta: _m, groups: _g, [ENT]: ent, ...rest } = u as Record<string, unknown> & { id: string; [ENT]?: { manager?: { value?: string } } };
          const manager = ent?.manager?.value;
          return { ...rest, [ENT]: { ...ent, ...(manager ? { manager: hrIdOf.get(manager) } : {}) }, groups: (groupsOf.get(id) ?? []).sort() };
        })
        .sort((a, b) => (String((a as { externalId?: string }).externalId) < String((b as { externalId?: string }).externalId) ? -1 : 1));
    }

    async function dayOn(patch: ScimStrictness['patch']): Promise<unknown[]> {
      const h = await startHarness({ scim: { mode: 'scim2', strict: { patch } }, hr: { employees: 50, seed: 97 }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
      try {
        assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
        for (const event of lifecycleBatch(h.sims.hr.employees(), today())) h.sims.hr.apply(event);
        const delta = await h.sync({ mode: 'delta' });
        assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
        assert.ok((delta.outcomes.applied ?? 0) > 0);
        return endState(h);
      } finally {
        await h.close();
      }
    }

    it('declared unsupported and undeclared 501 end where PATCH ends', async () => {
      const patched = await dayOn('supported');
      assert.ok(patched.length > 40);
      assert.deepEqual(await dayOn('declared-unsupported'), patched);
      assert.deepEqual(await dayOn('undeclared-501'), patched);
    });
  });

  describe('Genesys-like target (no /Bulk)', () => {
    const start = strictHarnesses('genesys', 96);

    it('undeclared, PATCH answered 405: learned, redone as PUT, converges, said once', async () => {
      const h = await start({ patch: 'undeclared-405' });
      let mover = '';
      const r = await convergesOnDefaults({
        h,
        target: simTarget(h),
        profile: 'genesys',
        extraChanges: (x) => {
          const [a] = plainReports(x);
          mover = String(a.id);
          x.sims.hr.apply({ type: 'transfer', id: a.id, department_code: a.department_code === 'ENG' ? 'SALES' : 'ENG' });
          x.sims.hr.apply({ type: 'title-change', id: a.id, title: 'Moved By PUT' });
        },
      });
      // The writes in flight when the first 405 lands meet it too (each activity learns it from its own answer
      // or from the run's log when it starts); every one of them is redone as a PUT, and nothing fails.
      const refused = byMethod(r.deltaLog, 'PATCH', (s) => s === 405).length;
      assert.ok(refused >= 1, 'no PATCH met the 405');
      assert.equal(byMethod(r.deltaLog, 'PATCH', ok).length, 0);
      assert.ok(byMethod(r.deltaLog, 'PUT', ok).length >= refused, JSON.stringify({ refused, put: byMethod(r.deltaLog, 'PUT', ok).length }));
      for (const run of [r.full, r.delta]) assert.equal(run.outcomes.failed ?? 0, 0, JSON.stringify(run.outcomes));
      assert.equal(userByExternalId(h.sims, mover)?.title, 'Moved By PUT');
      assert.ok(userByExternalId(h.sims, mover)?.[ENT]?.department);
      assert.deepEqual(r.delta.notices?.filter((n) => /answered PATCH with 405 \(method not allowed\)/.test(n)).length, 1, JSON.stringify(r.delta.notices));
    });
  });
});
