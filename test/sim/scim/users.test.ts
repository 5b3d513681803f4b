import { strict as assert } from 'node:assert';
import { ENT, filterQuery, GEN, Harness, patch } from './helpers';

describe('SCIM simulator: users (genesys mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ groups: ['Sales'] });
  });
  afterEach(async () => h.close());

  it('requires userName and displayName on POST, naming the attribute', async () => {
    const a = await h.json('POST', '/users', { displayName: 'No Name' });
    assert.equal(a.status, 400);
    assert.equal(a.body.scimType, 'invalidValue');
    assert.match(a.body.detail, /userName/);
    const b = await h.json('POST', '/users', { userName: 'x@corp.com' });
    assert.equal(b.status, 400);
    assert.match(b.body.detail, /displayName/);
  });

  it('assigns id and meta, ignores name, never returns password and keeps the other email equal to userName', async () => {
    const r = await h.json('POST', '/users', {
      userName: 'ann@corp.com',
      displayName: 'Ann Lee',
      name: { givenName: 'Ann', familyName: 'Lee' },
      password: 'Secret-1',
      emails: [{ type: 'work', value: 'ann.work@corp.com' }, { type: 'other', value: 'spoof@corp.com' }],
      [ENT]: { department: 'Sales', employeeNumber: 'E1', division: 'Home' },
      [GEN]: { routingSkills: [{ name: 'Billing', proficiency: 3 }] },
    });
    assert.equal(r.status, 201);
    const u = r.body;
    assert.match(u.id, /^[0-9a-f-]{36}$/);
    assert.equal(u.name, undefined);
    assert.equal(u.password, undefined);
    assert.equal(u.active, true);
    assert.deepEqual(u.emails, [{ type: 'work', value: 'ann.work@corp.com' }, { type: 'other', value: 'ann@corp.com' }]);
    assert.equal(u[ENT].department, 'Sales');
    assert.deepEqual(u[GEN].routingSkills, [{ name: 'Billing', proficiency: 3 }]);
    assert.ok(u[GEN].externalIds.some((x: { authority: string }) => x.authority.startsWith('x-pc:scimv2:v1')));
    assert.deepEqual(u.groups, []);
    assert.equal(u.meta.resourceType, 'User');
    assert.equal(u.meta.version, '"1"');
    assert.equal(u.meta.location, `${h.sim.scimBaseUrl}/users/${u.id}`);
    assert.equal(r.res.headers.get('etag'), '"1"');
    assert.equal(r.res.headers.get('location'), u.meta.location);
    const again = await h.json('GET', `/users/${u.id}`);
    assert.equal(again.body.password, undefined);
    assert.equal(JSON.stringify(h.sim.users()).includes('Secret-1'), false);
  });

  it('rejects a phone number that is neither E.164 nor a tel: URI', async () => {
    const r = await h.json('POST', '/users', { userName: 'p@corp.com', displayName: 'P', phoneNumbers: [{ type: 'work', value: '555 1234' }] });
    assert.equal(r.status, 400);
    assert.match(r.body.detail, /phoneNumbers/);
    const ok = await h.json('POST', '/users', { userName: 'q@corp.com', displayName: 'Q', phoneNumbers: [{ type: 'work', value: '+13175550100' }] });
    assert.equal(ok.status, 201);
  });

  it('bumps the version on every write and honours If-Match with 400 invalidVers', async () => {
    const u = await h.createUser({ userName: 'v@corp.com', displayName: 'V' });
    const p1 = await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'Agent' }), { 'If-Match': '"1"' });
    assert.equal(p1.status, 200);
    assert.equal(p1.body.meta.version, '"2"');
    assert.equal(p1.res.headers.get('etag'), '"2"');
    const stale = await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'Lead' }), { 'If-Match': '"1"' });
    assert.equal(stale.status, 400);
    assert.equal(stale.body.scimType, 'invalidVers');
    assert.equal(stale.body.status, '400');
    const put = await h.json('PUT', `/users/${u.id}`, { userName: 'v@corp.com', displayName: 'V2' }, { 'If-Match': '"2"' });
    assert.equal(put.status, 200);
    assert.equal(put.body.meta.version, '"3"');
    assert.equal(put.body.title, undefined, 'PUT replaces: title is gone');
    const del = await h.req('DELETE', `/users/${u.id}`, undefined, { 'If-Match': '"2"' });
    assert.equal(del.status, 400);
    const del2 = await h.req('DELETE', `/users/${u.id}`, undefined, { 'If-Match': '"3"' });
    assert.equal(del2.status, 204);
    const gone = await h.json('GET', `/users/${u.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.status, '404');
    assert.equal(h.sim.users().length, 0, 'DELETE is a hard delete');
  });

  it('answers 304 to If-None-Match with the current version', async () => {
    const u = await h.createUser({ userName: 'n@corp.com', displayName: 'N' });
    const same = await h.req('GET', `/users/${u.id}`, undefined, { 'If-None-Match': '"1"' });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get('etag'), '"1"');
    h.sim.touchUser(u.id);
    const changed = await h.req('GET', `/users/${u.id}`, undefined, { 'If-None-Match': '"1"' });
    assert.equal(changed.status, 200);
    assert.equal(changed.headers.get('etag'), '"2"');
  });

  it('answers a duplicate userName with 409 uniqueness by default, case-insensitively, on POST, PUT and PATCH', async () => {
    await h.createUser({ userName: 'dup@corp.com', displayName: 'D' });
    const other = await h.createUser({ userName: 'other@corp.com', displayName: 'O' });
    const post = await h.json('POST', '/users', { userName: 'DUP@corp.com', displayName: 'D2' });
    assert.equal(post.status, 409);
    assert.equal(post.body.scimType, 'uniqueness');
    const pat = await h.json('PATCH', `/users/${other.id}`, patch({ op: 'replace', path: 'userName', value: 'dup@corp.com' }));
    assert.equal(pat.status, 409);
    const put = await h.json('PUT', `/users/${other.id}`, { userName: 'dup@corp.com', displayName: 'O' });
    assert.equal(put.status, 409);
  });

  it('answers a duplicate userName with 400 uniqueness when configured', async () => {
    const h2 = await Harness.start({ duplicateUserName: '400' });
    try {
      await h2.createUser({ userName: 'dup@corp.com', displayName: 'D' });
      const post = await h2.json('POST', '/users', { userName: 'dup@corp.com', displayName: 'D2' });
      assert.equal(post.status, 400);
      assert.equal(post.body.scimType, 'uniqueness');
    } finally {
      await h2.close();
    }
  });

  it('lists active users only when unfiltered; filters include inactive users unless they say active', async () => {
    const a = await h.createUser({ userName: 'a@corp.com', displayName: 'A', externalId: 'hr-1' });
    const b = await h.createUser({ userName: 'b@corp.com', displayName: 'B', externalId: 'hr-2', active: false });
    const all = await h.json('GET', '/users');
    assert.equal(all.body.totalResults, 1);
    assert.deepEqual(all.body.Resources.map((u: { id: string }) => u.id), [a.id]);
    assert.deepEqual(all.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    const byExt = await h.json('GET', filterQuery('externalId eq "hr-2"'));
    assert.deepEqual(byExt.body.Resources.map((u: { id: string }) => u.id), [b.id]);
    const inactive = await h.json('GET', filterQuery('active eq false'));
    assert.deepEqual(inactive.body.Resources.map((u: { id: string }) => u.id), [b.id]);
    const activeOnly = await h.json('GET', filterQuery('externalId eq "hr-2" and active eq true'));
    assert.equal(activeOnly.body.totalResults, 0);
  });

  it('with filteredListsActiveOnly, filtered lists hide inactive users unless the filter names active', async () => {
    await h.createUser({ userName: 'a@corp.com', displayName: 'A', externalId: 'hr-1' });
    const b = await h.createUser({ userName: 'b@corp.com', displayName: 'B', externalId: 'hr-2', active: false });
    h.sim.setStrict({ filteredListsActiveOnly: true });
    const ids = async (f: string) => ((await h.json('GET', filterQuery(f))).body.Resources as Array<{ id: string }>).map((x) => x.id);
    assert.deepEqual(await ids('externalId eq "hr-2"'), []);
    assert.deepEqual(await ids('userName eq "b@corp.com" or externalId eq "hr-2"'), []);
    assert.deepEqual(await ids('externalId eq "hr-2" and active eq false'), [b.id]);
    assert.deepEqual(await ids('(externalId eq "hr-1" or externalId eq "hr-2") and active eq false'), [b.id]);
  });

  it('joins eq filters with or (undocumented on Genesys: accepted unless noOrFilters), within and around and', async () => {
    const a = await h.createUser({ userName: 'a@corp.com', displayName: 'A', externalId: 'hr-1', [ENT]: { employeeNumber: '7' } });
    const b = await h.createUser({ userName: 'b@corp.com', displayName: 'B', externalId: 'hr-2', active: false });
    const ids = async (f: string) => ((await h.json('GET', filterQuery(f))).body.Resources as Array<{ id: string }>).map((x) => x.id).sort();
    assert.deepEqual(await ids('externalId eq "hr-1" or externalId eq "hr-2" or externalId eq "hr-9"'), [a.id, b.id].sort());
    assert.deepEqual(await ids('employeeNumber eq "7" or userName eq "B@corp.com"'), [a.id, b.id].sort());
    assert.deepEqual(await ids('(externalId eq "hr-1" or externalId eq "hr-2") and active eq false'), [b.id]);
    assert.deepEqual(await ids('externalId eq "hr-1" and active eq true or userName eq "nobody@corp.com"'), [a.id]);
    h.sim.setStrict({ noOrFilters: true });
    const refused = await h.json('GET', filterQuery('externalId eq "hr-1" or externalId eq "hr-2"'));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.scimType, 'invalidFilter');
    assert.deepEqual(await ids('externalId eq "hr-2" and active eq false'), [b.id], '`and` still answers');
    // Counted by filter shape, values masked, URNs dropped.
    const byFilter = h.sim.stats().byFilter;
    assert.equal(byFilter['GET /users externalId eq "…" or externalId eq "…" 400'], 1, JSON.stringify(byFilter));
    assert.equal(byFilter['GET /users externalId eq "…" and active eq false 200'], 1, JSON.stringify(byFilter));
    await ids(`${ENT}:employeeNumber eq "7"`);
    assert.equal(h.sim.stats().byFilter['GET /users employeeNumber eq "…" 200'], 1);
  });

  it('filters on userName (case-insensitive, quotes and apostrophes), email, employeeNumber, manager and division', async () => {
    const boss = await h.createUser({ userName: 'boss@corp.com', displayName: 'Boss', [ENT]: { employeeNumber: '100', division: 'Home' } });
    const odd = `o'brien"x@corp.com`;
    const u = await h.createUser({
      userName: odd,
      displayName: "Pat O'Brien",
      emails: [{ type: 'work', value: 'pat.work@corp.com' }],
      [ENT]: { employeeNumber: '200', manager: { value: boss.id }, division: 'Home' },
    });
    const ids = async (f: string) => ((await h.json('GET', filterQuery(f))).body.Resources as Array<{ id: string }>).map((x) => x.id);
    // JSON.stringify is how scim2-parse-filter's stringify escapes a value.
    assert.deepEqual(await ids(`userName eq ${JSON.stringify(odd)}`), [u.id]);
    assert.deepEqual(await ids(`userName eq ${JSON.stringify(odd.toUpperCase())}`), [u.id]);
    assert.deepEqual(await ids('email eq "PAT.work@corp.com"'), [u.id]);
    assert.deepEqual(await ids('emails.value eq "pat.work@corp.com"'), [u.id]);
    assert.deepEqual(await ids('employeeNumber eq "200"'), [u.id]);
    assert.deepEqual(await ids(`${ENT}:employeeNumber eq "100"`), [boss.id]);
    assert.deepEqual(await ids(`manager eq "${boss.id}"`), [u.id]);
    assert.deepEqual((await ids('division eq "Home"')).sort(), [boss.id, u.id].sort());
    assert.deepEqual(await ids(`id eq "${boss.id}"`), [boss.id]);
    assert.deepEqual(await ids(`division eq "Home" and employeeNumber eq "100"`), [boss.id]);
    assert.deepEqual(await ids(`${GEN}:externalIds[authority eq "x-pc:scimv2:v1" and value eq "${u.id}"]`), [u.id]);
    assert.deepEqual(await ids('userName eq "nobody@corp.com"'), []);
    const slashed = await h.createUser({ userName: 'back\\slash\\@corp.com', displayName: 'Back Slash' });
    assert.deepEqual(await ids(`userName eq ${JSON.stringify('back\\slash\\@corp.com')}`), [slashed.id]);
  });

  it('answers 400 invalidFilter to unsupported or malformed filters', async () => {
    for (const f of ['displayName co "A"', 'userName eq "a" or title eq "b"', 'title eq "x"', 'userName eq', 'not (userName eq "a")']) {
      const r = await h.json('GET', filterQuery(f));
      assert.equal(r.status, 400, f);
      assert.equal(r.body.scimType, 'invalidFilter', f);
    }
  });

  it('pages with 1-based startIndex, default count 25 and a maximum of 100', async () => {
    const users = Array.from({ length: 130 }, (_, i) => ({ userName: `u${String(i).padStart(3, '0')}@corp.com`, displayName: `U${i}` }));
    const h2 = await Harness.start({ users });
    try {
      const first = await h2.json('GET', '/users');
      assert.equal(first.body.totalResults, 130);
      assert.equal(first.body.itemsPerPage, 25);
      assert.equal(first.body.startIndex, 1);
      assert.equal(first.body.Resources[0].userName, 'u000@corp.com');
      const second = await h2.json('GET', '/users?startIndex=26&count=10');
      assert.equal(second.body.Resources[0].userName, 'u025@corp.com');
      assert.equal(second.body.itemsPerPage, 10);
      const big = await h2.json('GET', '/users?count=500');
      assert.equal(big.body.itemsPerPage, 100);
      const last = await h2.json('GET', '/users?startIndex=121&count=100');
      assert.equal(last.body.itemsPerPage, 10);
    } finally {
      await h2.close();
    }
  });

  it('with strictLargePages, answers 429 to pages over 25 unless the heavy attributes are excluded', async () => {
    const h2 = await Harness.start({ strictLargePages: true });
    try {
      const heavy = await h2.req('GET', '/users?count=50');
      assert.equal(heavy.status, 429);
      assert.ok(heavy.headers.get('retry-after'));
      assert.equal((await h2.req('GET', '/users?count=25')).status, 200);
      const light = await h2.req('GET', `/users?count=50&excludedAttributes=externalId,roles,${GEN}:routingSkills,${GEN}:routingLanguages`);
      assert.equal(light.status, 200);
    } finally {
      await h2.close();
    }
  });

  it('supports attributes and excludedAttributes, always returning id, userName, active and meta', async () => {
    const u = await h.createUser({ userName: 'x@corp.com', displayName: 'X', title: 'T', externalId: 'e', [ENT]: { department: 'D', employeeNumber: '9' } });
    const only = await h.json('GET', `/users/${u.id}?attributes=displayName,${ENT}:department`);
    assert.equal(only.body.displayName, 'X');
    assert.equal(only.body.title, undefined);
    assert.deepEqual(only.body[ENT], { department: 'D' });
    assert.equal(only.body.userName, 'x@corp.com');
    assert.equal(only.body.active, true);
    assert.ok(only.body.meta);
    const ex = await h.json('GET', `/users?excludedAttributes=externalId,roles,${GEN},${ENT}:department,userName`);
    const r = ex.body.Resources[0];
    assert.equal(r.externalId, undefined);
    assert.equal(r[GEN], undefined);
    assert.deepEqual(r[ENT], { employeeNumber: '9' });
    assert.equal(r.userName, 'x@corp.com');
  });

  it('serves discovery endpoints case-insensitively and says bulk is unsupported', async () => {
    const spc = await h.json('GET', '/ServiceProviderConfig');
    assert.equal(spc.status, 200);
    assert.equal(spc.body.bulk.supported, false);
    assert.equal(spc.body.etag.supported, true);
    const rt = await h.json('GET', '/resourcetypes');
    assert.deepEqual(rt.body.Resources.map((r: { id: string }) => r.id), ['User', 'Group']);
    const schemas = await h.json('GET', '/schemas');
    assert.ok(schemas.body.Resources.some((s: { id: string }) => s.id === GEN));
    const users = await h.json('GET', '/Users');
    assert.equal(users.status, 200);
    const bulk = await h.json('POST', '/bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] });
    assert.equal(bulk.status, 404);
  });

  it('answers 403 naming the missing permission', async () => {
    const h2 = await Harness.start({ deniedPermissions: ['directory:user:add'] });
    try {
      const r = await h2.json('POST', '/users', { userName: 'a@corp.com', displayName: 'A' });
      assert.equal(r.status, 403);
      assert.equal(r.body.status, '403');
      assert.match(r.body.detail, /missing permission: directory:user:add/i);
      h2.sim.setDeniedPermissions([]);
      assert.equal((await h2.json('POST', '/users', { userName: 'a@corp.com', displayName: 'A' })).status, 201);
    } finally {
      await h2.close();
    }
  });
});

