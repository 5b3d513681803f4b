import assert from 'node:assert/strict';
import {
  ScimUniquenessError,
  ScimUnsupportedError,
  ScimVersionConflictError,
  ScimForbiddenError,
  bulkResultError,
  isBulkSuccess,
  type BulkOperation,
} from '../../src/scim';
import { clientFor, rejectionOf, startSim, uniqueUserName, type Sim } from './helpers';

describe('scim /Bulk (scim2 target)', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ mode: 'scim2', bulk: { maxOperations: 3, maxPayloadSize: 4096 } });
  });
  after(async () => sim.close());

  it('answers one result per operation, a failing one among succeeding ones, split by maxOperations', async () => {
    const client = clientFor(sim);
    const taken = (await client.createUser({ userName: uniqueUserName('taken'), displayName: 'Taken' })).user;
    const names = [uniqueUserName('b'), uniqueUserName('b'), uniqueUserName('b'), uniqueUserName('b')];
    const ops: BulkOperation[] = [
      client.bulkOperations.createUser({ userName: names[0], displayName: 'B0' }, 'c0'),
      client.bulkOperations.createUser({ userName: names[1], displayName: 'B1' }, 'c1'),
      client.bulkOperations.createUser({ userName: taken.userName, displayName: 'Duplicate' }, 'dup'),
      client.bulkOperations.createUser({ userName: names[2], displayName: 'B2' }, 'c2'),
      client.bulkOperations.patchUser(taken.id, [{ op: 'replace', path: 'title', value: 'Bulk-patched' }]),
      client.bulkOperations.createUser({ userName: names[3], displayName: 'B3' }, 'c3'),
    ];
    const before = sim.stats().bulkRequests;
    const results = await client.bulk(ops);
    assert.equal(sim.stats().bulkRequests - before, 2, '6 operations at maxOperations 3');
    assert.equal(results.length, ops.length);
    assert.deepEqual(results.map((r) => r.bulkId?.startsWith('hrsync-') ? 'auto' : r.bulkId), ['c0', 'c1', 'dup', 'c2', 'auto', 'c3']);
    assert.deepEqual(results.map(isBulkSuccess), [true, true, false, true, true, true]);
    const err = bulkResultError(results[2], ops[2]);
    assert.ok(err instanceof ScimUniquenessError, String(err));
    assert.equal(bulkResultError(results[0]), undefined);
    const stored = sim.users();
    for (const n of names) assert.ok(stored.some((u) => u.userName === n), n);
    assert.equal(stored.find((u) => u.id === taken.id)?.title, 'Bulk-patched');
  });

  it('splits by maxPayloadSize so the target never answers 413', async () => {
    const client = clientFor(sim);
    const ops = Array.from({ length: 3 }, (_, i) =>
      client.bulkOperations.createUser({ userName: uniqueUserName('big'), displayName: `Big ${i} ${'x'.repeat(1500)}` }, `big${i}`),
    );
    const before = sim.stats().bulkRequests;
    const results = await client.bulk(ops);
    assert.ok(sim.stats().bulkRequests - before >= 2, 'too big for one request');
    assert.deepEqual(results.map(isBulkSuccess), [true, true, true]);
    const tooBig = client.bulkOperations.createUser({ userName: uniqueUserName('huge'), displayName: 'x'.repeat(5000) }, 'huge');
    const [alone] = await client.bulk([tooBig]);
    assert.equal(alone.status, '413');
  });

  it('reports stale versions and missing permissions per operation', async () => {
    const client = clientFor(sim);
    const u = await client.createUser({ userName: uniqueUserName('ver'), displayName: 'Versioned' });
    sim.touchUser(u.user.id, { title: 'admin edit' });
    const stale = client.bulkOperations.patchUser(u.user.id, [{ op: 'replace', path: 'title', value: 'mine' }], u.version);
    const [result] = await client.bulk([stale]);
    const err = bulkResultError(result, stale);
    assert.ok(err instanceof ScimVersionConflictError, String(err));
    sim.setDeniedPermissions(['directory:user:delete']);
    try {
      // hrsync never deletes; a DELETE another client sends still has its permission named.
      const del: BulkOperation = { method: 'DELETE', path: `/Users/${u.user.id}` };
      const [denied] = await client.bulk([del]);
      const forbidden = bulkResultError(denied, del);
      assert.ok(forbidden instanceof ScimForbiddenError, String(forbidden));
      assert.match(forbidden.message, /directory:user:delete/);
    } finally {
      sim.setDeniedPermissions([]);
    }
  });

  it('throws ScimUnsupportedError on a Genesys target, without calling /bulk', async () => {
    const genesys = await startSim({ mode: 'genesys' });
    try {
      const client = clientFor(genesys);
      const err = await rejectionOf(client.bulk([{ method: 'POST', path: '/users', bulkId: 'x', data: {} }]));
      assert.ok(err instanceof ScimUnsupportedError, String(err));
      assert.equal(genesys.stats().bulkRequests, 0);
    } finally {
      await genesys.close();
    }
  });
});
