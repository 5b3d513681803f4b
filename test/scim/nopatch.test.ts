import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPerUserFailure } from '../../src/activities/failures';
import { TargetLearning } from '../../src/activities/learning';
import { changeMembers, updateUser } from '../../src/activities/update';
import { ScimUnsupportedError, ScimVersionConflictError } from '../../src/scim/errors';
import { RunStore } from '../../src/staging/runstore';
import { clientFor, clientForStub, rejectionOf, startSim, startStub, uniqueUserName, type Sim } from './helpers';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Updates on a target without PATCH, through the client and the activities' one decision, against the simulator. */
describe('a target without PATCH: replace (PUT) instead', () => {
  let sim: Sim | undefined;
  let dir: string;
  let store: RunStore;
  let learning: TargetLearning;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-nopatch-'));
    store = new RunStore(dir);
    store.begin('run-1', 'token-1');
    learning = new TargetLearning(store, 'run-1');
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function someone(s: Sim) {
    const scim = clientFor(s);
    const created = await scim.createUser({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      userName: uniqueUserName('nopatch'),
      displayName: 'Pat Doe',
      title: 'Analyst',
      [ENT]: { department: 'Sales' },
    } as never);
    return { scim, user: created.user, version: created.version };
  }

  for (const [answer, status] of [['undeclared-501', 501], ['undeclared-405', 405]] as const) {
    it(`${answer}: the first PATCH is learned, that write redone as PUT, and the next goes straight to PUT`, async () => {
      sim = await startSim({ mode: 'genesys', strict: { patch: answer } });
      const { scim, user, version } = await someone(sim);
      sim.resetStats();
      const moved = await updateUser(scim, learning, user.id, [{ op: 'replace', path: `${ENT}:department`, value: 'Finance' }, { op: 'replace', path: 'title', value: 'Lead' }], { ifMatch: version });
      assert.equal(moved.user.title, 'Lead');
      assert.equal(moved.user[ENT]?.department, 'Finance');
      assert.equal(learning.patchUnavailable(), true);
      assert.deepEqual(store.learned('run-1').filter((e) => e.kind === 'patch-unavailable').map((e) => e.kind === 'patch-unavailable' && e.status), [status]);
      await updateUser(scim, learning, user.id, [{ op: 'replace', path: 'active', value: false }], { ifMatch: moved.version });
      assert.equal(sim.users().find((u) => u.id === user.id)?.active, false);
      assert.deepEqual(
        sim.requests(50).filter((r) => r.route === '/users/:id').map((r) => `${r.method} ${r.status}`),
        [`PATCH ${status}`, 'GET 200', 'PUT 200', 'GET 200', 'PUT 200'],
      );
      // A fresh activity of the same run reads it from the run's log: no PATCH at all.
      const later = new TargetLearning(store, 'run-1');
      assert.equal(later.patchUnavailable(), true);
    });
  }

  it('the default: PATCH, and no PUT', async () => {
    sim = await startSim({ mode: 'genesys' });
    const { scim, user, version } = await someone(sim);
    sim.resetStats();
    await updateUser(scim, learning, user.id, [{ op: 'replace', path: 'title', value: 'Lead' }], { ifMatch: version });
    assert.deepEqual(sim.requests(50).filter((r) => r.route === '/users/:id').map((r) => `${r.method} ${r.status}`), ['PATCH 200']);
    assert.equal(learning.patchUnavailable(), false);
  });

  it('keeps what it does not manage: attributes an administrator set survive the replace', async () => {
    sim = await startSim({ mode: 'scim2', strict: { patch: 'declared-unsupported' } });
    const { scim, user } = await someone(sim);
    sim.touchUser(user.id, { nickName: 'Patty', locale: 'en-GB' });
    const current = await scim.getUser(user.id);
    const r = await scim.replaceUser(user.id, [{ op: 'replace', path: 'title', value: 'Lead' }], { ifMatch: current.version });
    assert.equal(r.user.title, 'Lead');
    const stored = sim.users().find((u) => u.id === user.id);
    assert.equal(stored?.nickName, 'Patty');
    assert.equal(stored?.locale, 'en-GB');
    assert.equal(stored?.[ENT]?.department, 'Sales');
  });

  it('an edit after the version the caller planned from: a conflict, nothing written, the edit kept', async () => {
    sim = await startSim({ mode: 'scim2', strict: { patch: 'declared-unsupported' } });
    const { scim, user, version } = await someone(sim);
    sim.touchUser(user.id, { title: 'Edited Meanwhile' });
    sim.resetStats();
    const err = await rejectionOf(scim.replaceUser(user.id, [{ op: 'replace', path: `${ENT}:department`, value: 'Finance' }], { ifMatch: version }));
    assert.ok(err instanceof ScimVersionConflictError, String(err));
    assert.equal(sim.users().find((u) => u.id === user.id)?.title, 'Edited Meanwhile');
    assert.equal(sim.stats().writes, 0);
  });

  it('an edit between the read and the PUT: If-Match on the version read makes the PUT a conflict (412), the edit kept', async () => {
    sim = await startSim({ mode: 'scim2', strict: { patch: 'declared-unsupported' } });
    const { scim, user } = await someone(sim);
    const read = await scim.getUser(user.id);
    sim.touchUser(user.id, { title: 'Edited Meanwhile' });
    const err = await rejectionOf(scim.replaceUser(user.id, [{ op: 'replace', path: `${ENT}:department`, value: 'Finance' }], { ifMatch: read.version, current: read }));
    assert.ok(err instanceof ScimVersionConflictError, String(err));
    assert.equal(err.status, 412);
    const stored = sim.users().find((u) => u.id === user.id);
    assert.equal(stored?.title, 'Edited Meanwhile');
    assert.equal(stored?.[ENT]?.department, 'Sales');
  });

  it('group members: added and removed by replacing the group, learned from a 501 as for users', async () => {
    sim = await startSim({ mode: 'genesys', groups: ['Sales Team'], strict: { patch: 'undeclared-501' } });
    const a = await someone(sim);
    const b = await someone(sim);
    const c = await someone(sim);
    const group = sim.groups()[0];
    await changeMembers(a.scim, learning, group.id, { add: [a.user.id, b.user.id] });
    assert.equal(learning.patchUnavailable(), true);
    await changeMembers(a.scim, learning, group.id, { add: [c.user.id, a.user.id], remove: [b.user.id] });
    assert.deepEqual(sim.groups()[0].members?.map((m) => m.value), [a.user.id, c.user.id]);
  });

  it('group members: a version conflict on the PUT reads the group again and applies the same changes', async () => {
    sim = await startSim({ mode: 'scim2', groups: ['Sales Team'], strict: { patch: 'declared-unsupported' } });
    const a = await someone(sim);
    const b = await someone(sim);
    const group = sim.groups()[0];
    await a.scim.replaceGroupMembers(group.id, { add: [a.user.id] });
    const before = sim.stats().faults.conflicts;
    sim.setFaults({ conflictRate: 0.5 });
    for (let i = 0; i < 6; i++) await a.scim.replaceGroupMembers(group.id, i % 2 === 0 ? { add: [b.user.id] } : { remove: [b.user.id] }).catch((e: unknown) => {
      // Five conflicts in a row are possible at this rate; the caller (the activity) retries then.
      if (!(e instanceof ScimVersionConflictError)) throw e;
    });
    sim.setFaults({ conflictRate: 0 });
    assert.ok(sim.stats().faults.conflicts > before, 'conflicts were injected');
    await a.scim.replaceGroupMembers(group.id, { add: [b.user.id] });
    assert.deepEqual(sim.groups()[0].members?.map((m) => m.value), [a.user.id, b.user.id]);
  });

  it('a 501 on a POST is "not implemented": sent once, not retried, and a per-user failure', async () => {
    const stub = await startStub(() => ({ status: 501, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '501', detail: 'Not Implemented' } }));
    try {
      const scim = clientForStub(stub);
      const err = await rejectionOf(scim.createUser({ userName: uniqueUserName('post501'), displayName: 'P', active: true } as never));
      assert.ok(err instanceof ScimUnsupportedError, String(err));
      assert.equal(err.retryable, false);
      assert.equal(isPerUserFailure(err), true);
      assert.equal(stub.requests.filter((r) => r.method === 'POST').length, 1);
      // A GET answered 501 is not sent again either.
      await rejectionOf(scim.getUser('x'));
      assert.equal(stub.requests.filter((r) => r.method === 'GET').length, 1);
    } finally {
      await stub.close();
    }
  });
});