describe('SCIM simulator: users (scim2 mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ mode: 'scim2' });
  });
  afterEach(async () => h.close());

  it('stores name, answers a version mismatch with 412 and lists inactive users too', async () => {
    const u = await h.createUser({ userName: 's@corp.com', displayName: 'S', name: { givenName: 'S', familyName: 'T' }, active: false });
    assert.deepEqual(u.name, { givenName: 'S', familyName: 'T' });
    assert.equal(u.meta.version, 'W/"1"');
    assert.equal(u.meta.location, `${h.sim.scimBaseUrl}/Users/${u.id}`);
    const stale = await h.json('PATCH', `/Users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'If-Match': 'W/"7"' });
    assert.equal(stale.status, 412);
    const ok = await h.json('PATCH', `/Users/${u.id}`, patch({ op: 'replace', path: 'name.givenName', value: 'Sam' }), { 'If-Match': 'W/"1"' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.name.givenName, 'Sam');
    const list = await h.json('GET', '/Users');
    assert.equal(list.body.totalResults, 1);
  });

  it('answers filters outside the indexed set by scanning', async () => {
    await h.createUser({ userName: 'a@corp.com', displayName: 'Alpha' });
    await h.createUser({ userName: 'b@corp.com', displayName: 'Beta' });
    const r = await h.json('GET', filterQuery('displayName sw "Al" or userName eq "b@corp.com"'));
    assert.equal(r.status, 200);
    assert.equal(r.body.totalResults, 2);
  });
});
