import { strict as assert } from 'node:assert';
import { Harness, patch, Loose } from './helpers';

describe('SCIM simulator: admin endpoints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ groups: ['Sales'] });
  });
  afterEach(async () => h.close());

  it('counts requests by method, status and normalised route, and counts writes', async () => {
    h.sim.resetStats();
    const u = await h.createUser({ userName: 'a@corp.com', displayName: 'A' });
    await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'x' }));
    await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'y' }), { 'If-Match': '"1"' });
    await h.json('GET', `/users/${u.id}`);
    await h.admin('GET', 'users');
    const stats = (await (await h.admin('GET', 'stats')).json()) as Record<string, Loose>;
    assert.equal(stats.total, 4);
    assert.deepEqual(stats.byMethod, { POST: 1, PATCH: 2, GET: 1 });
    assert.deepEqual(stats.byStatus, { '201': 1, '200': 2, '400': 1 });
    assert.deepEqual(stats.byRoute, { 'POST /users 201': 1, 'PATCH /users/:id 200': 1, 'PATCH /users/:id 400': 1, 'GET /users/:id 200': 1 });
    assert.equal(stats.writes, 3);
    assert.deepEqual(stats, h.sim.stats());
    assert.equal((await h.admin('POST', 'reset-stats')).status, 204);
    assert.equal(h.sim.stats().total, 0);
  });

  it('logs recent requests without any token', async () => {
    const u = await h.createUser({ userName: 'a@corp.com', displayName: 'A' });
    await h.json('GET', `/users/${u.id}`);
    const log = (await (await h.admin('GET', 'requests?limit=2')).json()) as Array<Record<string, unknown>>;
    assert.equal(log.length, 2);
    assert.equal(log[1].route, '/users/:id');
    assert.equal(log[1].path, `/api/v2/scim/v2/users/${u.id}`);
    assert.equal(log[1].status, 200);
    assert.equal(log[1].method, 'GET');
    const all = JSON.stringify(h.sim.requests(100));
    assert.ok(all.includes('/oauth/token'));
    assert.ok(!all.includes(h.token));
    assert.ok(!all.includes(h.sim.clientSecret));
    assert.ok(!/authorization/i.test(all));
  });

  it('shows every user, inactive included, and every group', async () => {
    await h.createUser({ userName: 'a@corp.com', displayName: 'A', active: false });
    const users = (await (await h.admin('GET', 'users')).json()) as Array<Record<string, unknown>>;
    assert.equal(users.length, 1);
    assert.equal(users[0].active, false);
    const groups = (await (await h.admin('GET', 'groups')).json()) as Array<Record<string, unknown>>;
    assert.deepEqual(groups.map((g) => g.displayName), ['Sales']);
    // Copies: changing them changes nothing in the simulator.
    const copy = h.sim.users();
    copy[0].userName = 'changed';
    assert.equal(h.sim.users()[0].userName, 'a@corp.com');
  });

  it('touches a user as a concurrent admin edit would', async () => {
    const u = await h.createUser({ userName: 'a@corp.com', displayName: 'A' });
    const res = await h.admin('POST', `users/${u.id}/touch`, { title: 'Edited by admin' });
    assert.equal(res.status, 200);
    const after = (await h.json('GET', `/users/${u.id}`)).body;
    assert.equal(after.title, 'Edited by admin');
    assert.equal(after.meta.version, '"2"');
    h.sim.touchUser(u.id);
    assert.equal((await h.json('GET', `/users/${u.id}`)).body.meta.version, '"3"');
    assert.equal((await h.admin('POST', 'users/nope/touch')).status, 404);
    assert.throws(() => h.sim.touchUser('nope'));
  });

  it('changes denied permissions at run time', async () => {
    await h.admin('POST', 'permissions', { denied: ['directory:user:delete'] });
    const u = await h.createUser({ userName: 'a@corp.com', displayName: 'A' });
    const del = await h.json('DELETE', `/users/${u.id}`);
    assert.equal(del.status, 403);
    assert.match(del.body.detail, /directory:user:delete/);
  });
});
