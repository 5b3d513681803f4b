import { strict as assert } from 'node:assert';
import { parseStrictList } from '../../../sim/scim/options';
import { ENT, filterQuery, GEN, Harness, Loose, patch, PATCH_OP } from './helpers';

const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('SCIM simulator: strictness switches', () => {
  let h: Harness;
  let boss: Record<string, Loose>;
  let ann: Record<string, Loose>;
  beforeEach(async () => {
    h = await Harness.start({ groups: ['Sales'] });
    boss = await h.createUser({ userName: 'boss@corp.com', displayName: 'Boss', [ENT]: { employeeNumber: 'E1' } });
    ann = await h.createUser({
      userName: 'ann@corp.com',
      displayName: 'Ann',
      title: 'Agent',
      externalId: 'hr-2',
      phoneNumbers: [{ type: 'work', value: '+13175550100' }],
      [ENT]: { employeeNumber: 'E2', department: 'Ops', division: 'Home', dateHire: '2020-01-02', manager: { value: boss.id } },
    });
  });
  afterEach(async () => h.close());

  const strict = async (body: Record<string, unknown>) => {
    const res = await h.admin('POST', 'strict', body);
    assert.equal(res.status, 200, await res.text());
  };
  const list = (f: string) => h.json('GET', filterQuery(f));
  const patchAnn = (...ops: Array<Record<string, unknown>>) => h.json('PATCH', `/users/${ann.id}`, patch(...ops));

  it('are all off by default, and the admin endpoint changes only the switches named, rejecting unknown ones', async () => {
    const before = (await (await h.admin('GET', 'strict')).json()) as Record<string, Loose>;
    assert.deepEqual(before, {
      noActiveFilter: false, noExtensionFilters: false, noAndFilters: false, noOrFilters: false, filteredListsActiveOnly: false, noDateHire: false, noGroupsOnUsers: false,
      refuseRemove: [], refuseRemoveScimType: 'mutability', terseErrors: false, noSchemas: false, discoveryShape: 'list', resourceTypes: 'listed', maxUrlLength: 0, patch: 'supported',
      requiredExtensions: 'unenforced', requiredAttributes: [],
    });
    await strict({ noActiveFilter: true });
    await strict({ refuseRemove: ['title'] });
    assert.equal(h.sim.strict().noActiveFilter, true);
    assert.deepEqual(h.sim.strict().refuseRemove, ['title']);
    const bad = await h.admin('POST', 'strict', { noActivFilter: true });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /noActivFilter/);
    assert.throws(() => h.sim.setStrict({ terseErrors: 'yes' as unknown as boolean }), /terseErrors/);
  });

  it('a required extension, held to by `schemas`, by object or both; its required attributes declared in /Schemas and held to', async () => {
    const user = (n: number, extra: Record<string, unknown> = {}) => ({ userName: `req${n}@corp.com`, displayName: `Req ${n}`, ...extra });
    const post = (body: Record<string, unknown>) => h.json('POST', '/users', body);
    await strict({ resourceTypes: 'required' });
    assert.equal((await post(user(1))).status, 201, 'unenforced: only said');
    const both = { schemas: [SCHEMA_URN, ENT, GEN], [ENT]: {}, [GEN]: {} };
    const plays: [string, Record<string, unknown>, number][] = [
      ['in-schemas', { schemas: [SCHEMA_URN, ENT, GEN] }, 201],
      ['in-schemas', { schemas: [SCHEMA_URN, ENT], [ENT]: {}, [GEN]: {} }, 400],
      ['as-object', { [ENT]: {}, [GEN]: {} }, 201],
      ['as-object', { schemas: [SCHEMA_URN, ENT, GEN], [ENT]: {} }, 400],
      ['both', { schemas: [SCHEMA_URN, ENT.toLowerCase(), GEN], [ENT.toLowerCase()]: {}, [GEN]: {} }, 201],
      ['both', { schemas: [SCHEMA_URN, ENT, GEN] }, 400],
    ];
    let n = 2;
    for (const [check, extra, status] of plays) {
      await strict({ requiredExtensions: check });
      const r = await post(user(n++, extra));
      assert.equal(r.status, status, `${check} ${JSON.stringify(extra)}: ${JSON.stringify(r.body)}`);
      if (status === 400) assert.equal(r.body.scimType, 'invalidValue');
    }
    await strict({ requiredAttributes: [`${ENT}:employeeNumber`] });
    const declared = (await h.json<{ Resources: { id: string; attributes: { name: string; required: boolean }[] }[] }>('GET', '/schemas')).body.Resources.find((s) => s.id === ENT);
    assert.equal(declared?.attributes.find((a) => a.name === 'employeeNumber')?.required, true);
    assert.equal(declared?.attributes.find((a) => a.name === 'department')?.required, false);
    const refused = await post(user(n++, both));
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.detail), /employeeNumber/);
    assert.equal((await post(user(n++, { ...both, [ENT]: { employeeNumber: 'E9' } }))).status, 201);
    assert.throws(() => h.sim.setStrict({ requiredExtensions: 'sometimes' as never }), /requiredExtensions/);
    assert.deepEqual(parseStrictList(`resourceTypes=required,requiredExtensions=both,requiredAttributes=${ENT}:employeeNumber`), { resourceTypes: 'required', requiredExtensions: 'both', requiredAttributes: [`${ENT}:employeeNumber`] });
  });

  it('noActiveFilter: any filter naming active is 400 invalidFilter; other filters still answer', async () => {
    assert.equal((await list('active eq false')).status, 200);
    await strict({ noActiveFilter: true });
    for (const f of ['active eq true', 'externalId eq "hr-2" and active eq false', `${SCHEMA_URN}:active eq false`]) {
      const r = await list(f);
      assert.equal(r.status, 400, f);
      assert.equal(r.body.scimType, 'invalidFilter');
    }
    const ok = await list('externalId eq "hr-2"');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.Resources.map((u: Loose) => u.id), [ann.id]);
  });

  it('noExtensionFilters: enterprise and Genesys attributes, short or URN-prefixed, are refused; core ones answer', async () => {
    assert.equal((await list('employeeNumber eq "E2"')).body.totalResults, 1);
    await strict({ noExtensionFilters: true });
    for (const f of [
      'employeeNumber eq "E2"',
      `${ENT}:employeeNumber eq "E2"`,
      `manager eq "${boss.id}"`,
      `${ENT}:manager.value eq "${boss.id}"`,
      'division eq "Home"',
      `${GEN}:externalIds[authority eq "x-pc:scimv2:v1" and value eq "${ann.id}"]`,
    ]) {
      const r = await list(f);
      assert.equal(r.status, 400, f);
      assert.equal(r.body.scimType, 'invalidFilter', f);
    }
    for (const f of ['userName eq "ann@corp.com"', 'externalId eq "hr-2"', `id eq "${ann.id}"`]) {
      const r = await list(f);
      assert.equal(r.status, 200, f);
      assert.equal(r.body.totalResults, 1, f);
    }
  });

  it('noAndFilters: and/or outside a value path is refused; and inside one, and single eq, still answer', async () => {
    assert.equal((await list('externalId eq "hr-2" and active eq true')).body.totalResults, 1);
    await strict({ noAndFilters: true });
    for (const f of ['externalId eq "hr-2" and active eq true', 'userName eq "a@x" or userName eq "b@x"']) {
      const r = await list(f);
      assert.equal(r.status, 400, f);
      assert.equal(r.body.scimType, 'invalidFilter');
    }
    const valuePath = await list(`${GEN}:externalIds[authority eq "x-pc:scimv2:v1" and value eq "${ann.id}"]`);
    assert.equal(valuePath.status, 200);
    assert.equal(valuePath.body.totalResults, 1);
    const groups = await h.json('GET', `/groups?filter=${encodeURIComponent('displayName eq "Sales" and id eq "x"')}`);
    assert.equal(groups.status, 400, 'group filters obey it too');
    assert.equal((await h.json('GET', `/groups?filter=${encodeURIComponent('displayName eq "Sales"')}`)).body.totalResults, 1);
  });

  it('noDateHire: schemas leave it out, a POST drops it and keeps the rest, a PATCH naming it is refused whole', async () => {
    const declared = async () => {
      const s = await h.json('GET', `/schemas/${ENT}`);
      return (s.body.attributes as Array<{ name: string }>).map((a) => a.name);
    };
    assert.ok((await declared()).includes('dateHire'));
    await strict({ noDateHire: true });
    assert.ok(!(await declared()).includes('dateHire'));

    const created = await h.createUser({ userName: 'new@corp.com', displayName: 'New', [ENT]: { department: 'Sales', dateHire: '2024-05-06' } });
    assert.deepEqual(created[ENT], { department: 'Sales' });

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ op: 'replace', path: `${ENT}:dateHire`, value: '2021-01-01' }, `${ENT}:dateHire`],
      [{ op: 'add', path: ENT, value: { dateHire: '2021-01-01' } }, `${ENT}:dateHire`],
      [{ op: 'replace', value: { [ENT]: { department: 'X', dateHire: '2021-01-01' } } }, `${ENT}:dateHire`],
      [{ op: 'remove', path: `${ENT.toLowerCase()}:datehire` }, `${ENT.toLowerCase()}:datehire`],
    ];
    for (const [op, named] of refusals) {
      const r = await patchAnn({ op: 'replace', path: 'title', value: 'Changed' }, op);
      assert.equal(r.status, 400, JSON.stringify(op));
      assert.equal(r.body.scimType, 'invalidPath');
      assert.equal(r.body.detail, `attribute "${named}" is not supported`);
    }
    const stored = h.sim.users().find((u) => u.id === ann.id)!;
    assert.equal(stored.title, 'Agent', 'nothing of a refused PATCH is applied');
    assert.equal(stored.meta?.version, '"1"', 'and the version is unchanged');
    const ok = await patchAnn({ op: 'replace', path: `${ENT}:department`, value: 'Sales' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body[ENT].department, 'Sales');
  });

  it('noGroupsOnUsers: user reads carry no groups, even when asked; the group still lists the member', async () => {
    const sales = h.sim.groups()[0];
    const add = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: ann.id }] }));
    assert.equal(add.status, 200);
    assert.deepEqual((await h.json('GET', `/users/${ann.id}`)).body.groups.map((g: Loose) => g.value), [sales.id]);
    await strict({ noGroupsOnUsers: true });
    assert.equal((await h.json('GET', `/users/${ann.id}`)).body.groups, undefined);
    assert.equal((await h.json('GET', `/users/${ann.id}?attributes=groups`)).body.groups, undefined);
    assert.equal((await list('userName eq "ann@corp.com"')).body.Resources[0].groups, undefined);
    const s = await h.json('GET', `/schemas/${SCHEMA_URN}`);
    assert.ok(!(s.body.attributes as Array<{ name: string }>).some((a) => a.name === 'groups'));
    const members = (await h.json('GET', `/groups/${sales.id}`)).body.members.map((m: Loose) => m.value);
    assert.deepEqual(members, [ann.id]);
    assert.deepEqual(h.sim.users().find((u) => u.id === ann.id)!.groups!.map((g) => g.value), [sales.id], 'the admin view still shows them');
    const onGroups = await patchAnn({ op: 'replace', path: 'groups', value: [] });
    assert.equal(onGroups.status, 400);
    assert.equal(onGroups.body.scimType, 'invalidPath', 'groups is no attribute of this server');
  });

  it('refuseRemove: remove on a listed attribute answers the chosen scimType naming the path; others are removed', async () => {
    await strict({ refuseRemove: ['title', 'phoneNumbers', 'department', 'manager'] });
    const paths = ['title', 'phoneNumbers[type eq "work"]', `${ENT}:department`, `${ENT}:manager`];
    for (const path of paths) {
      const r = await patchAnn({ op: 'replace', path: 'displayName', value: 'Ann B' }, { op: 'remove', path });
      assert.equal(r.status, 400, path);
      assert.equal(r.body.scimType, 'mutability');
      assert.equal(r.body.detail, `attribute "${path}" cannot be removed`);
    }
    assert.equal(h.sim.users().find((u) => u.id === ann.id)!.displayName, 'Ann', 'the refused PATCH applied nothing');
    const replace = await patchAnn({ op: 'replace', path: 'title', value: 'Lead' });
    assert.equal(replace.status, 200, 'replace is not remove');
    const removed = await patchAnn({ op: 'remove', path: `${ENT}:division` });
    assert.equal(removed.status, 200);
    assert.equal(removed.body[ENT].division, undefined);
    await strict({ refuseRemoveScimType: 'invalidPath' });
    assert.equal((await patchAnn({ op: 'remove', path: 'title' })).body.scimType, 'invalidPath');
  });

  it('terseErrors: a refusal names no attribute or path', async () => {
    await strict({ refuseRemove: ['title'], noDateHire: true, noActiveFilter: true });
    const named = await patchAnn({ op: 'remove', path: 'title' });
    assert.match(named.body.detail, /title/);
    await strict({ terseErrors: true });
    const checks = [
      await patchAnn({ op: 'remove', path: 'title' }),
      await patchAnn({ op: 'replace', path: `${ENT}:dateHire`, value: '2021-01-01' }),
      await list('active eq true'),
    ];
    for (const r of checks) {
      assert.equal(r.status, 400);
      assert.ok(!/title|dateHire|active|urn:/i.test(r.body.detail), r.body.detail);
    }
    assert.equal(checks[0].body.scimType, 'mutability');
    assert.equal(checks[1].body.scimType, 'invalidPath');
  });

  it('noSchemas: /schemas and /resourcetypes answer 404, /serviceproviderconfig still answers', async () => {
    assert.equal((await h.json('GET', '/schemas')).status, 200);
    await strict({ noSchemas: true });
    for (const path of ['/schemas', `/schemas/${ENT}`, '/resourcetypes', '/resourcetypes/User']) {
      const r = await h.json('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.status, '404');
    }
    assert.equal((await h.json('GET', '/serviceproviderconfig')).status, 200);
  });

  describe('resourceTypes: how the User resource type answers for its extensions', () => {
    const userType = async () => {
      const r = await h.json('GET', '/resourcetypes');
      assert.equal(r.status, 200);
      return Array.isArray(r.body) || r.body.Resources === undefined ? r.body : (r.body.Resources as Loose[]).find((t) => t.endpoint === '/users');
    };
    const listedSchemas = (t: Loose) => (t.schemaExtensions as Loose[] | undefined)?.map((e) => `${e.schema} ${e.required}`);

    it('listed (the default): both Genesys extensions, optional', async () => {
      assert.deepEqual(listedSchemas(await userType()), [`${ENT} false`, `${GEN} false`]);
    });

    it('no-enterprise: unlisted while /schemas describes it; a POST stores the rest, a PATCH naming it is refused whole', async () => {
      await strict({ resourceTypes: 'no-enterprise' });
      assert.deepEqual(listedSchemas(await userType()), [`${GEN} false`]);
      assert.equal((await h.json('GET', `/schemas/${ENT}`)).status, 200, 'the schema is still described');
      const created = await h.createUser({ userName: 'new@corp.com', displayName: 'New', title: 'T', [ENT]: { department: 'Sales' } });
      assert.equal(created[ENT], undefined);
      assert.equal(created.title, 'T');
      for (const op of [{ op: 'replace', path: `${ENT}:department`, value: 'X' }, { op: 'replace', value: { [ENT.toLowerCase()]: { department: 'X' } } }]) {
        const r = await patchAnn({ op: 'replace', path: 'title', value: 'Changed' }, op);
        assert.equal(r.status, 400, JSON.stringify(op));
        assert.equal(r.body.scimType, 'invalidPath');
        assert.match(String(r.body.detail), /does not extend with its schema/);
      }
      assert.equal(h.sim.users().find((u) => u.id === ann.id)?.title, 'Agent', 'nothing of a refused PATCH is applied');
      assert.equal((await patchAnn({ op: 'replace', path: 'title', value: 'Changed' })).status, 200, 'core attributes still are');
    });

    it('none, no-key, required, lowercase-urns, by-endpoint, single: the answers as named', async () => {
      await strict({ resourceTypes: 'none' });
      assert.deepEqual((await userType()).schemaExtensions, []);
      await strict({ resourceTypes: 'no-key' });
      assert.equal('schemaExtensions' in (await userType()), false);
      await strict({ resourceTypes: 'required' });
      assert.deepEqual(listedSchemas(await userType()), [`${ENT} true`, `${GEN} true`]);
      await strict({ resourceTypes: 'lowercase-urns' });
      assert.deepEqual(listedSchemas(await userType()), [`${ENT.toLowerCase()} false`, `${GEN.toLowerCase()} false`]);
      await strict({ resourceTypes: 'by-endpoint' });
      const bare = await userType();
      assert.deepEqual(Object.keys(bare).sort(), ['endpoint', 'schemaExtensions', 'schemas']);
      await strict({ resourceTypes: 'single' });
      const single = await userType();
      assert.equal(single.id, 'User');
      assert.equal(single.Resources, undefined);
    });

    it('refused-403, refused-404, refused-501: /resourcetypes answers that status, /schemas still answers', async () => {
      for (const status of [403, 404, 501]) {
        await strict({ resourceTypes: `refused-${status}` });
        const r = await h.json('GET', '/resourcetypes');
        assert.equal(r.status, status);
        assert.equal(r.body.status, String(status));
        assert.equal((await h.json('GET', '/schemas')).status, 200);
      }
      await assert.rejects(strict({ resourceTypes: 'refused-500' }));
    });
  });

  describe('patch: a target without PATCH', () => {
    const spcPatch = async () => (await h.json('GET', '/serviceproviderconfig')).body.patch.supported;
    it('supported (the default): declared and served', async () => {
      assert.equal(await spcPatch(), true);
      assert.equal((await patchAnn({ op: 'replace', path: 'title', value: 'A' })).status, 200);
    });
    for (const [answer, declared, status] of [['declared-unsupported', false, 501], ['undeclared-501', true, 501], ['undeclared-405', true, 405]] as const) {
      it(`${answer}: ServiceProviderConfig says ${declared}, PATCH on users and groups answers ${status} and changes nothing, PUT works`, async () => {
        await strict({ patch: answer });
        assert.equal(await spcPatch(), declared);
        const version = (await h.json('GET', `/users/${ann.id}`)).res.headers.get('etag');
        const r = await patchAnn({ op: 'replace', path: 'title', value: 'Patched' });
        assert.equal(r.status, status);
        if (status === 405) assert.equal(r.res.headers.get('allow'), 'GET, PUT, DELETE');
        const sales = h.sim.groups()[0];
        assert.equal((await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: ann.id }] }))).status, status);
        const after = await h.json('GET', `/users/${ann.id}`);
        assert.equal(after.res.headers.get('etag'), version, 'the refused PATCH wrote');
        const { meta: _m, groups: _g, ...rest } = after.body;
        const put = await h.json('PUT', `/users/${ann.id}`, { ...rest, title: 'Replaced' }, { 'If-Match': version as string });
        assert.equal(put.status, 200);
        assert.equal(put.body.title, 'Replaced');
        assert.equal((await h.json('PUT', `/users/${ann.id}`, { ...rest, title: 'Stale' }, { 'If-Match': version as string })).status, 400, 'a stale If-Match on PUT');
        const g = await h.json('GET', `/groups/${sales.id}`);
        const gput = await h.json('PUT', `/groups/${sales.id}`, { displayName: 'Sales', members: [{ value: ann.id }] }, { 'If-Match': g.res.headers.get('etag') as string });
        assert.equal(gput.status, 200);
        assert.deepEqual(h.sim.groups()[0].members?.map((m) => m.value), [ann.id]);
      });
    }
    it('is parsed from the command line and checked', async () => {
      assert.deepEqual(parseStrictList('patch=undeclared-405'), { patch: 'undeclared-405' });
      await assert.rejects(strict({ patch: 'sometimes' }));
    });
  });

  it('groupPatchMaxMembers: a group PATCH carrying more members values answers 400 tooMany and changes nothing', async () => {
    await h.close();
    h = await Harness.start({ groups: ['Sales'], groupPatchMaxMembers: 2 });
    const ids = [];
    for (const n of [1, 2, 3]) ids.push((await h.createUser({ userName: `u${n}@corp.com`, displayName: `U${n}` })).id);
    const sales = h.sim.groups()[0];
    const tooMany = await h.json('PATCH', `/groups/${sales.id}`, patch(
      { op: 'add', path: 'members', value: [{ value: ids[0] }, { value: ids[1] }] },
      { op: 'remove', path: `members[value eq "${ids[2]}"]` },
    ));
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.scimType, 'tooMany');
    assert.equal(h.sim.groups()[0].meta?.version, sales.meta?.version);
    const ok = await h.json('PATCH', `/groups/${sales.id}`, patch({ op: 'add', path: 'members', value: [{ value: ids[0] }, { value: ids[1] }] }));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.members.length, 2);
  });

  it('maxUrlLength: a request whose URL is longer answers 414 URI Too Long; a shorter one answers', async () => {
    const long = `userName eq "ann@corp.com" or ${Array.from({ length: 20 }, (_, i) => `userName eq "someone.${i}@corp.com"`).join(' or ')}`;
    assert.equal((await list(long)).status, 200);
    await strict({ maxUrlLength: 300 });
    const refused = await list(long);
    assert.equal(refused.status, 414);
    assert.match(String(refused.body.detail), /URI Too Long/);
    const short = await list('userName eq "ann@corp.com"');
    assert.equal(short.status, 200);
    assert.equal((short.body.Resources as Loose[]).length, 1);
    await assert.rejects(strict({ maxUrlLength: -1 }));
  });

  it('can be set at start', async () => {
    await h.close();
    h = await Harness.start({ strict: { noActiveFilter: true, refuseRemove: ['title'] } });
    assert.equal((await list('active eq true')).status, 400);
    await assert.rejects(Harness.start({ strict: { nope: true } as never }), /strict\.nope/);
  });
});

