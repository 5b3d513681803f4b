/**
 * What an independent SCIM 2.0 server (scimmy + scimmy-routers, as shipped) really does, asked through
 * hrsync's own ScimClient where it can be. These tests record its behaviour: if a new version of the
 * packages behaves differently, they fail, and the product's assumptions about generic targets need a look.
 */
import { strict as assert } from 'node:assert';
import net from 'node:net';
import fetch from 'node-fetch';
import {
  createScimClient,
  eq,
  and,
  or,
  ScimInvalidRequestError,
  ScimTransientError,
  ScimUniquenessError,
  type Filter,
  type ScimClient,
} from '../../src/scim';
import { decideTarget, type Discovered } from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES } from '../../src/domain/mapping/config';
import type { NewUser, User } from '../../src/scim/model/resources/user';
import { startIndependentScim, type IndependentScim } from '../support/independent-scim';
import { allUsers } from '../support/scim-users';
import { CORE, ENT, numberedUsers, rawHttp, rejection, type Loose } from '../support/record';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('independent SCIM server (scimmy): what it really does', () => {
  let server: IndependentScim;
  let client: ScimClient;

  before(async () => {
    server = await startIndependentScim({ groups: ['Sales', 'Support'] });
    client = createScimClient({ profile: 'scim2', baseUrl: server.baseUrl, bearerToken: server.bearerToken, rateLimitPerMinute: null });
  });
  after(async () => server.stop());

  const raw = rawHttp(() => server);
  const { newUser, create } = numberedUsers(() => client);

  describe('discovery', () => {
    it('ServiceProviderConfig: patch, bulk (1000 ops, 1 MiB), filter (maxResults 200) and sort supported; etag and changePassword not', async () => {
      const caps = await client.discover();
      assert.deepEqual(caps.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
      assert.equal(caps.patch, true);
      assert.deepEqual(caps.filter, { supported: true, maxResults: 200 });
      assert.equal(caps.sort, true);
      assert.equal(caps.etag, false);
      assert.equal(caps.serviceProviderConfig?.changePassword?.supported, false);
      assert.deepEqual(caps.serviceProviderConfig?.authenticationSchemes?.map((s) => s.type), ['oauthbearertoken']);
    });

    it('ResourceTypes: User (enterprise extension, optional) and Group', async () => {
      const r = await raw('GET', '/ResourceTypes');
      assert.equal(r.status, 200);
      const byId = Object.fromEntries(r.body.Resources.map((t: Loose) => [t.id, t]));
      assert.deepEqual(Object.keys(byId).sort(), ['Group', 'User']);
      assert.equal(byId.User.endpoint, '/Users');
      assert.deepEqual(byId.User.schemaExtensions, [{ schema: ENT, required: false }]);
      assert.equal(byId.Group.endpoint, '/Groups');
    });

    it('its /ResourceTypes is read: the User type extends with the enterprise schema, and the decision is the one /Schemas alone gave', async () => {
      const caps = await client.discover();
      const decide = (d: Discovered) => decideTarget({ discovered: d, profile: 'scim2', managed: [...DEFAULT_MANAGED_ATTRIBUTES], entries: [] });
      const read = decide(caps);
      assert.deepEqual(read.extensions, { listed: [{ schema: ENT, required: false }] });
      assert.deepEqual(read.attributes, decide({ schemas: caps.schemas }).attributes, 'what /Schemas alone decided');
      assert.deepEqual(read.attributes.unsupported, [], 'every default attribute the generic profile has is written');
    });

    it('Schemas: RFC 7643 core User (groups read-only) and EnterpriseUser without dateHire', async () => {
      const r = await raw('GET', '/Schemas');
      const byId = Object.fromEntries(r.body.Resources.map((s: Loose) => [s.id, s]));
      const attrs = (id: string) => Object.fromEntries(byId[id].attributes.map((a: Loose) => [a.name, a.mutability]));
      const user = attrs(CORE);
      assert.equal(user.userName, 'readWrite');
      assert.equal(user.groups, 'readOnly');
      assert.equal(user.password, 'writeOnly');
      for (const a of ['name', 'displayName', 'title', 'active', 'emails', 'phoneNumbers', 'roles']) assert.equal(user[a], 'readWrite', a);
      assert.deepEqual(Object.keys(attrs(ENT)), ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
      assert.ok(byId['urn:ietf:params:scim:schemas:core:2.0:Group']);
      const one = await raw('GET', `/Schemas/${ENT}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.id, ENT);
    });

    it('accepts only the bearer token it was started with', async () => {
      const res = await fetch(`${server.baseUrl}/Users`, { headers: { Authorization: 'Bearer not-the-token' } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as Loose).status, '401');
    });
  });

  describe('users: create, read, list', () => {
    it('creates and reads back what it declares; drops enterprise dateHire silently; meta.version counts writes', async () => {
      const sent = newUser({ [ENT]: { employeeNumber: 'E-dh', department: 'Ops', dateHire: '2020-01-02' } });
      const created = await client.createUser(sent);
      assert.equal(created.user.userName, sent.userName);
      assert.deepEqual(created.user[ENT], { employeeNumber: 'E-dh', department: 'Ops' }, 'dateHire is not an enterprise attribute here');
      assert.equal(created.user.meta?.version, 'W/"1"');
      const got = await client.getUser(created.user.id);
      assert.deepEqual(got.user, created.user);
    });

    it('answers a duplicate userName 409 uniqueness, case-insensitively, and a deleted user\'s userName is free again', async () => {
      const u = await create();
      const dup = await rejection(client.createUser(newUser({ userName: u.userName.toUpperCase() })));
      assert.ok(dup instanceof ScimUniquenessError, String(dup));
      assert.equal(dup.status, 409);
      assert.equal(dup.scimType, 'uniqueness');
      assert.equal((await raw('DELETE', `/Users/${u.id}`)).status, 204);
      const again = await client.createUser(newUser({ userName: u.userName }));
      assert.notEqual(again.user.id, u.id, 'a new user, not the deleted one back');
    });

    it('pages with startIndex/count, but itemsPerPage echoes the count asked (default 20), not the page length', async () => {
      for (let i = 0; i < 3; i++) await create();
      const total = (await client.listUsers({ count: 0 })).totalResults;
      assert.ok(total >= 3);
      const page = await client.listUsers({ startIndex: 2, count: 2, attributes: ['userName'] });
      assert.equal(page.totalResults, total);
      assert.equal(page.startIndex, 2);
      assert.equal(page.Resources.length, 2);
      const all = await raw('GET', '/Users?attributes=userName');
      assert.equal(all.body.itemsPerPage, 20);
      assert.equal(all.body.Resources.length, Math.min(total, 20));
      const wide = await raw('GET', '/Users?count=500&attributes=userName');
      assert.equal(wide.body.itemsPerPage, 500, 'filter.maxResults 200 is not enforced on count');
      const everyone = await allUsers(client, { count: 2 });
      assert.equal(everyone.length, total);
      assert.equal(new Set(everyone.map((u) => u.id)).size, total);
    });
  });

  describe('filters', () => {
    let ann: User;
    let bob: User;
    before(async () => {
      ann = await create({ userName: 'ann.filter@corp.example', externalId: 'hr-ann', [ENT]: { employeeNumber: 'E-ann', department: 'Ops' } });
      bob = await create({ userName: 'bob.filter@corp.example', externalId: 'hr-bob', active: false });
    });
    const ids = async (filter: Filter | string) =>
      (await client.listUsers({ filter, count: 100 })).Resources.map((u) => u.id);

    it('active eq true / false: accepted and honoured', async () => {
      const active = await ids(eq('active', true));
      const inactive = await ids(eq('active', false));
      assert.ok(active.includes(ann.id) && !active.includes(bob.id));
      assert.ok(inactive.includes(bob.id) && !inactive.includes(ann.id));
    });

    it('externalId eq: accepted and honoured (findUsers by externalId works)', async () => {
      assert.deepEqual((await client.findUsers({ by: 'externalId', value: 'hr-bob' })).map((u) => u.id), [bob.id]);
    });

    it('userName eq: accepted, but compared case-sensitively (caseExact false is not honoured)', async () => {
      assert.deepEqual(await ids(eq('userName', 'ann.filter@corp.example')), [ann.id]);
      assert.deepEqual(await ids(eq('userName', 'ANN.filter@corp.example')), []);
    });

    it('enterprise employeeNumber eq: accepted (200) but matches nobody, URN-prefixed or short', async () => {
      assert.deepEqual(await ids(eq(`${ENT}:employeeNumber`, 'E-ann')), []);
      assert.deepEqual(await ids(eq('employeeNumber', 'E-ann')), []);
      assert.deepEqual(await client.findUsers({ by: 'employeeNumber', value: 'E-ann' }), [], 'so a lookup by employeeNumber silently finds nothing');
    });

    it('and: accepted and honoured', async () => {
      assert.deepEqual(await ids(and(eq('externalId', 'hr-ann'), eq('active', true))), [ann.id]);
      assert.deepEqual(await ids(and(eq('externalId', 'hr-bob'), eq('active', true))), []);
    });

    it('or: accepted and honoured (a delta asks several employees in one query)', async () => {
      assert.deepEqual((await ids(or(eq('externalId', 'hr-ann'), eq('externalId', 'hr-bob'), eq('externalId', 'hr-nobody')))).sort(), [ann.id, bob.id].sort());
      const found = await client.findUsersWhere([{ by: 'externalId', value: 'hr-bob' }, { by: 'userName', value: 'ann.filter@corp.example' }]);
      assert.deepEqual(found.map((u) => u.id).sort(), [ann.id, bob.id].sort());
    });

    it('a filter into a complex or multi-valued attribute fails 400 invalidValue once any user lacks that attribute', async () => {
      await create({ emails: undefined, userName: 'no.email@corp.example' });
      for (const filter of ['emails.value eq "ann.filter@corp.example"', 'emails[type eq "work"].value eq "ann.filter@corp.example"']) {
        const e = await rejection(client.listUsers({ filter }));
        assert.ok(e instanceof ScimInvalidRequestError, `${filter}: ${String(e)}`);
        assert.equal(e.status, 400);
        assert.equal(e.scimType, 'invalidValue');
      }
    });

    it('an unparseable filter answers 500, not 400 invalidFilter', async () => {
      const e = await rejection(client.listUsers({ filter: 'bogus' }));
      assert.ok(e instanceof ScimTransientError, String(e));
      assert.equal(e.status, 500);
    });
  });

  describe('PATCH', () => {
    let boss: User;
    before(async () => {
      boss = await create();
    });

    it('add, replace and remove on core and enterprise attributes, including the manager', async () => {
      const u = await create();
      let r = await client.patchUser(u.id, [
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
        { op: 'add', path: `${ENT}:manager`, value: { value: boss.id } },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'moved@corp.example' },
      ]);
      assert.equal(r.user.title, 'Lead');
      assert.equal(r.user[ENT]?.department, 'Sales');
      assert.deepEqual(r.user[ENT]?.manager, { value: boss.id });
      assert.deepEqual(r.user.emails, [{ type: 'work', value: 'moved@corp.example', primary: true }]);
      r = await client.patchUser(u.id, [
        { op: 'remove', path: 'title' },
        { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
        { op: 'remove', path: `${ENT}:department` },
        { op: 'remove', path: `${ENT}:manager` },
      ]);
      assert.equal(r.user.title, undefined);
      assert.equal(r.user.phoneNumbers, undefined);
      assert.deepEqual(r.user[ENT], { employeeNumber: u[ENT]?.employeeNumber, division: 'Home' });
      assert.equal(r.user.meta?.version, 'W/"3"');
      r = await client.patchUser(u.id, [{ op: 'replace', value: { active: false, [ENT]: { department: 'Support' } } }]);
      assert.equal(r.user.active, false);
      assert.equal(r.user[ENT]?.department, 'Support');
    });

    it('dateHire: 400 invalidPath naming the path and the operation, and nothing of the PATCH is applied', async () => {
      const u = await create();
      const e = await rejection(client.patchUser(u.id, [
        { op: 'replace', path: 'title', value: 'Changed' },
        { op: 'replace', path: `${ENT}:dateHire`, value: '2021-01-01' },
      ]));
      assert.ok(e instanceof ScimInvalidRequestError, String(e));
      assert.equal(e.status, 400);
      assert.equal(e.scimType, 'invalidPath');
      assert.equal(e.detail, `Invalid path '${ENT}:dateHire' for 'replace' op of operation 2 in PatchOp request body`);
      const after = (await client.getUser(u.id)) as { user: User };
      assert.equal(after.user.title, 'Agent');
      assert.equal(after.user.meta?.version, 'W/"1"');
    });

    it('dateHire in a no-path value: 400 invalidPath naming the extension URN, not dateHire', async () => {
      const u = await create();
      const e = await rejection(client.patchUser(u.id, [{ op: 'replace', value: { title: 'X', [ENT]: { dateHire: '2021-01-01' } } }]));
      assert.equal(e.scimType, 'invalidPath');
      assert.equal(e.detail, `Invalid attribute path '${ENT}' in supplied value for 'replace' op of operation 1 in PatchOp request body`);
    });

    it('a PATCH that changes nothing (or only read-only groups) answers 204 with no body, yet still writes the store', async () => {
      const u = await create();
      for (const Operations of [
        [{ op: 'replace', path: 'title', value: 'Agent' }],
        [{ op: 'remove', path: 'nickName' }],
        [{ op: 'replace', path: 'groups', value: [] }],
      ]) {
        const r = await raw('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations });
        assert.equal(r.status, 204, JSON.stringify(Operations));
        assert.equal(r.body, undefined);
      }
      const after = (await client.getUser(u.id)) as { user: User };
      assert.equal(after.user.meta?.version, 'W/"4"', 'scimmy hands each of the three to the store');
      assert.equal(after.user.title, 'Agent');
    });
  });

  describe('groups and membership', () => {
    it('group PATCH adds and removes members; add does not de-duplicate and takes any value; users never carry groups', async () => {
      const a = await create();
      const b = await create();
      const sales = await client.findGroupByDisplayName('Sales', { withMembers: true });
      assert.ok(sales);
      const members = async () => (await client.getGroup(sales.id)).group.members?.map((m) => m.value);
      await client.patchGroupMembers(sales.id, { add: [a.id, b.id] });
      assert.deepEqual(await members(), [a.id, b.id]);
      await client.patchGroupMembers(sales.id, { add: [a.id, 'no-such-user'] });
      assert.deepEqual(await members(), [a.id, b.id, a.id, 'no-such-user']);
      await client.patchGroupMembers(sales.id, { remove: [a.id, 'no-such-user'] });
      assert.deepEqual(await members(), [b.id], 'a value-path remove takes every copy');
      for (const path of [`/Users/${b.id}`, `/Users/${b.id}?attributes=groups`]) {
        assert.equal((await raw('GET', path)).body.groups, undefined, path);
      }
      const listed = await client.listUsers({ filter: eq('externalId', b.externalId!) });
      assert.equal(listed.Resources[0].groups, undefined);
    });

    it('deleting a user leaves it in the groups that list it', async () => {
      const u = await create();
      const support = (await client.findGroupByDisplayName('Support', { withMembers: true }))!;
      await client.patchGroupMembers(support.id, { add: [u.id] });
      assert.equal((await raw('DELETE', `/Users/${u.id}`)).status, 204);
      const after = (await client.getGroup(support.id)).group;
      assert.ok(after.members?.some((m) => m.value === u.id));
    });
  });

  describe('replace (PUT), as hrsync does on a target without PATCH', () => {
    it('a mover replaced: department, title and manager changed, the work phone removed, the rest kept', async () => {
      const boss = await create();
      const u = await create({ nickName: 'Kept' });
      const current = await client.getUser(u.id);
      const r = await client.replaceUser(
        u.id,
        [
          { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
          { op: 'replace', path: 'title', value: 'Lead' },
          { op: 'add', path: `${ENT}:manager`, value: { value: boss.id } },
          { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
        ],
        { ifMatch: current.version },
      );
      const read = (await client.getUser(u.id)).user;
      for (const got of [r.user, read]) {
        assert.equal(got.title, 'Lead');
        assert.equal(got[ENT]?.department, 'Sales');
        assert.deepEqual(got[ENT]?.manager?.value, boss.id);
        assert.equal(got.phoneNumbers, undefined);
        assert.equal(got.nickName, 'Kept');
        assert.equal(got[ENT]?.employeeNumber, u[ENT]?.employeeNumber);
        assert.deepEqual(got.emails, u.emails);
      }
      // What a plan holds is meta.version from a list; a read's ETag here is a hash of the body: the same version.
      const listed = (await client.listUsers({ filter: eq('externalId', u.externalId!) })).Resources[0];
      const off = await client.replaceUser(u.id, [{ op: 'replace', path: 'active', value: false }], { ifMatch: listed.meta?.version });
      assert.equal(off.user.active, false);
    });

    it('a group replaced with its members changed', async () => {
      const a = await create();
      const b = await create();
      const support = (await client.findGroupByDisplayName('Support'))!;
      await client.replaceGroupMembers(support.id, { add: [a.id, b.id] });
      await client.replaceGroupMembers(support.id, { remove: [a.id] });
      const members = (await client.getGroup(support.id)).group.members?.map((m) => m.value) ?? [];
      assert.ok(members.includes(b.id) && !members.includes(a.id), JSON.stringify(members));
    });
  });

  describe('versions', () => {
    it('the ETag header is express\'s hash of the body, not meta.version; If-None-Match on it answers 304', async () => {
      const created = await client.createUser(newUser());
      const r = await raw('GET', `/Users/${created.user.id}`);
      assert.match(r.etag ?? '', /^W\/"[0-9a-f]+-[A-Za-z0-9+/]+"$/);
      assert.notEqual(r.etag, r.body.meta.version);
      assert.equal(created.version, (await raw('GET', `/Users/${created.user.id}`)).etag, 'the client keeps the ETag header as the version');
      assert.equal((await raw('GET', `/Users/${created.user.id}`, undefined, { 'If-None-Match': r.etag! })).status, 304);
      assert.equal((await raw('GET', `/Users/${created.user.id}`, undefined, { 'If-None-Match': r.body.meta.version })).status, 200);
    });

    it('If-Match is ignored: a stale version neither blocks a PATCH nor a DELETE', async () => {
      const u = await create();
      const patched = await client.patchUser(u.id, [{ op: 'replace', path: 'title', value: 'Stale' }], { ifMatch: 'W/"999"' });
      assert.equal(patched.user.title, 'Stale');
      const del = await raw('DELETE', `/Users/${u.id}`, undefined, { 'If-Match': 'W/"999"' });
      assert.equal(del.status, 204);
    });
  });

  describe('bulk', () => {
    it('runs creates and patches through /Bulk with per-operation statuses', async () => {
      const u = await create();
      const results = await client.bulk([
        client.bulkOperations.createUser(newUser(), 'new-1'),
        client.bulkOperations.patchUser(u.id, [{ op: 'replace', path: 'title', value: 'Bulk' }]),
        client.bulkOperations.patchUser(u.id, [{ op: 'replace', path: `${ENT}:dateHire`, value: '2020-01-01' }]),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['201', '200', '400']);
      assert.equal((results[2].response as Loose).scimType, 'invalidPath');
      assert.equal(((await client.getUser(u.id)) as { user: User }).user.title, 'Bulk');
    });
  });
});

describe('independent SCIM server: the harness', () => {
  it('counts requests by method, leaves its own reads out, and frees its port on stop', async () => {
    const server = await startIndependentScim({ groups: ['Only'] });
    try {
      assert.deepEqual(server.stats(), { byMethod: {}, total: 0 }, 'seeding the groups is not counted');
      const client = createScimClient({ profile: 'scim2', baseUrl: server.baseUrl, bearerToken: server.bearerToken, rateLimitPerMinute: null });
      const u = await client.createUser({ schemas: [CORE], userName: 'h@corp.example', displayName: 'H', active: false } as NewUser);
      await client.patchUser(u.user.id, [{ op: 'replace', path: 'title', value: 'T' }]);
      await client.listUsers();
      assert.deepEqual(server.stats(), { byMethod: { POST: 1, PATCH: 1, GET: 1 }, total: 3 });
      const users = await server.users();
      assert.deepEqual(users.map((x) => [x.userName, x.active]), [['h@corp.example', false]], 'inactive users too');
      assert.deepEqual((await server.groups()).map((g) => g.displayName), ['Only']);
      assert.equal(server.stats().total, 3);
      server.resetStats();
      assert.deepEqual(server.stats(), { byMethod: {}, total: 0 });
    } finally {
      await server.stop();
    }
    const port = Number(new URL(server.baseUrl).port);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => reject(new Error('still listening after stop')));
      socket.once('error', () => resolve());
    });
  });
});
