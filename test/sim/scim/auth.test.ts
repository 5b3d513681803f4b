import { strict as assert } from 'node:assert';
import { Harness } from './helpers';

describe('SCIM simulator: OAuth tokens', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('issues a bearer token for client credentials and accepts it on the API', async () => {
    h = await Harness.start({ clientId: 'cid', clientSecret: 's3cret' });
    const res = await h.tokenRequest();
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    assert.equal(typeof body.access_token, 'string');
    const list = await h.req('GET', '/users', undefined, {}, body.access_token as string);
    assert.equal(list.status, 200);
  });

  it('answers 401 to a wrong secret and a wrong grant type 400', async () => {
    h = await Harness.start();
    const wrong = await h.tokenRequest('nope');
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as Record<string, unknown>;
    assert.equal(body.error, 'invalid_client');
    assert.ok(!JSON.stringify(body).includes(h.sim.clientSecret));
    const grant = await h.tokenRequest(undefined, 'grant_type=password');
    assert.equal(grant.status, 400);
  });

  it('answers 401 with a SCIM error to an unknown token or none', async () => {
    h = await Harness.start();
    const r = await h.json('GET', '/users', undefined, { Authorization: 'Bearer made-up' });
    assert.equal(r.status, 401);
    assert.equal(r.body.status, '401');
    assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    const none = await h.req('GET', '/users', undefined, { Authorization: '' });
    assert.equal(none.status, 401);
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    h = await Harness.start({ tokenTtlSeconds: 1 });
    assert.equal((await h.req('GET', '/users')).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await h.req('GET', '/users')).status, 401);
    const fresh = await h.issueToken();
    assert.equal((await h.req('GET', '/users', undefined, {}, fresh)).status, 200);
  });

  it('expires every token on demand through the admin endpoint', async () => {
    h = await Harness.start();
    assert.equal((await h.admin('POST', 'expire-tokens')).status, 204);
    assert.equal((await h.req('GET', '/users')).status, 401);
  });

  it('accepts a static bearer token in scim2 mode', async () => {
    h = await Harness.start({ mode: 'scim2', bearerToken: 'static-123' });
    assert.equal((await h.req('GET', '/Users', undefined, {}, 'static-123')).status, 200);
    assert.equal((await h.req('GET', '/Users', undefined, {}, 'static-124')).status, 401);
  });
});