describe('SCIM simulator: hrsync sim --strict syntax', () => {
  it('reads switch names, refuseRemove=a+b and refuseRemoveScimType=..., and names what it rejects', () => {
    assert.deepEqual(parseStrictList('noActiveFilter, noDateHire,refuseRemove=title+department,refuseRemoveScimType=noTarget'), {
      noActiveFilter: true, noDateHire: true, refuseRemove: ['title', 'department'], refuseRemoveScimType: 'noTarget',
    });
    assert.throws(() => parseStrictList('noActiveFilters'), /noActiveFilters/);
    assert.throws(() => parseStrictList('refuseRemoveScimType=nope'), /refuseRemoveScimType/);
    assert.throws(() => parseStrictList('noSchemas=false'), /noSchemas takes no value/);
    assert.deepEqual(parseStrictList('discoveryShape=core-only'), { discoveryShape: 'core-only' });
    assert.throws(() => parseStrictList('discoveryShape=xml'), /discoveryShape must be one of list, bare-array/);
    assert.deepEqual(parseStrictList('resourceTypes=no-enterprise'), { resourceTypes: 'no-enterprise' });
    assert.throws(() => parseStrictList('resourceTypes=some'), /resourceTypes must be one of listed, no-enterprise/);
    assert.deepEqual(parseStrictList('maxUrlLength=2000'), { maxUrlLength: 2000 });
    assert.throws(() => parseStrictList('maxUrlLength=long'), /maxUrlLength/);
  });
});

