import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import type { RawEmployee } from '../../src/hr/employee';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, countBy, daysFromToday, readReport, userByExternalId } from './support';

/**
 * Deltas after an initial full sync, on one company that the tests change step by step (so they run in
 * order). The watermark overlap is 0 here so that what a delta reads can be counted exactly.
 */
describe('sync workflow: deltas, no-op runs, dry runs and the watermark', function () {
  this.timeout(300_000);
  let h: Harness;
  let company: number;
  const firstChange = new Date().toISOString();

  /** Active employees who have an account and manage nobody: safe to move, terminate or touch. */
  function plainEmployees(): RawEmployee[] {
    const all = h.sims.hr.employees();
    const managers = new Set(all.map((e) => String(e.manager_employee_id)));
    return all
      .filter((e) => e.status === 'active' && !managers.has(String(e.id)) && e.termination_date == null && userByExternalId(h.sims, String(e.id)))
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }
  const ceo = () => h.sims.hr.employees().find((e) => e.manager_employee_id == null) as RawEmployee;
  const writes = () => h.sims.scim.stats().writes;
  const converged = () => assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 20), []);

  before(async () => {
    h = await startHarness({ hr: { employees: 200, seed: 11 }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
    const initial = await h.sync({ mode: 'full' });
    assert.equal(initial.outcome, 'succeeded', JSON.stringify(initial));
    assert.ok(initial.watermark, 'a successful full run sets the watermark');
    company = h.sims.hr.employees().length;
    converged();
  });
  after(async () => h?.close());

  let terminated: { hrId: string; userId: string };

  it('applies joiners (one future-dated, one managed by another joiner), movers and leavers, which converge', async () => {
    const [a, b, c, d, e, f, g] = plainEmployees();
    const joiner = h.sims.hr.apply({ type: 'hire' });
    const joinersReport = h.sims.hr.apply({ type: 'hire', employee: { manager_employee_id: joiner.id } });
    const future = h.sims.hr.apply({ type: 'hire', startDate: daysFromToday(30) });
    h.sims.hr.apply({ type: 'transfer', id: a.id, department_code: a.department_code === 'FIN' ? 'LEGAL' : 'FIN' });
    h.sims.hr.apply({ type: 'promotion', id: b.id, title: 'Principal Widget Wrangler', department_code: b.department_code === 'MKT' ? 'OPS' : 'MKT' });
    h.sims.hr.apply({ type: 'manager-change', id: c.id, manager_employee_id: joiner.id });
    h.sims.hr.apply({ type: 'manager-change', id: d.id, manager_employee_id: ceo().id });
    h.sims.hr.apply({ type: 'terminate', id: e.id });
    h.sims.hr.apply({ type: 'terminate', id: f.id });
    h.sims.hr.apply({ type: 'terminate', id: g.id, date: daysFromToday(20) }); // notice given: still active until then

    const summary = await h.sync({ mode: 'delta' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.equal(summary.employeesRead, 10);
    assert.deepEqual(summary.planned, { create: 2, defer: 1, update: 4, deactivate: 2, none: 1 });
    converged();

    assert.equal(userByExternalId(h.sims, String(future.id)), undefined, 'a future hire has no account before the start date');
    const joinerUser = userByExternalId(h.sims, String(joiner.id));
    assert.ok(joinerUser?.active);
    const ent = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    assert.equal(userByExternalId(h.sims, String(joinersReport.id))?.[ent]?.manager?.value, joinerUser.id, 'a joiner managed by a joiner of the same run');
    assert.equal(userByExternalId(h.sims, String(c.id))?.[ent]?.manager?.value, joinerUser.id);
    assert.equal(userByExternalId(h.sims, String(e.id))?.active, false);
    assert.equal(userByExternalId(h.sims, String(g.id))?.active, true, 'a future termination waits for its date');

    const rows = new Map(readReport(summary.reportPath).map((r) => [r.hr_id, r]));
    assert.equal(rows.size, 10, 'one row per employee the delta touched');
    assert.equal(rows.get(String(future.id))?.action, 'defer');
    assert.equal(rows.get(String(future.id))?.outcome, 'deferred');
    assert.equal(rows.get(String(e.id))?.action, 'deactivate');
    assert.equal(rows.get(String(e.id))?.outcome, 'applied');
    assert.match(rows.get(String(a.id))?.changed_fields ?? '', /department/);
    assert.match(rows.get(String(a.id))?.changed_fields ?? '', /groups/);
    for (const r of rows.values()) assert.equal(r.drift, '', `${r.hr_id} has drift: ${r.drift}`);
    terminated = { hrId: String(e.id), userId: userByExternalId(h.sims, String(e.id))?.id as string };
  });

  it('reactivates the same account on a rehire rather than creating a second one', async () => {
    const usersBefore = h.sims.scim.users().length;
    h.sims.hr.apply({ type: 'rehire', id: terminated.hrId });
    const summary = await h.sync({ mode: 'delta' });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.deepEqual(summary.planned, { reactivate: 1 });
    const accounts = h.sims.scim.users().filter((u) => u.externalId === terminated.hrId);
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0].id, terminated.userId);
    assert.equal(accounts[0].active, true);
    assert.equal(h.sims.scim.users().length, usersBefore);
    const [row] = readReport(summary.reportPath);
    assert.equal(row.action, 'reactivate');
    assert.equal(row.user_id, terminated.userId);
    converged();
  });

  it('makes zero writes on a second delta with no HR change, and on a --since rerun over the changes already synced', async () => {
    const before = writes();
    const again = await h.sync({ mode: 'delta' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(again.employeesRead, 0, 'the watermark moved past every change already synced');
    assert.equal(writes(), before);

    const reread = await h.sync({ mode: 'delta', since: firstChange });
    assert.equal(reread.outcome, 'succeeded');
    assert.equal(reread.employeesRead, 10, '--since overrides the watermark (the ten people changed, the rehire among them)');
    assert.equal(writes(), before, 'nothing HR says differs from the target');
    assert.equal(reread.outcomes.applied, undefined);
    assert.equal(reread.drift, 0);
  });

  it('makes zero writes for HR no-op saves (touch events)', async () => {
    const touched = plainEmployees().slice(10, 25).map((e) => String(e.id));
    touched.push(terminated.hrId); // rehired
    touched.push(h.sims.hr.employees().find((e) => e.status === 'terminated' && !userByExternalId(h.sims, String(e.id)))?.id as string);
    for (const id of touched) h.sims.hr.apply({ type: 'touch', id });
    const before = writes();
    const summary = await h.sync({ mode: 'delta' });
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.employeesRead, touched.length);
    assert.equal(writes(), before, 'a no-op HR update costs nothing but the read');
    assert.deepEqual(countBy(readReport(summary.reportPath), (r) => r.outcome), { unchanged: touched.length });
  });

  it('writes nothing on a dry run, reports the plan, and leaves the changes for the next run', async () => {
    const [a] = plainEmployees();
    h.sims.hr.apply({ type: 'title-change', id: a.id, title: 'Dry Run Specialist' });
    const joiner = h.sims.hr.apply({ type: 'hire' });
    const before = writes();
    const dry = await h.sync({ mode: 'delta', dryRun: true });
    assert.equal(dry.outcome, 'dry-run');
    assert.equal(dry.dryRun, true);
    assert.equal(dry.watermark, null, 'a dry run never advances the watermark');
    assert.equal(writes(), before, 'a dry run writes nothing');
    assert.equal(userByExternalId(h.sims, String(joiner.id)), undefined);
    const rows = new Map(readReport(dry.reportPath).map((r) => [r.hr_id, r]));
    assert.equal(rows.get(String(a.id))?.action, 'update');
    assert.equal(rows.get(String(a.id))?.outcome, 'planned');
    assert.match(rows.get(String(a.id))?.changed_fields ?? '', /title/);
    assert.equal(rows.get(String(joiner.id))?.action, 'create');
    assert.equal(rows.get(String(joiner.id))?.outcome, 'planned');

    const real = await h.sync({ mode: 'delta' });
    assert.equal(real.employeesRead, 2, 'the dry run left the watermark where it was');
    assert.equal(real.outcomes.applied, 2);
    converged();
  });

  it('reports a permanent failure on its row, writes the rest, and holds the watermark back before it', async () => {
    const [a, b] = plainEmployees().slice(40);
    h.sims.hr.apply({ type: 'title-change', id: a.id, title: 'Before The Failure' });
    const joiner = h.sims.hr.apply({ type: 'hire' });
    h.sims.hr.apply({ type: 'title-change', id: b.id, title: 'After The Failure' });
    h.sims.scim.setDeniedPermissions(['directory:user:add']); // creates answer 403: permanent, this user only
    const summary = await h.sync({ mode: 'delta' });
    h.sims.scim.setDeniedPermissions([]);
    assert.equal(summary.outcome, 'completed-with-failures', JSON.stringify(summary));
    assert.deepEqual(summary.outcomes, { applied: 2, failed: 1 });
    const rows = new Map(readReport(summary.reportPath).map((r) => [r.hr_id, r]));
    const failed = rows.get(String(joiner.id));
    assert.equal(failed?.outcome, 'failed');
    assert.equal(failed?.http_status, '403');
    assert.match(failed?.error ?? '', /forbidden|permission|403/i);
    assert.equal(userByExternalId(h.sims, String(a.id))?.title, 'Before The Failure');
    assert.equal(userByExternalId(h.sims, String(b.id))?.title, 'After The Failure');
    const joinerStamp = h.sims.hr.employees().find((e) => e.id === joiner.id)?.updated_at as string;
    assert.ok(summary.watermark && Date.parse(summary.watermark) < Date.parse(joinerStamp), 'the watermark stops before the failed change');

    const retry = await h.sync({ mode: 'delta' });
    assert.equal(retry.outcome, 'succeeded');
    assert.equal(retry.employeesRead, 2, 'the failed joiner (and the change after it) are read again');
    assert.deepEqual(retry.outcomes, { applied: 1, unchanged: 1 });
    assert.ok(userByExternalId(h.sims, String(joiner.id))?.active);
    converged();
  });

  it('advances the watermark after a successful delta, not after a failed one', async () => {
    const [a, b, c, d] = plainEmployees().slice(30);
    h.sims.hr.apply({ type: 'title-change', id: a.id, title: 'Watermark One' });
    const ok = await h.sync({ mode: 'delta' });
    assert.equal(ok.employeesRead, 1);
    assert.ok(ok.watermark && Date.parse(ok.watermark) >= Date.parse(h.sims.hr.employees().find((e) => e.id === a.id)?.updated_at ?? ''));

    h.sims.hr.apply({ type: 'title-change', id: b.id, title: 'Watermark Two' });
    h.sims.hr.apply({ type: 'title-change', id: c.id, title: 'Watermark Three' });
    h.sims.hr.setFaults({ truncateRate: 1 }); // every page is cut short: a malformed answer, permanent
    const failing = await h.start({ mode: 'delta' });
    await assert.rejects(failing.result(), WorkflowFailedError);
    assert.equal((await failing.describe()).status.name, 'FAILED');
    h.sims.hr.setFaults({ truncateRate: 0 });

    h.sims.hr.apply({ type: 'title-change', id: d.id, title: 'Watermark Four' });
    const next = await h.sync({ mode: 'delta' });
    assert.equal(next.outcome, 'succeeded');
    assert.equal(next.employeesRead, 3, 'the next delta reads from the last successful run, so the failed run loses nothing');
    converged();

    const nothing = await h.sync({ mode: 'delta', since: daysFromToday(1) });
    assert.equal(nothing.employeesRead, 0, '--since in the future reads nothing');
    h.sims.hr.apply({ type: 'title-change', id: a.id, title: 'After A Future Since' });
    const after = await h.sync({ mode: 'delta' });
    assert.equal(after.employeesRead, 1, 'a --since that read nothing must not move the watermark to its own instant');
    const everything = await h.sync({ mode: 'delta', since: '2000-01-01T00:00:00Z' });
    assert.equal(everything.employeesRead, h.sims.hr.employees().length, '--since far back reads the whole company');
    assert.equal(everything.employeesRead, company + 5, 'the company and its five joiners');
    assert.equal(everything.outcomes.applied, undefined);
  });
});
