import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ScimInvalidResponseError,
  ScimTransientError,
  ScimUniquenessError,
  ScimVersionConflictError,
  createScimClient,
} from '../../src/scim';
import { clientFor, clientForStub, rejectionOf, startSim, startStub, uniqueUserName } from './helpers';

const user = (id: string, userName: unknown = `${id}@corp.example`) => ({ id, userName, active: true, meta: { version: '"3"' } });

describe('scim errors from odd servers', () => {
  it('a 409 that is not about uniqueness is a version conflict; one that is, is uniqueness', async () => {
    const stub = await startStub((req) => {
      if (req.method === 'PATCH' && req.url.endsWith('/u1')) {
        return { status: 409, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', detail: 'Resource version mismatch' } };
      }
      if (req.method === 'POST') {
        return { status: 409, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'taken' } };
      }
      return { status: 409, body: { message: 'A user with this email already exists' } };
    });
    try {
      const client = clientForStub(stub);
      const conflict = await rejectionOf(client.patchUser('u1', [{ op: 'replace', path: 'title', value: 'x' }], { ifMatch: '"3"' }));
      assert.ok(conflict instanceof ScimVersionConflictError, String(conflict));
      assert.equal(conflict.status, 409);
      assert.equal(stub.requests[0].headers['if-match'], '"3"');
      const unique = await rejectionOf(client.createUser({ userName: 'a@b.c', displayName: 'A' }));
      assert.ok(unique instanceof ScimUniquenessError, String(unique));
      const worded = await rejectionOf(client.patchUser('u2', [{ op: 'replace', path: 'emails', value: [{ value: 'a@b.c', type: 'work' }] }]));
      assert.ok(worded instanceof ScimUniquenessError, String(worded));
    } finally {
      await stub.close();
    }
  });

  it('a duplicate userName answered 400 uniqueness is uniqueness too', async () => {
    const sim = await startSim({ mode: 'genesys', duplicateUserName: '400' });
    try {
      const client = clientFor(sim);
      const userName = uniqueUserName('dup');
      await client.createUser({ userName, displayName: 'First' });
      const err = await rejectionOf(client.createUser({ userName, displayName: 'Second' }));
      assert.ok(err instanceof ScimUniquenessError, String(err));
      assert.equal(err.status, 400);
      assert.equal(err.scimType, 'uniqueness');
    } finally {
      await sim.close();
    }
  });

  it('a malformed ListResponse becomes ScimInvalidResponseError naming the field', async () => {
    const stub = await startStub(() => ({
      status: 200,
      body: { totalResults: 4, Resources: [user('a'), user('b'), user('c'), user('d', 42)] },
    }));
    try {
      const err = await rejectionOf(clientForStub(stub).listUsers());
      assert.ok(err instanceof ScimInvalidResponseError, String(err));
      assert.equal(err.kind, 'invalid-response');
      assert.match(err.message, /Resources\.3\.userName: expected string/);
      assert.deepEqual(err.fields, ['Resources.3.userName']);
    } finally {
      await stub.close();
    }
  });

  it('a body that is not JSON, or a missing totalResults, is an invalid response too', async () => {
    let n = 0;
    const stub = await startStub(() => (++n === 1 ? { status: 200, body: '<html>gateway</html>' } : { status: 200, body: { Resources: [] } }));
    try {
      const client = clientForStub(stub);
      const notJson = await rejectionOf(client.getUser('x'));
      assert.ok(notJson instanceof ScimInvalidResponseError, String(notJson));
      const missing = await rejectionOf(client.listUsers());
      assert.ok(missing instanceof ScimInvalidResponseError);
      assert.match(missing.message, /totalResults/);
    } finally {
      await stub.close();
    }
  });

  it('5xx, a reset connection and a timeout are transient', async () => {
    let n = 0;
    const server = http.createServer((req, res) => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok-tok-tok', expires_in: 3600 }));
        return;
      }
      n += 1;
      if (n === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('upstream unavailable');
      } else if (n === 2) {
        req.socket.destroy();
      }
      // n >= 3: never answer, the client times out.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createScimClient({ profile: 'genesys', apiUrl: url, loginUrl: url, clientId: 'c', clientSecret: 's', rateLimitPerMinute: null, timeoutMs: 300, readRetries: 0 });
      const e503 = await rejectionOf(client.getUser('x'));
      assert.ok(e503 instanceof ScimTransientError, String(e503));
      assert.equal(e503.status, 503);
      assert.equal(e503.retryable, true);
      const reset = await rejectionOf(client.getUser('x'));
      assert.ok(reset instanceof ScimTransientError, String(reset));
      assert.match(reset.message, /ECONNRESET|socket|network/i);
      const timeout = await rejectionOf(client.getUser('x'));
      assert.ok(timeout instanceof ScimTransientError, String(timeout));
      assert.match(timeout.message, /timed out/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