describe('SCIM simulator: strictness in /Bulk (scim2 mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ mode: 'scim2', strict: { noDateHire: true, refuseRemove: ['title'] } });
  });
  afterEach(async () => h.close());

  it('applies the same rules per operation', async () => {
    const u = await h.json('POST', '/Users', { userName: 'a@corp.com', displayName: 'A', title: 'T' });
    const op = (Operations: unknown[]) => ({ method: 'PATCH', path: `/Users/${u.body.id}`, data: { schemas: [PATCH_OP], Operations } });
    const r = await h.json('POST', '/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        op([{ op: 'replace', path: `${ENT}:dateHire`, value: '2020-01-01' }]),
        op([{ op: 'remove', path: 'title' }]),
        op([{ op: 'replace', path: `${ENT}:department`, value: 'Ops' }]),
      ],
    });
    assert.equal(r.status, 200);
    const results = r.body.Operations as Array<Record<string, Loose>>;
    assert.deepEqual(results.map((x) => x.status), ['400', '400', '200']);
    assert.equal(results[0].response.scimType, 'invalidPath');
    assert.equal(results[0].response.detail, `attribute "${ENT}:dateHire" is not supported`);
    assert.equal(results[1].response.scimType, 'mutability');
    const stored = h.sim.users()[0];
    assert.equal(stored.title, 'T');
    assert.deepEqual(stored[ENT], { department: 'Ops' });
  });
});
