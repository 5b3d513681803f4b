import { strict as assert } from 'node:assert';
import { ENT, Harness, PATCH_OP, Loose } from './helpers';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const bulkReq = (Operations: Array<Record<string, unknown>>, failOnErrors?: number) => ({
  schemas: [BULK],
  ...(failOnErrors !== undefined ? { failOnErrors } : {}),
  Operations,
});

describe('SCIM simulator: /Bulk (scim2 mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ mode: 'scim2', bulk: { maxOperations: 5, maxPayloadSize: 4096 }, groups: ['Sales'] });
  });
  afterEach(async () => h.close());

  it('advertises bulk in ServiceProviderConfig', async () => {
    const spc = await h.json('GET', '/ServiceProviderConfig');
    assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: 5, maxPayloadSize: 4096 });
  });

  it('runs operations with per-operation results and resolves bulkId references, even forward ones', async () => {
    const existing = await h.createUser({ userName: 'old@corp.com', displayName: 'Old' });
    const r = await h.json('POST', '/Bulk', bulkReq([
      // The report comes first and refers to a manager created later in the same request.
      { method: 'POST', path: '/Users', bulkId: 'rep', data: { userName: 'rep@corp.com', displayName: 'Rep', [ENT]: { manager: { value: 'bulkId:mgr' } } } },
      { method: 'POST', path: '/Users', bulkId: 'mgr', data: { userName: 'mgr@corp.com', displayName: 'Mgr' } },
      { method: 'PATCH', path: `/Users/${existing.id}`, version: 'W/"1"', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'T' }] } },
      { method: 'PATCH', path: `/Users/${existing.id}`, version: 'W/"1"', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'U' }] } },
      { method: 'POST', path: '/Users', bulkId: 'dup', data: { userName: 'OLD@corp.com', displayName: 'Dup' } },
    ]));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const ops = r.body.Operations as Array<Record<string, Loose>>;
    assert.deepEqual(ops.map((o) => o.status), ['201', '201', '200', '412', '409']);
    const users = h.sim.users();
    const mgr = users.find((u) => u.userName === 'mgr@corp.com')!;
    const rep = users.find((u) => u.userName === 'rep@corp.com')!;
    assert.deepEqual(rep[ENT]!.manager, { value: mgr.id });
    assert.equal(ops[0].bulkId, 'rep');
    assert.equal(ops[0].location, `${h.sim.scimBaseUrl}/Users/${rep.id}`);
    assert.equal(ops[0].version, 'W/"1"');
    assert.equal(ops[2].version, 'W/"2"');
    assert.equal(ops[3].response.status, '412');
    assert.equal(ops[4].response.scimType, 'uniqueness');
    assert.equal(h.sim.stats().bulkOperations, 5);
  });

  it('stops after failOnErrors errors', async () => {
    const r = await h.json('POST', '/Bulk', bulkReq([
      { method: 'PATCH', path: '/Users/nope-1', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
      { method: 'POST', path: '/Users', bulkId: 'a', data: { displayName: 'no userName' } },
      { method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'b@corp.com', displayName: 'B' } },
    ], 2));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.Operations.map((o: { status: string }) => o.status), ['404', '400']);
    assert.equal(h.sim.users().length, 0);
  });

  it('fails operations whose bulkId never resolves with 409', async () => {
    const r = await h.json('POST', '/Bulk', bulkReq([
      { method: 'POST', path: '/Users', bulkId: 'x', data: { userName: 'x@corp.com', displayName: 'X', [ENT]: { manager: { value: 'bulkId:ghost' } } } },
    ]));
    assert.equal(r.body.Operations[0].status, '409');
  });

  it('answers 413 past maxOperations or maxPayloadSize', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: { userName: `u${i}@corp.com`, displayName: 'U' } }));
    const r1 = await h.json('POST', '/Bulk', bulkReq(many));
    assert.equal(r1.status, 413);
    assert.equal(r1.body.status, '413');
    const big = [{ method: 'POST', path: '/Users', bulkId: 'big', data: { userName: 'big@corp.com', displayName: 'x'.repeat(5000) } }];
    assert.equal((await h.json('POST', '/Bulk', bulkReq(big))).status, 413);
    assert.equal(h.sim.users().length, 0);
  });
});
