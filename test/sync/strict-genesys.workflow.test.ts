import assert from 'node:assert/strict';
import { runPlan } from '../../src/cli/plan';
import type { Output } from '../../src/cli/sync';
import { checkLines, checkMapping } from '../../src/cli/mapping';
import { loadClientConfig } from '../../src/config';
import { convergenceProblems, countBy, readReport, userByExternalId } from './support';
import { ASKING, convergesOnDefaults, requestsMatching, refusedRemoveScenario, simTarget, strictHarnesses, successfulWrites } from './targets';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';

/**
 * The Genesys simulator playing, one at a time, the answers Genesys leaves undocumented (or that a stricter
 * org gives): with no config file, every run converges, and what the target refuses is said once.
 */
describe('sync workflow: a Genesys target in each strictness mode, on defaults', function () {
  this.timeout(300_000);
  const start = strictHarnesses('genesys', 91);

  it('no `and` filters: a miss is settled from one read of the inactive users, the combined form sent once', async () => {
    const hh = await start({ noAndFilters: true }, ASKING);
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    assert.equal(requestsMatching(r.deltaLog, / and active eq false/).length, 1, 'the combined filter was asked again after its refusal');
    assert.equal(requestsMatching(r.deltaLog, /filter=active eq false/).length >= 1, true, 'the inactive users were read');
    assert.ok(r.delta.notices?.some((n) => /and-combined filter: refused/.test(n)), JSON.stringify(r.delta.notices));
    assert.equal(r.delta.notices?.filter((n) => /and-combined/.test(n)).length, 1);
  });

  it('no `or` filters: the refusal is learned once, and lookups go on one term at a time', async () => {
    const hh = await start({ noOrFilters: true }, ASKING);
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    assert.deepEqual(requestsMatching(r.deltaLog, / or /).map((x) => x.status), [400], 'an or-joined query was asked again after its refusal');
    assert.equal(r.delta.notices?.filter((n) => /or-combined filter: refused/.test(n)).length, 1, JSON.stringify(r.delta.notices));
  });

  it('filtered lists hiding inactive users: a rehire\'s deactivated account is found and reactivated, never met by a POST', async () => {
    const hh = await start({ filteredListsActiveOnly: true });
    let rehired = '';
    // Someone HR still has whose account an administrator deactivated: the delta must find that account.
    const deactivated = (h: typeof hh) => {
      const e = h.sims.hr.employees().find((x) => x.status === 'active' && userByExternalId(h.sims, String(x.id))?.active === true);
      rehired = String(e?.id);
      h.sims.scim.touchUser(userByExternalId(h.sims, rehired)?.id as string, { active: false });
      h.sims.hr.apply({ type: 'touch', id: rehired });
    };
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys', extraChanges: deactivated });
    assert.deepEqual(r.deltaRows.filter((row) => row.hr_id === rehired).map((row) => [row.action, row.outcome]), [['reactivate', 'applied']]);
    assert.deepEqual(r.deltaLog.filter((x) => x.method === 'POST' && x.status !== 201), [], 'a create met an account the lookups missed');
    assert.ok(requestsMatching(r.deltaLog, / or .* and active eq false/).length >= 1, 'inactive users were not asked for');
  });

  it('no filter on `active`: the population is counted unfiltered, and runs say the inactive users could not be read', async () => {
    const hh = await start({ noActiveFilter: true }, ASKING);
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    assert.ok(r.full.notices?.some((n) => /filter on active/.test(n)), JSON.stringify(r.full.notices));
    assert.ok(r.delta.notices?.some((n) => /could not read inactive users/.test(n)), JSON.stringify(r.delta.notices));
    // A joiner's row says the inactive users could not be searched: "not found" is not silently "no account".
    assert.ok(r.deltaRows.some((row) => row.action === 'create' && /inactive users could not be searched/.test(row.error)), 'no joiner row says so');
  });

  it('no groups on user reads: movers leave their old groups, and the repeat adds nobody again', async () => {
    const hh = await start({ noGroupsOnUsers: true });
    await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
  });

  it('no dateHire in /Schemas: dateHire is named once in the summary and never sent', async () => {
    const hh = await start({ noDateHire: true });
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    assert.deepEqual(r.full.notices?.filter((n) => /dateHire/.test(n)).length, 1, JSON.stringify(r.full.notices));
    assert.equal(hh.sims.scim.users().some((u) => u[ENT]?.dateHire !== undefined), false);
  });

  it('a User resource type without the enterprise extension: nothing of it is sent, the rest converges, and the run says why once', async () => {
    const hh = await start({ resourceTypes: 'no-enterprise' });
    const why = `the target's User resource type doesn't extend with ${ENT}`;
    const full = await hh.sync({ mode: 'full' });
    assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
    assert.deepEqual(full.notices?.filter((n) => n.includes(ENT)), [`attributes dateHire, department, division, employeeNumber, manager not written: ${why}`]);
    // The simulator refuses a PATCH naming the extension and keeps none of it from a POST: no refusal means none was sent.
    assert.deepEqual(hh.sims.scim.requests(2000).filter((r) => r.method !== 'GET' && typeof r.status === 'number' && r.status >= 400), []);
    // Every row a create that was applied, none naming an enterprise attribute as changed, refused or set.
    const rows = readReport(full.reportPath);
    const enterprise = /department|manager|employeeNumber|division|dateHire/;
    const kinds = countBy(rows, (r) => `${r.action} ${r.outcome}`);
    assert.deepEqual(Object.keys(kinds).filter((k) => k !== 'create applied' && k !== 'none unchanged'), [], JSON.stringify(kinds));
    assert.ok(kinds['create applied'] > 0);
    assert.deepEqual(rows.filter((r) => enterprise.test(r.changed_fields) || enterprise.test(r.drift) || /refused|department set/.test(r.error)), []);
    // Everything else converged: names, titles, phones, emails, groups (from the HR department code).
    const other = convergenceProblems(hh.sims.hr.employees(), hh.sims, { profile: 'genesys' }).filter((p) => !/ (department|employeeNumber|manager): /.test(p));
    assert.deepEqual(other.slice(0, 10), []);
    assert.equal(full.drift, 0, 'an attribute the target does not take is no drift');

    hh.sims.scim.resetStats();
    const repeat = await hh.sync({ mode: 'full' });
    assert.equal(repeat.outcome, 'succeeded');
    assert.deepEqual(hh.sims.scim.requests(2000).filter((r) => r.method !== 'GET'), [], 'the repeat wrote, or tried to');

    const lines = checkLines(await checkMapping(hh.config));
    assert.ok(lines.includes(`User resource type extends with: ${GEN}`), lines.join('\n'));
    assert.ok(lines.includes(`not written: dateHire, department, division, employeeNumber, manager (${why})`), lines.join('\n'));
  });

  it('a User resource type that requires its extensions, checked by `schemas` and by object: every create carries each, even one the mapping writes nothing into', async () => {
    const hh = await start({ resourceTypes: 'required', requiredExtensions: 'both' });
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    // From an empty org: the first run created everyone, and converging says each create held.
    assert.ok((r.full.outcomes?.applied ?? 0) > 0, JSON.stringify(r.full.outcomes));
    assert.deepEqual(Object.keys(hh.sims.scim.stats().byRoute).filter((k) => /^POST \S*users 4\d\d$/i.test(k)), [], 'a create was refused');
    const lines = checkLines(await checkMapping(hh.config));
    assert.ok(lines.includes(`User resource type extends with: ${ENT} (required), ${GEN} (required)`), lines.join('\n'));
    assert.ok(lines.includes('mapping fits the target'), lines.join('\n'));
  });

  it('a required extension whose required attribute the mapping does not write: mapping check names both, and the run stops in prepare, writing nothing', async () => {
    const hh = await start({ resourceTypes: 'required', requiredExtensions: 'both', requiredAttributes: [`${GEN}:routingSkills`] });
    const check = await checkMapping(hh.config);
    assert.equal(check.ok, false);
    const problem = `the required extension ${GEN}: the target requires routingSkills in it and the mapping doesn't write it: every create would be refused (map it in mapping.attributes, or manage the built-in one in mapping.managedAttributes)`;
    assert.deepEqual(check.problems.map((p) => `${p.entry}: ${p.message}`), [problem]);
    assert.ok(checkLines(check).includes(`  ${problem}`));
    const err = await hh.sync({ mode: 'full' }).then(
      () => assert.fail('the run succeeded'),
      (e: unknown) => e,
    );
    const chain: string[] = [];
    for (let c: unknown = err; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) chain.push(c.message);
    assert.ok(chain.some((m) => m.includes(`the mapping does not fit the target: ${problem}`)), chain.join(' | '));
    assert.deepEqual(successfulWrites(hh.sims.scim.requests(2000)), [], 'nothing written');
  });

  it('no /Schemas and no dateHire: the profile set is written, dateHire refused once per run and isolated', async () => {
    const hh = await start({ noSchemas: true, noDateHire: true });
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'genesys' });
    // The POST that carries dateHire is stored without it (the simulator drops it), so creates succeed; the
    // updates whose dateHire differs send it until the first refusal comes back (only the writes already in
    // flight then), and the rest of each PATCH lands.
    const refused = r.deltaLog.filter((x) => x.method === 'PATCH' && x.status === 400);
    assert.ok(refused.length >= 1 && refused.length <= hh.config.sync.concurrency, `dateHire refused ${refused.length} times in one run`);
    assert.ok(r.delta.notices?.some((n) => /attribute dateHire not written: the target refused it/.test(n)), JSON.stringify(r.delta.notices));
    assert.ok(r.deltaRows.some((row) => /refused-attribute: replace dateHire/.test(row.error)), 'no row names the refusal');
  });

  it('a refused `remove` on manager (terse errors): the rest is applied, a leaver is still deactivated, said once', async () => {
    const hh = await start({ refuseRemove: ['manager'], terseErrors: true });
    const r = await refusedRemoveScenario(hh, 'genesys', 'Refusal Test Title');
    const { cleared, leaver } = r;
    const a = userByExternalId(hh.sims, cleared);
    assert.equal(a?.title, 'Refusal Test Title', 'the rest of the PATCH was applied');
    assert.ok(a?.[ENT]?.manager?.value, 'the manager stays (its remove was refused)');
    assert.equal(userByExternalId(hh.sims, leaver)?.active, false, 'the leaver was deactivated');
    const row = r.deltaRows.find((x) => x.hr_id === cleared);
    assert.match(row?.error ?? '', /refused-attribute: remove manager/);
    assert.equal(row?.outcome, 'applied');
    assert.deepEqual(r.delta.notices?.filter((n) => /remove manager/.test(n)).length, 1, JSON.stringify(r.delta.notices));
    const refusedRemoves = r.deltaLog.filter((x) => x.method === 'PATCH' && x.status === 400);
    assert.ok(refusedRemoves.length <= 3, `a refused form was sent again: ${refusedRemoves.length} refusals`);
  });

  it('hrsync plan lists the mapped attributes the target does not take, and the filters it refused', async () => {
    const hh = await start({ noDateHire: true, noExtensionFilters: true });
    assert.equal((await hh.sync({ mode: 'full' })).outcome, 'succeeded');
    hh.sims.hr.apply({ type: 'hire' });
    const lines: string[] = [];
    const io: Output = { out: (l) => lines.push(l), err: () => undefined };
    const cfg = loadClientConfig({ env: { TEMPORAL_ADDRESS: hh.config.temporal.address, HRSYNC_TASK_QUEUE: hh.config.temporal.taskQueue, HRSYNC_TARGET_NAME: hh.config.target.name ?? '' } });
    const writes = hh.sims.scim.stats().writes;
    const { view, exitCode } = await runPlan(hh.client, cfg, { mode: 'delta', pollMs: 100 }, io);
    assert.equal(exitCode, 0);
    assert.equal(hh.sims.scim.stats().writes, writes, 'the plan wrote');
    assert.deepEqual(view?.counts.create, 1);
    const text = lines.join('\n');
    assert.match(text, /What the target does not take/);
    assert.match(text, /attribute dateHire not written: the target's schemas don't declare urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:dateHire/);
    assert.match(text, /filter on employeeNumber: refused by the target/);
  });
});
