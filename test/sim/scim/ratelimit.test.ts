import { strict as assert } from 'node:assert';
import { Harness } from './helpers';

describe('SCIM simulator: rate limit', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('counts per token, answers 429 with Retry-After and the Genesys body past the budget', async () => {
    h = await Harness.start({ rateLimitPerMinute: 3 });
    for (let i = 1; i <= 3; i++) {
      const r = await h.req('GET', '/users');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('inin-ratelimit-count'), String(i));
      assert.equal(r.headers.get('inin-ratelimit-allowed'), '3');
      const reset = Number(r.headers.get('inin-ratelimit-reset'));
      assert.ok(reset >= 1 && reset <= 60);
    }
    const over = await h.req('GET', '/users');
    assert.equal(over.status, 429);
    const retryAfter = Number(over.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60);
    assert.equal(over.headers.get('inin-ratelimit-allowed'), '3');
    const body = (await over.json()) as Record<string, unknown>;
    assert.equal(body.code, 'too.many.requests.retry.after');
    assert.equal(body.status, 429);
    assert.equal(body.message, `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`);
    assert.equal(typeof body.contextId, 'string');
    // The token endpoint is not limited, and a new token has its own budget.
    const other = await h.issueToken();
    assert.equal((await h.req('GET', '/users', undefined, {}, other)).status, 200);
    const s = h.sim.stats();
    assert.equal(s.rateLimited, 1);
    assert.equal(s.byRoute['GET /users 429'], 1);
  });

  it('resets the window after rateLimitWindowSeconds', async () => {
    h = await Harness.start({ rateLimitPerMinute: 1, rateLimitWindowSeconds: 1 });
    assert.equal((await h.req('GET', '/users')).status, 200);
    assert.equal((await h.req('GET', '/users')).status, 429);
    await new Promise((r) => setTimeout(r, 1050));
    assert.equal((await h.req('GET', '/users')).status, 200);
  });

  it('can be switched off', async () => {
    h = await Harness.start({ rateLimitPerMinute: null });
    for (let i = 0; i < 5; i++) assert.equal((await h.req('GET', '/users')).status, 200);
    h.sim.setRateLimit(2);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await h.req('GET', '/users')).status);
    assert.ok(codes.includes(429));
  });
});
