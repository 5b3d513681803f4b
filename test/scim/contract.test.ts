import assert from 'node:assert/strict';
import {
  ScimForbiddenError,
  ScimInvalidRequestError,
  ScimNotFoundError,
  ScimUniquenessError,
  ScimVersionConflictError,
  type ScimClient,
} from '../../src/scim';
import { URN } from '../../src/scim/model/schemas/urns';
import { eq } from '../../src/scim/model/types/filter';
import { allUsers, deactivate } from '../support/scim-users';
import { clientFor, rejectionOf, startSim, uniqueUserName, type Sim } from './helpers';

/**
 * One contract, two targets: the simulator as Genesys Cloud (OAuth, lowercase paths, 400 invalidVers,
 * no name, no /Bulk) and as a generic RFC 7644 server (static bearer, 412, name, /Bulk).
 */
for (const mode of ['genesys', 'scim2'] as const) {
  describe(`scim client contract (${mode})`, function () {
    let sim: Sim;
    let client: ScimClient;

    before(async () => {
      sim = await startSim({ mode, groups: ['Sales', 'Support'] });
      client = clientFor(sim);
    });
    after(async () => sim.close());

    async function newUser(extra: Record<string, unknown> = {}) {
      const userName = (extra.userName as string) ?? uniqueUserName(mode);
      return client.createUser({ userName, displayName: `Display ${userName}`, ...extra } as never);
    }

    it('discovers what the target can do', async () => {
      const caps = await client.discover();
      assert.equal(caps.patch, true);
      assert.equal(caps.etag, true);
      if (mode === 'genesys') assert.equal(caps.bulk.supported, false);
      else {
        assert.equal(caps.bulk.supported, true);
        assert.ok(caps.bulk.maxOperations > 0 && caps.bulk.maxPayloadSize > 0);
      }
    });

    it('creates and reads a user with its version, and a newer version once someone changed it', async () => {
      const created = await newUser({ title: 'Agent', externalId: `ext-${mode}-1` });
      assert.ok(created.user.id);
      assert.match(created.version ?? '', /"/);
      const got = await client.getUser(created.user.id);
      assert.equal(got.user.title, 'Agent');
      assert.equal(got.version, created.version);
      sim.touchUser(created.user.id, { title: 'Lead' });
      const again = await client.getUser(created.user.id);
      assert.equal(again.user.title, 'Lead');
      assert.notEqual(again.version, got.version);
    });

    it('strips name on Genesys and keeps it on a generic target', async () => {
      const created = await newUser({ name: { givenName: 'Ada', familyName: 'Lovelace' } });
      const stored = sim.users().find((u) => u.id === created.user.id);
      assert.ok(stored);
      if (mode === 'genesys') {
        assert.equal(client.profile.supportsName, false);
        assert.equal(stored.name, undefined);
      } else {
        assert.equal(client.profile.supportsName, true);
        assert.equal(stored.name?.givenName, 'Ada');
      }
    });

    it("finds a user whose userName has quotes and an apostrophe (o'brien\"x)", async () => {
      const userName = `o'brien"x.${mode}@corp.com`;
      const created = await newUser({ userName });
      const found = await client.findUsers({ by: 'userName', value: userName });
      assert.deepEqual(found.map((u) => u.id), [created.user.id]);
      assert.deepEqual(await client.findUsers({ by: 'userName', value: `o'brien.${mode}@corp.com` }), []);
    });

    it('finds by externalId, employeeNumber and email, inactive users included', async () => {
      const userName = uniqueUserName('lookup');
      const created = await newUser({
        userName,
        externalId: `E-${mode}-42`,
        emails: [{ value: userName, type: 'work', primary: true }],
        [URN.enterpriseUser]: { employeeNumber: `N-${mode}-42`, department: 'Sales' },
      });
      await deactivate(client, created.user.id, { ifMatch: created.version });
      for (const [by, value] of [['externalId', `E-${mode}-42`], ['employeeNumber', `N-${mode}-42`], ['email', userName], ['userName', userName]] as const) {
        const found = await client.findUsers({ by, value });
        assert.deepEqual(found.map((u) => [u.id, u.active]), [[created.user.id, false]], `by ${by}`);
      }
    });

    it('lists page by page, and iterates all users (the inactive ones by asking for them)', async () => {
      const prefix = `page-${mode}`;
      const made = [];
      for (let i = 0; i < 7; i += 1) made.push(await newUser({ userName: uniqueUserName(prefix) }));
      await deactivate(client, made[0].user.id);
      const page = await client.listUsers({ startIndex: 1, count: 3 });
      assert.equal(page.Resources.length, 3);
      assert.ok(page.totalResults >= 6);
      // As the snapshot reads them: every user listed, then `active eq false` (on Genesys a plain list hides them).
      const all = [...(await allUsers(client, { count: 4 })), ...(await allUsers(client, { count: 4, filter: eq('active', false) }))];
      const ids = [...new Map(all.map((u) => [u.id, u])).keys()];
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.deepEqual(new Set(ids), new Set(sim.users().map((u) => u.id)), 'every user, inactive included');
      const pages = [];
      for await (const p of client.iterateUserPages({ count: 4 })) pages.push(p);
      assert.ok(pages.length >= 2);
      assert.equal(pages[1].startIndex, pages[0].nextStartIndex);
      const activeOnly = pages.flatMap((p) => p.users.map((u) => u.id));
      if (mode === 'genesys') assert.ok(!activeOnly.includes(made[0].user.id), 'a plain Genesys list hides inactive users');
    });

    it('patches with If-Match, and reports a version conflict in the target dialect', async () => {
      const created = await newUser();
      const patched = await client.patchUser(created.user.id, [{ op: 'replace', path: 'title', value: 'Supervisor' }], { ifMatch: created.version });
      assert.equal(patched.user.title, 'Supervisor');
      assert.notEqual(patched.version, created.version);
      sim.touchUser(created.user.id, { title: 'Changed by an admin' });
      const err = await rejectionOf(client.patchUser(created.user.id, [{ op: 'replace', path: 'title', value: 'Mine' }], { ifMatch: patched.version }));
      assert.ok(err instanceof ScimVersionConflictError, String(err));
      assert.equal(err.kind, 'version-conflict');
      assert.equal(err.status, mode === 'genesys' ? 400 : 412);
      if (mode === 'genesys') assert.equal(err.scimType, 'invalidVers');
      const deactErr = await rejectionOf(deactivate(client, created.user.id, { ifMatch: created.version }));
      assert.ok(deactErr instanceof ScimVersionConflictError);
    });

    it('reports uniqueness for a duplicate userName', async () => {
      const created = await newUser();
      const err = await rejectionOf(newUser({ userName: created.user.userName }));
      assert.ok(err instanceof ScimUniquenessError, String(err));
      assert.equal(err.kind, 'uniqueness');
      assert.equal(err.status, 409);
    });

    it('reports not-found', async () => {
      const err = await rejectionOf(client.getUser('no-such-user'));
      assert.ok(err instanceof ScimNotFoundError);
      assert.equal(err.status, 404);
      assert.ok(await rejectionOf(client.patchUser('no-such-user', [{ op: 'replace', path: 'title', value: 'x' }])) instanceof ScimNotFoundError);
    });

    it('reports a rejected request with its scimType and detail', async () => {
      const err = await rejectionOf(client.listUsers({ filter: 'userName eq' }));
      assert.ok(err instanceof ScimInvalidRequestError, String(err));
      assert.equal(err.scimType, 'invalidFilter');
      assert.ok(err.detail);
    });

    it('names the missing permission on 403', async () => {
      const created = await newUser();
      const group = await client.findGroupByDisplayName('Sales');
      assert.ok(group);
      const cases: Array<[string, () => Promise<unknown>]> = [
        ['directory:user:add', () => newUser()],
        ['directory:user:edit', () => client.patchUser(created.user.id, [{ op: 'replace', path: 'title', value: 'x' }])],
        ['directory:group:edit', () => client.patchGroupMembers(group.id, { add: [created.user.id] })],
      ];
      try {
        for (const [permission, call] of cases) {
          sim.setDeniedPermissions([permission]);
          const err = await rejectionOf(call());
          assert.ok(err instanceof ScimForbiddenError, `${permission}: ${String(err)}`);
          assert.equal(err.status, 403);
          assert.ok(err.message.includes(permission), err.message);
        }
      } finally {
        sim.setDeniedPermissions([]);
      }
    });

    it('adds and removes group members through PATCH /groups/{id}', async () => {
      const a = await newUser();
      const b = await newUser();
      const group = await client.findGroupByDisplayName('Support');
      assert.ok(group);
      const { group: g0, version: v0 } = await client.getGroup(group.id);
      assert.equal(g0.displayName, 'Support');
      const added = await client.patchGroupMembers(group.id, { add: [a.user.id, b.user.id] }, { ifMatch: v0 });
      const members = () => (sim.groups().find((g) => g.id === group.id)?.members ?? []).map((m) => m.value).sort();
      assert.deepEqual(members(), [a.user.id, b.user.id].sort());
      await client.patchGroupMembers(group.id, { remove: [a.user.id] }, { ifMatch: added.version });
      assert.deepEqual(members(), [b.user.id]);
      const stale = await rejectionOf(client.patchGroupMembers(group.id, { remove: [b.user.id] }, { ifMatch: v0 }));
      assert.ok(stale instanceof ScimVersionConflictError, String(stale));
      const before = sim.stats().total;
      await client.patchGroupMembers(group.id, {});
      assert.equal(sim.stats().total, before, 'nothing to change: no request');
      assert.equal(await client.findGroupByDisplayName('No such group'), undefined);
    });

    it('counts the API calls it made', async () => {
      const before = client.stats();
      await client.listUsers({ count: 1 });
      await client.listUsers({ count: 1 });
      const after = client.stats();
      assert.equal(after.apiCalls - before.apiCalls, 2);
      assert.equal(after.rateLimited, 0);
    });
  });
}
