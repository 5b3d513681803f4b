import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  ClientCredentialsTokenSource,
  ScimError,
  ScimUnauthorizedError,
  createScimClient,
  type ScimClient,
} from '../../src/scim';
import { Secret } from '../../src/secret';
import { clientFor, oauthScim2ClientFor, rejectionOf, startSim, startStub, uniqueUserName, type Sim } from './helpers';

describe('scim auth: OAuth client credentials', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ mode: 'genesys' });
  });
  after(async () => sim.close());

  it('fetches one token for many requests, concurrent ones included', async () => {
    const client = clientFor(sim);
    const before = sim.stats().tokenRequests;
    await Promise.all(Array.from({ length: 20 }, () => client.listUsers({ count: 1 })));
    for (let i = 0; i < 10; i += 1) await client.listUsers({ count: 1 });
    assert.equal(sim.stats().tokenRequests - before, 1);
    assert.equal(client.stats().tokenRequests, 1);
    assert.equal(client.stats().apiCalls, 30);
  });

  it('refreshes once on a 401 and retries, also for many concurrent callers', async () => {
    const client = clientFor(sim);
    await client.warmUp();
    sim.expireTokens();
    const before = sim.stats();
    const pages = await Promise.all(Array.from({ length: 10 }, () => client.listUsers({ count: 1 })));
    assert.equal(pages.length, 10);
    const after = sim.stats();
    assert.equal(after.tokenRequests - before.tokenRequests, 1, 'one refresh shared by all');
    assert.equal((after.byStatus['401'] ?? 0) - (before.byStatus['401'] ?? 0), 10, 'each request saw the expired token once');
    assert.equal(client.stats().tokenRequests, 2);
  });

  it('refreshes a token shortly before it expires (clock injected, no waiting)', async () => {
    let now = 0;
    const tokens = new ClientCredentialsTokenSource({
      tokenUrl: `${sim.loginUrl}/oauth/token`,
      clientId: sim.clientId,
      clientSecret: new Secret(sim.clientSecret),
      now: () => now,
    });
    const first = await tokens.token();
    now = 86_400_000 - 61_000;
    assert.equal(await tokens.token(), first, 'still cached 61 s before expiry');
    now = 86_400_000 - 59_000;
    const second = await tokens.token();
    assert.notEqual(second.reveal(), first.reveal(), 'refreshed within the last minute');
    assert.equal(tokens.tokenRequests(), 2);
  });

  it('a short-lived token is refreshed 10 % of its lifetime early', async () => {
    const short = await startSim({ mode: 'genesys', tokenTtlSeconds: 100 });
    try {
      let now = 0;
      const tokens = new ClientCredentialsTokenSource({ tokenUrl: `${short.loginUrl}/oauth/token`, clientId: short.clientId, clientSecret: short.clientSecret, now: () => now });
      await tokens.token();
      now = 89_000;
      await tokens.token();
      assert.equal(tokens.tokenRequests(), 1);
      now = 91_000;
      await tokens.token();
      assert.equal(tokens.tokenRequests(), 2);
    } finally {
      await short.close();
    }
  });

  it('works the same for a scim2 target over OAuth', async () => {
    const scim2 = await startSim({ mode: 'scim2' });
    try {
      const client = oauthScim2ClientFor(scim2);
      await client.createUser({ userName: uniqueUserName('oauth'), displayName: 'OAuth user' });
      scim2.expireTokens();
      await client.listUsers({ count: 1 });
      assert.equal(client.stats().tokenRequests, 2);
    } finally {
      await scim2.close();
    }
  });

  it('bad client credentials: unauthorized, without the secret in the message', async () => {
    const secret = 'wrong-secret-value-123';
    const client = createScimClient({ profile: 'genesys', apiUrl: sim.apiUrl, loginUrl: sim.loginUrl, clientId: sim.clientId, clientSecret: secret, rateLimitPerMinute: null });
    const err = await rejectionOf(client.listUsers());
    assert.ok(err instanceof ScimUnauthorizedError, String(err));
    assert.equal(err.operation, 'token');
    assert.ok(!err.message.includes(secret));
    assert.ok(!String(err.stack).includes(secret));
  });

  it('a static bearer token that is refused: unauthorized at once, no refresh loop', async () => {
    const scim2 = await startSim({ mode: 'scim2' });
    try {
      const client = createScimClient({ profile: 'scim2', baseUrl: scim2.scimBaseUrl, bearerToken: 'not-the-token-xyz' });
      const err = await rejectionOf(client.listUsers());
      assert.ok(err instanceof ScimUnauthorizedError);
      assert.equal(err.status, 401);
      assert.equal(scim2.stats().total, 1);
    } finally {
      await scim2.close();
    }
  });
});

describe('scim secrets stay secret', () => {
  const TOKEN = 'stub-access-token-abcdef123456';
  const SECRET = 'client-secret-zyxw987654';

  function leaks(text: string): boolean {
    return text.includes(TOKEN) || text.includes(SECRET) || text.includes(Buffer.from(`id:${SECRET}`).toString('base64'));
  }
  /** A static-bearer client never held SECRET, so it cannot know to hide it: only its token counts there. */
  const leaksToken = (text: string) => text.includes(TOKEN);

  it('never shows the token or the secret in errors, JSON or inspect output', async () => {
    // A hostile server that echoes the Authorization header back in every error detail.
    const stub = await startStub((req) => {
      const auth = String(req.headers.authorization);
      if (req.url.startsWith('/api/v2/scim/v2/users/conflict')) return { status: 409, body: { status: '409', detail: `stale for ${auth}` } };
      if (req.url.startsWith('/api/v2/scim/v2/users/forbidden')) return { status: 403, body: { status: '403', detail: `denied ${auth}` } };
      if (req.url.startsWith('/api/v2/scim/v2/users/bad')) return { status: 200, body: { id: 1, userName: auth } };
      return { status: 400, body: { status: '400', scimType: 'invalidValue', detail: `you sent ${auth} with secret ${SECRET}` } };
    }, TOKEN);
    try {
      const clients: ScimClient[] = [
        createScimClient({ profile: 'genesys', apiUrl: stub.url, loginUrl: stub.url, clientId: 'id', clientSecret: SECRET, rateLimitPerMinute: null }),
        createScimClient({ profile: 'genesys', apiUrl: stub.url, loginUrl: stub.url, clientId: 'id', clientSecret: new Secret(SECRET), rateLimitPerMinute: null }),
        createScimClient({ profile: 'scim2', baseUrl: `${stub.url}/api/v2/scim/v2`, bearerToken: new Secret(TOKEN) }),
      ];
      for (const [i, client] of clients.entries()) {
        const leaked = i < 2 ? leaks : leaksToken;
        const errors = [
          await rejectionOf(client.getUser('x')),
          await rejectionOf(client.getUser('conflict')),
          await rejectionOf(client.getUser('forbidden')),
          await rejectionOf(client.getUser('bad')),
          await rejectionOf(client.createUser({ userName: 'a@b.c', displayName: 'A' })),
        ];
        assert.ok(stub.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`), 'the token was really sent');
        for (const err of errors) {
          assert.ok(err instanceof ScimError, String(err));
          for (const text of [err.message, String(err.stack), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), String(err.detail)]) {
            assert.ok(!leaked(text), `leak in ${text}`);
          }
        }
        for (const text of [JSON.stringify(client), inspect(client, { depth: 10, showHidden: true, getters: true }), String(client)]) {
          assert.ok(!leaked(text), `leak in ${text}`);
        }
      }
    } finally {
      await stub.close();
    }
  });
});
