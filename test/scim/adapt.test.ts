import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TargetLearning } from '../../src/activities/learning';
import { createIsolating, patchIsolating } from '../../src/activities/refusals';
import { DEACTIVATE } from '../../src/domain/diff';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';
import { RunStore } from '../../src/staging/runstore';
import { clientFor, clientForStub, startSim, startStub, type Sim } from './helpers';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Refused operations isolated, and group PATCHes shrunk, against the simulator playing a stricter server. */
describe('adapting to what the target refuses (client and activity helpers against the simulator)', () => {
  let sim: Sim;
  let dir: string;
  let learning: TargetLearning;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-adapt-'));
    const store = new RunStore(dir);
    store.begin('run-1', 'token-1');
    learning = new TargetLearning(store, 'run-1');
  });
  afterEach(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function someone(extra: Record<string, unknown> = {}) {
    const scim = clientFor(sim);
    const created = await scim.createUser({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      userName: `p${Math.random().toString(36).slice(2)}@corp.example`,
      displayName: 'Pat Doe',
      title: 'Analyst',
      [ENT]: { department: 'Sales' },
      ...extra,
    } as never);
    return { scim, user: created.user, version: created.version };
  }

  it('terse errors: splits the operations to find the refused ones, applies the rest, learns the refusal', async () => {
    sim = await startSim({ mode: 'genesys', strict: { terseErrors: true, refuseRemove: ['title'], noDateHire: true } });
    const { scim, user, version } = await someone();
    const ops: PatchOperation[] = [
      { op: 'replace', path: 'displayName', value: 'Pat Smith' },
      { op: 'remove', path: 'title' },
      { op: 'replace', path: `${ENT}:dateHire`, value: '2024-01-02' },
      { op: 'replace', path: `${ENT}:department`, value: 'Finance' },
    ];
    sim.resetStats();
    const r = await patchIsolating(scim, learning, user.id, ops, version);
    assert.equal(r.written?.user.displayName, 'Pat Smith');
    assert.equal(r.written?.user[ENT]?.department, 'Finance');
    assert.equal(r.written?.user.title, 'Analyst');
    assert.deepEqual(r.notes.map((n) => n.replace(/ refused by.*/, '')).sort(), ['refused-attribute: remove title', 'refused-attribute: replace dateHire']);
    assert.ok(learning.operationRefused('remove title') && learning.operationRefused('replace dateHire'));
    // Bounded: no more than two requests per operation.
    assert.ok(sim.stats().byMethod.PATCH <= 2 * ops.length, JSON.stringify(sim.stats().byMethod));

    // The next user's write leaves the learned forms out: one request, and the rows say why.
    const next = await someone();
    sim.resetStats();
    const again = await patchIsolating(scim, learning, next.user.id, ops, next.version);
    assert.equal(sim.stats().byMethod.PATCH, 1);
    assert.equal(again.notes.filter((n) => /refused earlier in this run/.test(n)).length, 2);
  });

  it('a leaver: `active: false` is its own write, first, even when the rest is refused', async () => {
    sim = await startSim({ mode: 'genesys', strict: { refuseRemove: ['title', 'manager'] } });
    const { scim, user, version } = await someone();
    sim.resetStats();
    const r = await patchIsolating(scim, learning, user.id, [{ op: 'remove', path: 'title' }, DEACTIVATE], version);
    assert.equal(r.written?.user.active, false);
    const patches = sim.requests(50).filter((x) => x.method === 'PATCH');
    assert.deepEqual(patches.map((x) => x.status), [200, 400]);
    assert.match(r.notes.join(), /remove title/);
    assert.equal(sim.users().find((u) => u.id === user.id)?.active, false);
  });

  it('a create whose attribute the target refuses (for its value) is retried without it; the next create still sends it', async () => {
    sim = await startSim({ mode: 'genesys' });
    const scim = clientFor(sim);
    const body = (n: number, manager: string) =>
      ({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
        userName: `new${n}@corp.example`,
        displayName: `New ${n}`,
        [ENT]: { department: 'Sales', manager: { value: manager } },
      }) as never;
    const first = await createIsolating(scim, learning, body(1, 'no-such-user'));
    assert.equal(first.created.user[ENT]?.department, 'Sales');
    assert.equal(first.created.user[ENT]?.manager, undefined);
    assert.deepEqual(first.dropped, ['manager']);
    assert.match(first.notes.join(), /refused-attribute: create with manager refused by the target \(HTTP 400 invalidValue\)/);
    // invalidValue refuses this value, not the attribute: another user's manager may be fine.
    assert.equal(learning.operationRefused('create with manager'), false);
    const second = await createIsolating(scim, learning, body(2, first.created.user.id));
    assert.equal(second.created.user[ENT]?.manager?.value, first.created.user.id);
    assert.deepEqual(second.notes, []);
  });

  it('a group PATCH the target finds too large is split, and later ones stay within what it took', async () => {
    sim = await startSim({ mode: 'genesys', groupPatchMaxMembers: 3, groups: ['Sales Team'] });
    const scim = clientFor(sim);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await someone()).user.id);
    const group = await scim.findGroupByDisplayName('Sales Team');
    assert.ok(group);
    await scim.patchGroupMembers(group.id, { add: ids });
    const members = (sim.groups().find((g) => g.id === group.id)?.members ?? []).map((m) => m.value);
    for (const id of ids) assert.ok(members.includes(id), `${id} not added`);
    sim.resetStats();
    await scim.patchGroupMembers(group.id, { remove: ids.slice(0, 6) });
    assert.equal(sim.stats().byStatus['400'] ?? 0, 0, 'the smaller size was kept');
    assert.ok(sim.stats().byMethod.PATCH >= 2);
  });

  it('a target that refuses a displayName filter on groups: the groups are read page by page instead', async () => {
    const groups = [
      { id: 'g1', displayName: 'Sales Team x' },
      { id: 'g2', displayName: 'Sales Team' },
    ];
    const stub = await startStub((req) => {
      const url = new URL(req.url, 'http://stub');
      if (url.searchParams.has('filter')) return { status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter' } };
      const start = Number(url.searchParams.get('startIndex') ?? 1);
      const page = groups.slice(start - 1, start);
      return { status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: groups.length, startIndex: start, Resources: page } };
    });
    try {
      const found = await clientForStub(stub).findGroupByDisplayName('Sales Team');
      assert.equal(found?.id, 'g2');
      assert.equal(stub.requests.filter((r) => !r.url.includes('filter=') && r.url.includes('/groups')).length, 2);
    } finally {
      await stub.close();
    }
  });
});
