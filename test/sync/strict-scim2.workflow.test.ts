import assert from 'node:assert/strict';
import { userByExternalId } from './support';
import { ASKING, convergesOnDefaults, requestsMatching, refusedRemoveScenario, simTarget, strictHarnesses } from './targets';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * The generic SCIM 2.0 simulator (with /Bulk) in the strictness modes real RFC 7644 servers show: with no
 * config file every run converges, and what the target refuses is said once and not asked again.
 */
describe('sync workflow: a generic SCIM 2.0 target in each strictness mode, on defaults', function () {
  this.timeout(300_000);
  const start = strictHarnesses('scim2', 93);

  it('no filters on extension attributes: the employeeNumber lookup is refused once, resolution goes on by userName', async () => {
    const hh = await start({ noExtensionFilters: true }, ASKING);
    let joiner = '';
    const r = await convergesOnDefaults({
      h: hh,
      target: simTarget(hh),
      profile: 'scim2',
      extraChanges: (x) => void (joiner = String(x.sims.hr.apply({ type: 'hire' }).id)),
    });
    // Refused first in an or-joined query, then alone (which tells a refused key from a refused `or`), then never again.
    const asked = requestsMatching(r.deltaLog, /employeeNumber eq/).map((x) => [/ or /.test(decodeURIComponent(x.path.replace(/\+/g, ' '))), x.status]);
    assert.deepEqual(asked, [[true, 400], [false, 400]], 'the refused filter was sent again');
    assert.deepEqual(r.delta.notices?.filter((n) => /filter on employeeNumber: refused/.test(n)).length, 1, JSON.stringify(r.delta.notices));
    assert.match(r.deltaRows.find((row) => row.hr_id === joiner)?.error ?? '', /filter on employeeNumber is refused/);
  });

  it('no filter on `active`: the population needs none, and the runs never send one', async () => {
    const hh = await start({ noActiveFilter: true });
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'scim2' });
    assert.equal(requestsMatching(r.deltaLog, /active eq/).length, 0);
  });

  it('no dateHire: nothing to say, the generic profile never maps it', async () => {
    const hh = await start({ noDateHire: true });
    const r = await convergesOnDefaults({ h: hh, target: simTarget(hh), profile: 'scim2' });
    assert.equal(r.full.notices, undefined, JSON.stringify(r.full.notices));
    assert.equal(hh.sims.scim.users().some((u) => u[ENT]?.dateHire !== undefined), false);
  });

  it('a refused `remove` inside /Bulk: that operation is isolated, the rest applied, a leaver deactivated, said once', async () => {
    const hh = await start({ refuseRemove: ['manager'] });
    const r = await refusedRemoveScenario(hh, 'scim2', 'Bulk Refusal Title');
    const { cleared, leaver } = r;
    assert.ok(r.deltaLog.some((x) => x.route === '/bulk'), 'the delta wrote through /Bulk');
    const a = userByExternalId(hh.sims, cleared);
    assert.equal(a?.title, 'Bulk Refusal Title');
    assert.ok(a?.[ENT]?.manager?.value, 'the manager stays (its remove was refused)');
    assert.equal(userByExternalId(hh.sims, leaver)?.active, false, 'the leaver was deactivated');
    assert.match(r.deltaRows.find((x) => x.hr_id === cleared)?.error ?? '', /refused-attribute: remove manager/);
    assert.deepEqual(r.delta.notices?.filter((n) => /remove manager/.test(n)).length, 1, JSON.stringify(r.delta.notices));
  });
});
