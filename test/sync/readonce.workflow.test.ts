import assert from 'node:assert/strict';
import { lifecycleBatch } from '../../sim/hr/batch';
import { scimClientFor } from '../../src/activities';
import type { RequestLogEntry } from '../../sim/scim/stats';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, readReport, today, userByExternalId } from './support';
import { strangers } from './targets';

/** Target calls of one kind in a run's request log. */
const unfilteredPages = (log: readonly RequestLogEntry[]) => log.filter((r) => r.method === 'GET' && /\/users\?/.test(r.path) && /count=25/.test(r.path) && !/filter=/.test(r.path));
const lookups = (log: readonly RequestLogEntry[]) =>
  log.filter((r) => r.method === 'GET' && /\/users\?filter=/.test(r.path) && !/filter=active%20eq%20false&/.test(`${r.path}&`));

/**
 * A delta on a target that refuses `or` (undocumented on Genesys) pays a lookup per HR record: where reading the
 * whole target is cheaper, it reads it once and resolves the rest of the run from that read (domain/readonce).
 */
describe('sync workflow: a delta reads the target once when that is cheaper than its lookups', function () {
  this.timeout(300_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a small company, `or` refused, filtered lists hiding inactive users, continued as new at every page: reads the target once and converges', async () => {
    h = await startHarness({
      scim: { strict: { noOrFilters: true, filteredListsActiveOnly: true } },
      hr: { employees: 50, seed: 131 },
      env: { HRSYNC_MAX_PAGES_PER_RUN: '1' },
      configure: (c) => void (c.sync.watermarkOverlapSeconds = 0),
    });
    const hh = h;
    const full = await hh.sync({ mode: 'full' });
    assert.equal(full.outcome, 'succeeded', JSON.stringify(full));

    // Someone HR no longer mentions, managed by hrsync (an HR externalId): a delta must leave them alone.
    const stray = await scimClientFor(hh.config).createUser({ userName: 'stray@corp.com', displayName: 'Stray One', externalId: 'stray-1', active: true } as never);
    // A rehire the lookups would have to find among inactive users: the read must find them too.
    const rehired = hh.sims.hr.employees().find((e) => e.status === 'active' && !e.termination_date && userByExternalId(hh.sims, String(e.id))?.active === true);
    const rehiredId = String(rehired?.id);
    hh.sims.scim.touchUser(userByExternalId(hh.sims, rehiredId)?.id as string, { active: false });
    hh.sims.hr.apply({ type: 'touch', id: rehiredId });
    for (const event of lifecycleBatch(hh.sims.hr.employees(), today())) hh.sims.hr.apply(event);

    const population = hh.sims.scim.users().filter((u) => u.active !== false).length;
    hh.sims.scim.resetStats();
    const delta = await hh.sync({ mode: 'delta' });
    const log = hh.sims.scim.requests(2000);
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.deepEqual(convergenceProblems(hh.sims.hr.employees(), hh.sims).slice(0, 20), []);

    const cost = Math.ceil(population / 25) + 1;
    const said = delta.notices?.find((n) => /^reading the target once \(\d+ calls\): cheaper than \d+ lookups$/.test(n));
    assert.ok(said, JSON.stringify(delta.notices));
    assert.equal(unfilteredPages(log).length, Math.ceil(population / 25), 'the active users were not read once, page by page');
    assert.ok(lookups(log).length <= cost, `${lookups(log).length} lookups, more than reading the target (${cost} calls)`);

    const rows = readReport(delta.reportPath);
    assert.deepEqual(rows.filter((r) => r.hr_id === rehiredId).map((r) => [r.action, r.outcome]), [['reactivate', 'applied']]);
    assert.deepEqual(log.filter((x) => x.method === 'POST' && x.status !== 201), [], 'a create met an account the read missed');
    assert.equal(hh.sims.scim.users().find((u) => u.id === stray.user.id)?.active, true, 'a delta deactivated a user HR did not mention');
    assert.equal(rows.some((r) => r.user_id === stray.user.id), false);

    hh.sims.scim.resetStats();
    const again = await hh.sync({ mode: 'delta' });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again));
    assert.equal(hh.sims.scim.stats().writes, 0, 'the repeat delta wrote');
  });

  it('a large target and a small delta, `or` refused: keeps asking, one term a query', async () => {
    // Accounts hrsync doesn't manage make the target large: reading it would cost 25 calls.
    h = await startHarness({
      scim: { strict: { noOrFilters: true }, users: strangers(600) },
      hr: { employees: 30, seed: 132 },
      configure: (c) => void (c.sync.watermarkOverlapSeconds = 0),
    });
    const hh = h;
    const full = await hh.sync({ mode: 'full' });
    assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
    const [a, b] = hh.sims.hr.employees().filter((e) => e.status === 'active' && !e.termination_date && userByExternalId(hh.sims, String(e.id)));
    hh.sims.hr.apply({ type: 'title-change', id: a.id, title: 'Chief Widget Officer' });
    hh.sims.hr.apply({ type: 'touch', id: b.id });

    hh.sims.scim.resetStats();
    const delta = await hh.sync({ mode: 'delta' });
    const log = hh.sims.scim.requests(2000);
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.deepEqual(convergenceProblems(hh.sims.hr.employees(), hh.sims).slice(0, 20), []);
    assert.equal(delta.notices?.some((n) => /reading the target once/.test(n)), false, JSON.stringify(delta.notices));
    assert.deepEqual(unfilteredPages(log), [], 'the delta read the target');
    assert.ok(lookups(log).length >= 2 && lookups(log).length < 25, `${lookups(log).length} lookups`);
    assert.equal(userByExternalId(hh.sims, String(a.id))?.title, 'Chief Widget Officer');
  });

  it('`or` and `active eq false` refused: a joiner\'s row says the inactive users could not be searched, in a full run and a delta that read the target once', async () => {
    h = await startHarness({
      scim: { strict: { noOrFilters: true, noActiveFilter: true } },
      hr: { employees: 20, seed: 133 },
      configure: (c) => void (c.sync.watermarkOverlapSeconds = 0),
    });
    const hh = h;
    const unsearched = (rows: ReturnType<typeof readReport>) => rows.filter((r) => r.action === 'create' && !/inactive users could not be searched/.test(r.error));
    const full = await hh.sync({ mode: 'full' });
    assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
    const created = readReport(full.reportPath).filter((r) => r.action === 'create');
    assert.ok(created.length > 0);
    // Every joiner of the initial sync: the snapshot could not include inactive users.
    assert.deepEqual(unsearched(created), []);

    const joiners = [0, 1, 2].map(() => hh.sims.hr.apply({ type: 'hire' }));
    for (const e of hh.sims.hr.employees().slice(0, 6)) hh.sims.hr.apply({ type: 'touch', id: e.id });
    const delta = await hh.sync({ mode: 'delta' });
    assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
    assert.ok(delta.notices?.some((n) => /reading the target once/.test(n)), JSON.stringify(delta.notices));
    const rows = readReport(delta.reportPath);
    assert.deepEqual(rows.filter((r) => r.action === 'create').map((r) => r.hr_id).sort(), joiners.map((e) => String(e.id)).sort());
    assert.deepEqual(unsearched(rows), [], 'a joiner row of the delta says nothing of the inactive users');
    assert.equal(rows.filter((r) => /inactive users could not be searched/.test(r.error)).length, joiners.length, 'only the joiners say it');
  });
});
