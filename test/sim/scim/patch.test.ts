import { strict as assert } from 'node:assert';
import { ENT, Harness, patch, Loose } from './helpers';

describe('SCIM simulator: PATCH and group membership', () => {
  let h: Harness;
  let boss: Record<string, Loose>;
  let user: Record<string, Loose>;
  beforeEach(async () => {
    h = await Harness.start({ groups: ['Sales', 'Support'] });
    boss = await h.createUser({ userName: 'boss@corp.com', displayName: 'Boss' });
    user = await h.createUser({
      userName: 'ann@corp.com',
      displayName: 'Ann',
      emails: [{ type: 'work', value: 'old@corp.com' }],
      [ENT]: { department: 'Ops', manager: { value: boss.id } },
    });
  });
  afterEach(async () => h.close());

  const patchUser = (ops: Array<Record<string, unknown>>, headers?: Record<string, string>) =>
    h.json('PATCH', `/users/${user.id}`, patch(...ops), headers);

  it('applies filtered paths to emails and phoneNumbers, adding the entry when it is missing', async () => {
    const r = await patchUser([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@corp.com' },
      { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+13175550100' },
    ]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.emails, [{ type: 'work', value: 'new@corp.com' }, { type: 'other', value: 'ann@corp.com' }]);
    assert.deepEqual(r.body.phoneNumbers, [{ type: 'work', value: '+13175550100' }]);
    const rm = await patchUser([{ op: 'remove', path: 'phoneNumbers[type eq "work"]' }]);
    assert.equal(rm.body.phoneNumbers, undefined);
  });

  it('applies URN-prefixed enterprise paths, including replacing and removing the manager', async () => {
    const other = await h.createUser({ userName: 'b2@corp.com', displayName: 'B2' });
    const r = await patchUser([
      { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
      { op: 'replace', path: `${ENT}:manager`, value: { value: other.id } },
    ]);
    assert.equal(r.status, 200);
    assert.equal(r.body[ENT].department, 'Sales');
    assert.deepEqual(r.body[ENT].manager, { value: other.id });
    const rm = await patchUser([{ op: 'remove', path: `${ENT}:manager` }]);
    assert.equal(rm.status, 200);
    assert.equal(rm.body[ENT].manager, undefined);
    assert.equal(rm.body[ENT].department, 'Sales');
    const byManager = await h.json('GET', `/users?filter=${encodeURIComponent(`manager eq "${other.id}"`)}`);
    assert.equal(byManager.body.totalResults, 0, 'the manager index follows the removal');
  });

  it('accepts a no-path replace whose value is keyed by the extension URN', async () => {
    const r = await patchUser([{ op: 'replace', value: { title: 'Lead', [ENT]: { department: 'Support' }, active: false } }]);
    assert.equal(r.status, 200);
    assert.equal(r.body.title, 'Lead');
    assert.equal(r.body.active, false);
    assert.equal(r.body[ENT].department, 'Support');
    assert.deepEqual(r.body[ENT].manager, { value: boss.id }, 'sub-attributes not named are kept');
  });

  it('rejects a manager that is not a user, remove without path, and writes to groups', async () => {
    const badManager = await patchUser([{ op: 'replace', path: `${ENT}:manager`, value: { value: 'no-such-id' } }]);
    assert.equal(badManager.status, 400);
    assert.equal(badManager.body.scimType, 'invalidValue');
    const noPath = await patchUser([{ op: 'remove' }]);
    assert.equal(noPath.status, 400);
    assert.ok(['noTarget', 'invalidPath'].includes(noPath.body.scimType));
    const groups = await patchUser([{ op: 'add', path: 'groups', value: [{ value: 'g' }] }]);
    assert.equal(groups.status, 400);
    assert.equal(groups.body.scimType, 'mutability');
    const syntax = await h.json('PATCH', `/users/${user.id}`, { Operations: [] });
    assert.equal(syntax.status, 400);
    assert.equal(syntax.body.scimType, 'invalidSyntax');
    assert.equal(h.sim.users().find((u) => u.id === user.id)!.meta!.version, '"1"', 'failed patches change nothing');
  });

  it('ignores name paths in genesys mode', async () => {
    const r = await patchUser([{ op: 'replace', path: 'name.givenName', value: 'X' }]);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, undefined);
  });

  it('adds, removes and replaces group members, reflected in user.groups', async () => {
    const [sales, support] = h.sim.groups();
    const add = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: user.id, display: 'Ann' }, { value: boss.id }] }));
    assert.equal(add.status, 200);
    assert.deepEqual(add.body.members.map((m: { value: string }) => m.value), [user.id, boss.id]);
    assert.equal(add.res.headers.get('etag'), '"2"');
    const again = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: user.id }] }));
    assert.equal(again.body.members.length, 2, 'adding a member twice keeps one');
    let u = (await h.json('GET', `/users/${user.id}`)).body;
    assert.deepEqual(u.groups.map((g: { value: string; display: string }) => [g.value, g.display]), [[sales.id, 'Sales']]);
    const rm = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'remove', path: `members[value eq "${user.id}"]` }), { 'If-Match': '"3"' });
    assert.equal(rm.status, 200);
    assert.deepEqual(rm.body.members.map((m: { value: string }) => m.value), [boss.id]);
    u = (await h.json('GET', `/users/${user.id}`)).body;
    assert.deepEqual(u.groups, []);
    const rep = await h.json('PATCH', `/groups/${support.id}`, patch({ op: 'replace', path: 'members', value: [{ value: user.id }] }));
    assert.deepEqual(rep.body.members.map((m: { value: string }) => m.value), [user.id]);
    u = (await h.json('GET', `/users/${user.id}`)).body;
    assert.deepEqual(u.groups.map((g: { value: string }) => g.value), [support.id]);
    const stale = await h.json('PATCH', `/groups/${support.id}`, patch({ op: 'add', path: 'members', value: [{ value: boss.id }] }), { 'If-Match': '"1"' });
    assert.equal(stale.status, 400);
    assert.equal(stale.body.scimType, 'invalidVers');
    const unknown = await h.json('PATCH', `/groups/${support.id}`, patch({ op: 'add', path: 'members', value: [{ value: 'nobody' }] }));
    assert.equal(unknown.status, 400);
  });

  it('answers a batch of member adds as the generic patch does, and leaves the same group', async () => {
    const [sales, support] = h.sim.groups();
    const more = [await h.createUser({ userName: 'c@corp.com', displayName: 'C' }), await h.createUser({ userName: 'd@corp.com', displayName: 'D' })];
    for (const g of [sales, support]) await h.json('PATCH', `/groups/${g.id}`, patch({ op: 'replace', path: 'members', value: [{ value: more[1].id }, { value: user.id }] }));
    const adds = [
      { op: 'add', path: 'members', value: [{ value: boss.id, display: 'Boss' }, { value: user.id }, { value: more[0].id }] },
      { op: 'Add', path: 'Members', value: [{ value: more[0].id }, { value: more[1].id }] },
    ];
    // Only adds (the short way), and the same adds beside a no-op that takes the generic patch.
    const short = await h.json('PATCH', `/groups/${sales.id}`, patch(...adds), { 'If-Match': '"2"' });
    const generic = await h.json('PATCH', `/groups/${support.id}`, patch(...adds, { op: 'replace', path: 'displayName', value: 'Support' }), { 'If-Match': '"2"' });
    assert.equal(short.status, 200);
    assert.deepEqual([short.status, short.body.members, short.body.meta.version], [generic.status, generic.body.members, generic.body.meta.version]);
    assert.deepEqual(
      short.body.members.map((m: { value: string }) => m.value),
      [more[1].id, user.id, boss.id, more[0].id],
    );
    const c = await h.json('GET', `/users/${more[0].id}`);
    assert.deepEqual(c.body.groups.map((g: { value: string }) => g.value).sort(), [sales.id, support.id].sort());
    const refused = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: 'nobody' }] }));
    assert.equal(refused.status, 400);
    assert.equal((await h.json('GET', `/groups/${sales.id}`)).body.members.length, 4, 'a refused batch adds nobody');
  });

  it('drops a deleted user from its groups', async () => {
    const [sales] = h.sim.groups();
    await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: user.id }] }));
    assert.equal((await h.req('DELETE', `/users/${user.id}`)).status, 204);
    const g = await h.json('GET', `/groups/${sales.id}`);
    assert.deepEqual(g.body.members, []);
  });

  it('lists groups by displayName and id, and refuses to create or delete groups', async () => {
    const [sales] = h.sim.groups();
    const byName = await h.json('GET', `/groups?filter=${encodeURIComponent('displayName eq "sales"')}`);
    assert.deepEqual(byName.body.Resources.map((g: { id: string }) => g.id), [sales.id]);
    const byId = await h.json('GET', `/groups?filter=${encodeURIComponent(`id eq "${sales.id}"`)}`);
    assert.equal(byId.body.totalResults, 1);
    const bad = await h.json('GET', `/groups?filter=${encodeURIComponent('members eq "x"')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidFilter');
    const post = await h.json('POST', '/groups', { displayName: 'New' });
    assert.equal(post.status, 405);
    assert.equal(post.body.status, '405');
    assert.equal((await h.req('DELETE', `/groups/${sales.id}`)).status, 405);
    assert.equal((await h.json('GET', '/groups/nope')).status, 404);
    const put = await h.json('PUT', `/groups/${sales.id}`, { displayName: 'Sales', members: [{ value: boss.id }] }, { 'If-Match': '"1"' });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.members.map((m: { value: string }) => m.value), [boss.id]);
  });
});
