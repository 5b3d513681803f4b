/**
 * What a second independent SCIM 2.0 server (Better Auth's SCIM plugin, @better-auth/scim, as shipped; see
 * test/support/betterauth-scim.mjs) really does, asked through hrsync's own ScimClient where it can be.
 * These tests record its behaviour: if a new version of the packages behaves differently, they fail, and
 * the product's assumptions about generic targets need a look.
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
  ScimNotFoundError,
  ScimUniquenessError,
  type Filter,
  type ScimClient,
} from '../../src/scim';
import { ScimFilterRefusedError } from '../../src/scim/client';
import { decideTarget, type Discovered } from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES } from '../../src/domain/mapping/config';
import type { NewUser, User } from '../../src/scim/model/resources/user';
import { startBetterAuthScim } from '../support/betterauth-scim';
import type { IndependentScim } from '../support/independent-scim';
import { allUsers } from '../support/scim-users';
import { CORE, ENT, numberedUsers, rawHttp, rejection, type Loose } from '../support/record';


describe('independent SCIM server (Better Auth SCIM plugin): what it really does', function () {
  this.timeout(30_000);
  let server: IndependentScim;
  let client: ScimClient;

  before(async () => {
    server = await startBetterAuthScim({ groups: ['Sales', 'Support'] });
    client = createScimClient({ profile: 'scim2', baseUrl: server.baseUrl, bearerToken: server.bearerToken, rateLimitPerMinute: null });
  });
  after(async () => server?.stop());

  const raw = rawHttp(() => server);
  const { newUser, create } = numberedUsers(() => client);

  describe('discovery', () => {
    it('ServiceProviderConfig: patch and filter (maxResults 100) supported; bulk, sort, etag and changePassword not', async () => {
      const caps = await client.discover();
      assert.equal(caps.patch, true);
      assert.deepEqual(caps.filter, { supported: true, maxResults: 100 });
      assert.deepEqual(caps.bulk, { supported: false, maxOperations: 0, maxPayloadSize: 0 });
      assert.equal(caps.sort, false);
      assert.equal(caps.etag, false);
      assert.equal(caps.serviceProviderConfig?.changePassword?.supported, false);
      assert.deepEqual(caps.serviceProviderConfig?.authenticationSchemes?.map((s) => s.type), ['oauthbearertoken']);
      assert.equal((await raw('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] })).status, 404, 'and there is no /Bulk');
    });

    it('ResourceTypes: User (enterprise extension, optional) and Group', async () => {
      const r = await raw('GET', '/ResourceTypes');
      assert.equal(r.status, 200);
      const byId = Object.fromEntries(r.body.Resources.map((t: Loose) => [t.id, t]));
      assert.deepEqual(Object.keys(byId).sort(), ['Group', 'User']);
      assert.equal(byId.User.endpoint, '/Users');
      assert.deepEqual(byId.User.schemaExtensions, [{ schema: ENT, required: false }]);
      assert.equal(byId.Group.endpoint, '/Groups');
      assert.equal(byId.Group.schemaExtensions, undefined);
    });

    it('Schemas: a subset of RFC 7643 User (no nickName, groups, password, x509...), EnterpriseUser without dateHire, Group with members', async () => {
      const r = await raw('GET', '/Schemas');
      const byId = Object.fromEntries(r.body.Resources.map((s: Loose) => [s.id, s]));
      assert.deepEqual(Object.keys(byId).sort(), [ENT, 'urn:ietf:params:scim:schemas:core:2.0:Group', CORE].sort());
      const attrs = (id: string) => Object.fromEntries(byId[id].attributes.map((a: Loose) => [a.name, a.mutability]));
      assert.deepEqual(Object.keys(attrs(CORE)), [
        'userName', 'displayName', 'active', 'name', 'emails', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone',
        'phoneNumbers', 'addresses', 'roles', 'entitlements',
      ]);
      assert.ok(Object.values(attrs(CORE)).every((m) => m === 'readWrite'));
      assert.deepEqual(Object.keys(attrs(ENT)), ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
      assert.deepEqual(Object.keys(attrs('urn:ietf:params:scim:schemas:core:2.0:Group')), ['displayName', 'members']);
      assert.equal(byId[CORE].attributes.find((a: Loose) => a.name === 'userName').uniqueness, 'server');
    });

    it('the decision from its discovery: enterprise extension listed, every default attribute of the generic profile written', async () => {
      const caps = await client.discover();
      const decide = (d: Discovered) => decideTarget({ discovered: d, profile: 'scim2', managed: [...DEFAULT_MANAGED_ATTRIBUTES], entries: [] });
      const read = decide(caps);
      assert.deepEqual(read.extensions, { listed: [{ schema: ENT, required: false }] });
      assert.deepEqual(read.attributes.unsupported, []);
    });

    it('accepts only the bearer token it was configured with', async () => {
      const res = await fetch(`${server.baseUrl}/Users`, { headers: { Authorization: 'Bearer not-the-token' } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as Loose).status, '401');
    });
  });

  describe('users: create, read, list', () => {
    it('creates and reads back what it declares, enterprise department and employeeNumber, title and phoneNumbers included; drops dateHire; no meta.version', async () => {
      const sent = newUser({ [ENT]: { employeeNumber: 'E-dh', department: 'Ops', dateHire: '2020-01-02' } });
      const created = await client.createUser(sent);
      assert.equal(created.user.title, 'Agent');
      assert.deepEqual(created.user.phoneNumbers, sent.phoneNumbers);
      assert.deepEqual(created.user[ENT], { employeeNumber: 'E-dh', department: 'Ops' }, 'dateHire is not an enterprise attribute here');
      assert.equal(created.user.meta?.version, undefined);
      assert.equal(created.version, undefined, 'nor an ETag header');
      const got = await client.getUser(created.user.id);
      assert.deepEqual(got.user, created.user);
    });

    it('fills what it was not given: name.formatted and displayName from userName, a primary email from userName', async () => {
      const r = await raw('POST', '/Users', { schemas: [CORE], userName: 'bare@corp.example' });
      assert.equal(r.status, 201);
      assert.equal(r.body.displayName, 'bare@corp.example');
      assert.deepEqual(r.body.name, { formatted: 'bare@corp.example' });
      assert.deepEqual(r.body.emails, [{ value: 'bare@corp.example', primary: true }]);
      assert.equal(r.body.active, true);
    });

    it('refuses the enterprise extension without its URN in schemas: 400 invalidValue naming body.schemas (the client adds the URN whenever it sends the extension)', async () => {
      const r = await raw('POST', '/Users', { ...newUser(), schemas: [CORE] });
      assert.equal(r.status, 400);
      assert.equal(r.body.scimType, 'invalidValue');
      assert.match(r.body.detail, /^\[body\.schemas\] The Enterprise User extension requires/);
    });

    it('answers a duplicate userName (case-insensitively) or externalId 409 uniqueness; a deleted user\'s are free again', async () => {
      const u = await create();
      const dup = await rejection(client.createUser(newUser({ userName: u.userName.toUpperCase() })));
      assert.ok(dup instanceof ScimUniquenessError, String(dup));
      assert.equal(dup.status, 409);
      assert.equal(dup.detail, 'SCIM User userName already exists');
      const dupX = await rejection(client.createUser(newUser({ externalId: u.externalId })));
      assert.ok(dupX instanceof ScimUniquenessError, String(dupX));
      assert.equal(dupX.detail, 'SCIM User externalId already exists');
      assert.equal((await raw('DELETE', `/Users/${u.id}`)).status, 204);
      assert.ok((await rejection(client.getUser(u.id))) instanceof ScimNotFoundError);
      const again = await client.createUser(newUser({ userName: u.userName, externalId: u.externalId }));
      assert.notEqual(again.user.id, u.id, 'a new user, not the deleted one back');
    });

    it('pages with startIndex/count: itemsPerPage is the page length; a count over maxResults is not refused', async () => {
      for (let i = 0; i < 3; i++) await create();
      const total = (await client.listUsers({ count: 0 })).totalResults;
      assert.ok(total >= 3);
      const page = await client.listUsers({ startIndex: 2, count: 2, attributes: ['userName'] });
      assert.equal(page.totalResults, total);
      assert.equal(page.startIndex, 2);
      assert.equal(page.Resources.length, 2);
      assert.equal(page.itemsPerPage, 2);
      assert.equal((await raw('GET', '/Users?count=500&attributes=userName')).status, 200);
      const everyone = await allUsers(client, { count: 2 });
      assert.equal(everyone.length, total);
      assert.equal(new Set(everyone.map((u) => u.id)).size, total);
    });

    it('lists inactive users with the active ones', async () => {
      const off = await create({ active: false });
      const everyone = await allUsers(client, { count: 100 });
      assert.equal(everyone.find((u) => u.id === off.id)?.active, false);
    });
  });

  describe('filters: `eq` on id, userName, externalId or emails, joined by `and`; nothing else', () => {
    let ann: User;
    let bob: User;
    before(async () => {
      ann = await create({ userName: 'ann.filter@corp.example', externalId: 'hr-ann', emails: [{ type: 'work', value: 'ann.mail@corp.example', primary: true }], [ENT]: { employeeNumber: 'E-ann', department: 'Ops' } });
      bob = await create({ userName: 'bob.filter@corp.example', externalId: 'hr-bob', active: false });
    });
    const ids = async (filter: Filter | string) => (await client.listUsers({ filter, count: 100 })).Resources.map((u) => u.id);
    const refused = async (filter: Filter | string, detail: string | RegExp) => {
      const e = await rejection(client.listUsers({ filter }));
      assert.ok(e instanceof ScimInvalidRequestError, `${String(filter)}: ${String(e)}`);
      assert.equal(e.status, 400);
      assert.equal(e.scimType, 'invalidFilter');
      if (typeof detail === 'string') assert.equal(e.detail, detail);
      else assert.match(e.detail ?? '', detail);
    };

    it('externalId eq: honoured, inactive users included (findUsers by externalId works)', async () => {
      assert.deepEqual((await client.findUsers({ by: 'externalId', value: 'hr-bob' })).map((u) => u.id), [bob.id]);
      assert.deepEqual(await ids(eq('externalId', 'hr-ann')), [ann.id]);
    });

    it('userName eq: honoured, case-insensitively (caseExact false)', async () => {
      assert.deepEqual(await ids(eq('userName', 'ann.filter@corp.example')), [ann.id]);
      assert.deepEqual(await ids(eq('userName', 'ANN.filter@corp.example')), [ann.id]);
    });

    it('emails eq: emails.value and emails[type eq "work"].value are honoured (findUsers by email works)', async () => {
      assert.deepEqual(await ids('emails.value eq "ann.mail@corp.example"'), [ann.id]);
      assert.deepEqual(await ids('emails[type eq "work"].value eq "ann.mail@corp.example"'), [ann.id]);
      assert.deepEqual((await client.findUsers({ by: 'email', value: 'ann.mail@corp.example' })).map((u) => u.id), [ann.id]);
    });

    it('or: refused 400 invalidFilter (its parser reads the rest as the first term\'s value); the client says so as a joined refusal', async () => {
      await refused(or(eq('externalId', 'hr-ann'), eq('externalId', 'hr-bob')), 'filter equality value must be a valid quoted JSON string');
      const e = await rejection(client.findUsersWhere([{ by: 'externalId', value: 'hr-bob' }, { by: 'userName', value: 'ann.filter@corp.example' }]));
      assert.ok(e instanceof ScimFilterRefusedError, String(e));
      assert.equal(e.joined, true);
    });

    it('active: refused 400 invalidFilter alone and in `and active eq false`', async () => {
      await refused(eq('active', false), 'filter attribute active is not supported for User');
      await refused(and(eq('externalId', 'hr-bob'), eq('active', false)), /^filter /);
      const e = await rejection(client.findUsersWhere([{ by: 'externalId', value: 'hr-bob' }], { inactive: true }));
      assert.ok(e instanceof ScimFilterRefusedError, String(e));
      assert.equal(e.combined, true);
    });

    it('enterprise employeeNumber: refused 400 invalidFilter, URN-prefixed or short (findUsers by employeeNumber cannot work)', async () => {
      await refused(eq(`${ENT}:employeeNumber`, 'E-ann'), `filter attribute ${ENT}:employeeNumber is not supported for User`);
      await refused(eq('employeeNumber', 'E-ann'), 'filter attribute employeeNumber is not supported for User');
      assert.ok((await rejection(client.findUsers({ by: 'employeeNumber', value: 'E-ann' }))) instanceof ScimFilterRefusedError);
    });

    it('and of attributes it answers: honoured (but not with active, above)', async () => {
      assert.deepEqual(await ids(and(eq('externalId', 'hr-ann'), eq('userName', 'ann.filter@corp.example'))), [ann.id]);
      assert.deepEqual(await ids(and(eq('externalId', 'hr-ann'), eq('userName', 'bob.filter@corp.example'))), []);
    });

    it('id eq: honoured', async () => {
      assert.deepEqual(await ids(eq('id', ann.id)), [ann.id]);
    });

    it('other operators and unparseable filters: 400 invalidFilter', async () => {
      await refused('userName co "ann"', 'filter operator co is not supported');
      await refused('bogus', 'filter must use the form attribute eq "value"');
    });
  });

  describe('PATCH', () => {
    let boss: User;
    before(async () => {
      boss = await create();
    });

    it('add, replace and remove on core and enterprise attributes, value-path emails and phoneNumbers, the manager, and no-path active: false', async () => {
      const u = await create();
      let r = await client.patchUser(u.id, [
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
        { op: 'add', path: `${ENT}:manager`, value: { value: boss.id } },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'moved@corp.example' },
        { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+13175559999' },
      ]);
      assert.equal(r.user.title, 'Lead');
      assert.equal(r.user[ENT]?.department, 'Sales');
      assert.deepEqual(r.user[ENT]?.manager, { value: boss.id });
      assert.deepEqual(r.user.emails, [{ type: 'work', value: 'moved@corp.example', primary: true }]);
      assert.deepEqual(r.user.phoneNumbers, [{ type: 'work', value: '+13175559999' }]);
      r = await client.patchUser(u.id, [
        { op: 'remove', path: 'title' },
        { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
        { op: 'remove', path: `${ENT}:department` },
        { op: 'remove', path: `${ENT}:manager` },
      ]);
      assert.equal(r.user.title, undefined);
      assert.equal(r.user.phoneNumbers, undefined);
      assert.deepEqual(r.user[ENT], { employeeNumber: u[ENT]?.employeeNumber, division: 'Home' });
      r = await client.patchUser(u.id, [{ op: 'replace', value: { active: false, [ENT]: { department: 'Support' } } }]);
      assert.equal(r.user.active, false);
      assert.equal(r.user[ENT]?.department, 'Support');
      r = await client.patchUser(u.id, [{ op: 'replace', path: 'active', value: true }]);
      assert.equal(r.user.active, true, 'and back (a rehire)');
    });

    it('an attribute it does not declare (dateHire, nickName): 400 invalidPath naming the path, and nothing of the PATCH is applied', async () => {
      const u = await create();
      for (const path of [`${ENT}:dateHire`, 'nickName']) {
        const e = await rejection(client.patchUser(u.id, [
          { op: 'replace', path: 'title', value: 'Changed' },
          { op: 'replace', path, value: '2021-01-01' },
        ]));
        assert.ok(e instanceof ScimInvalidRequestError, String(e));
        assert.equal(e.status, 400);
        assert.equal(e.scimType, 'invalidPath');
        assert.equal(e.detail, `User PATCH path ${path} is not supported`);
      }
      assert.equal(((await client.getUser(u.id)) as { user: User }).user.title, 'Agent');
    });

    it('a userName another user holds: 409 uniqueness', async () => {
      const u = await create();
      const e = await rejection(client.patchUser(u.id, [{ op: 'replace', path: 'userName', value: boss.userName }]));
      assert.ok(e instanceof ScimUniquenessError, String(e));
    });

    it('PUT replaces the whole user: what it leaves out is gone', async () => {
      const u = await create();
      const r = await raw('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, externalId: u.externalId, active: true });
      assert.equal(r.status, 200);
      assert.equal(r.body.title, undefined);
      assert.equal(r.body[ENT], undefined);
      assert.equal(r.body.displayName, u.userName);
    });
  });

  describe('groups and membership', () => {
    it('group PATCH adds and removes members; re-adding one is a no-op; an unknown id fails the whole PATCH 400 invalidValue', async () => {
      const a = await create();
      const b = await create();
      const sales = await client.findGroupByDisplayName('Sales', { withMembers: true });
      assert.ok(sales);
      const members = async () => (await client.getGroup(sales.id)).group.members?.map((m) => m.value);
      await client.patchGroupMembers(sales.id, { add: [a.id, b.id] });
      assert.deepEqual(await members(), [a.id, b.id]);
      await client.patchGroupMembers(sales.id, { add: [a.id] });
      assert.deepEqual(await members(), [a.id, b.id]);
      const e = await rejection(client.patchGroupMembers(sales.id, { add: [a.id, 'no-such-user'] }));
      assert.ok(e instanceof ScimInvalidRequestError, String(e));
      assert.equal(e.scimType, 'invalidValue');
      assert.equal(e.detail, 'One or more Group members are invalid');
      await client.patchGroupMembers(sales.id, { remove: [a.id] });
      assert.deepEqual(await members(), [b.id]);
      const listed = (await client.getGroup(sales.id)).group.members?.[0] as Loose;
      assert.equal(listed.type, 'User');
      assert.equal(listed.$ref, `${server.baseUrl}/Users/${b.id}`);
    });

    it('users never carry groups', async () => {
      const u = await create();
      const support = (await client.findGroupByDisplayName('Support', { withMembers: true }))!;
      await client.patchGroupMembers(support.id, { add: [u.id] });
      assert.equal((await raw('GET', `/Users/${u.id}`)).body.groups, undefined);
    });

    it('deleting a user takes it out of its groups', async () => {
      const u = await create();
      const support = (await client.findGroupByDisplayName('Support', { withMembers: true }))!;
      await client.patchGroupMembers(support.id, { add: [u.id] });
      assert.equal((await raw('DELETE', `/Users/${u.id}`)).status, 204);
      assert.ok(!(await client.getGroup(support.id)).group.members?.some((m) => m.value === u.id));
    });

    it('excludedAttributes=members leaves the members out of a group list', async () => {
      const r = await raw('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Support"')}&excludedAttributes=members`);
      assert.equal(r.body.totalResults, 1);
      assert.equal(r.body.Resources[0].members, undefined);
    });
  });

  describe('versions', () => {
    it('no ETag header and no meta.version; If-Match with any value is ignored on PATCH and DELETE', async () => {
      const u = await create();
      const r = await raw('GET', `/Users/${u.id}`);
      assert.equal(r.etag, null);
      assert.equal(r.body.meta.version, undefined);
      const patched = await client.patchUser(u.id, [{ op: 'replace', path: 'title', value: 'Stale' }], { ifMatch: 'W/"999"' });
      assert.equal(patched.user.title, 'Stale');
      assert.equal((await raw('DELETE', `/Users/${u.id}`, undefined, { 'If-Match': 'W/"999"' })).status, 204);
    });
  });
});

describe('independent SCIM server (Better Auth): the harness', function () {
  this.timeout(30_000);
  it('counts requests by method, leaves its own reads out, and frees its ports on stop', async () => {
    const server = await startBetterAuthScim({ groups: ['Only'] });
    try {
      assert.deepEqual(server.stats(), { byMethod: {}, total: 0 }, 'seeding the groups is not counted');
      const client = createScimClient({ profile: 'scim2', baseUrl: server.baseUrl, bearerToken: server.bearerToken, rateLimitPerMinute: null });
      const u = await client.createUser({ schemas: [CORE], userName: 'h@corp.example', displayName: 'H', active: false } as NewUser);
      await client.patchUser(u.user.id, [{ op: 'replace', path: 'title', value: 'T' }]);
      await client.listUsers();
      assert.deepEqual(server.stats(), { byMethod: { POST: 1, PATCH: 1, GET: 1 }, total: 3 });
      assert.deepEqual((await server.users()).map((x) => [x.userName, x.active]), [['h@corp.example', false]], 'inactive users too');
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
