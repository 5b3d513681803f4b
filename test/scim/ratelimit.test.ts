import assert from 'node:assert/strict';
import { GENESYS_LARGE_PAGE_EXCLUDES, ScimRateLimitedError, ScimTransientError, type ScimClient } from '../../src/scim';
import { clientFor, clientForStub, rejectionOf, startSim, startStub, uniqueUserName, type Sim } from './helpers';

/** Runs `calls` with at most `concurrency` in flight; returns what each settled to. */
async function burst<T>(n: number, concurrency: number, call: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await call(i).then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        );
      }
    }),
  );
  return results;
}

describe('scim rate pacing against the simulator', function () {
  this.timeout(60_000);
  // The simulator counts per token in fixed windows, as Genesys does. To keep the test short the window is
  // one second (100 requests per second) instead of one minute (300 per minute): same rule, faster clock.
  const budget = { requests: 100, perMs: 1000 };
  let sim: Sim;
  let userId: string;

  before(async () => {
    sim = await startSim({ mode: 'genesys', rateLimitPerMinute: budget.requests, rateLimitWindowSeconds: 1 });
    const setup = clientFor(sim, { rateLimit: budget });
    userId = (await setup.createUser({ userName: uniqueUserName('burst'), displayName: 'Burst' })).user.id;
  });
  after(async () => sim.close());

  it('a burst of 1,000 calls paced to the budget: all succeed, with few or no 429s', async () => {
    const client = clientFor(sim, { rateLimit: budget });
    sim.resetStats();
    const results = await burst(1000, 25, () => client.getUser(userId));
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, `failures: ${failed.slice(0, 3).map((f) => String((f as PromiseRejectedResult).reason)).join(' | ')}`);
    const stats = sim.stats();
    assert.ok(stats.rateLimited <= 5, `429s seen by the simulator: ${stats.rateLimited}`);
    assert.equal(client.stats().rateLimited, stats.rateLimited);
    assert.ok(client.stats().apiCalls >= 1000);
  });

  it('with no budget of its own, the inin-ratelimit headers alone keep it almost clear of 429s', async () => {
    const client = clientFor(sim, { rateLimit: null });
    sim.resetStats();
    const results = await burst(300, 25, () => client.getUser(userId));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 0);
    assert.ok(sim.stats().rateLimited <= 5, `429s: ${sim.stats().rateLimited}`);
  });

  it('with no pacing at all the same target answers 429, surfaced as ScimRateLimitedError with retryAfterMs (so the tests above can fail)', async () => {
    const client = clientFor(sim, { rateLimit: null, adaptToRateLimitHeaders: false, maxInClientRetryAfterMs: 0 });
    const results = await burst(400, 50, () => client.getUser(userId));
    const limited = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    assert.ok(limited.length > 0, 'expected 429s without pacing');
    for (const err of limited) {
      assert.ok(err instanceof ScimRateLimitedError, String(err));
      assert.equal(err.kind, 'rate-limited');
      assert.equal(err.retryable, true);
      assert.equal(err.status, 429);
      assert.ok(err.retryAfterMs >= 1000 && err.retryAfterMs <= 2000, `retryAfterMs ${err.retryAfterMs}`);
    }
  });
});

describe('scim 429 handling', () => {
  it('a 429 with a long Retry-After surfaces at once as ScimRateLimitedError (no loop in the client)', async () => {
    const stub = await startStub(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: { message: 'Rate limit exceeded', code: 'too.many.requests.retry.after', status: 429 },
    }));
    try {
      const client = clientForStub(stub);
      const err = await rejectionOf(client.listUsers());
      assert.ok(err instanceof ScimRateLimitedError, String(err));
      assert.equal(err.retryAfterMs, 120_000);
      assert.equal(stub.requests.length, 1);
      // The pause also holds back the next request instead of hammering the target.
      const next = await rejectionOf(client.listUsers());
      assert.ok(next instanceof ScimRateLimitedError);
      assert.ok(next.retryAfterMs > 100_000);
      assert.equal(stub.requests.length, 1, 'not sent while the target asked for a pause');
      assert.equal(client.stats().rateLimited, 1);
    } finally {
      await stub.close();
    }
  });

  it('a Retry-After it cannot read (negative) leaves the wait to Genesys\'s inin-ratelimit-reset, never to no wait', async () => {
    const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '-5', 'inin-ratelimit-reset': '60' }, body: { status: 429 } }));
    try {
      const err = await rejectionOf(clientForStub(stub).listUsers());
      assert.ok(err instanceof ScimRateLimitedError, String(err));
      assert.equal(err.retryAfterMs, 60_000);
      assert.equal(stub.requests.length, 1, 'a minute is not waited out in the client');
    } finally {
      await stub.close();
    }
  });

  it('a 429 with a short Retry-After is waited out and sent once more', async () => {
    let calls = 0;
    const stub = await startStub(() => {
      calls += 1;
      return calls === 1
        ? { status: 429, headers: { 'retry-after': '0' }, body: { code: 'too.many.requests.retry.after', status: 429 } }
        : { status: 200, body: { totalResults: 0, Resources: [] } };
    });
    try {
      const client: ScimClient = clientForStub(stub);
      const page = await client.listUsers();
      assert.equal(page.totalResults, 0);
      assert.deepEqual([client.stats().apiCalls, client.stats().rateLimited, client.stats().retries], [2, 1, 1]);
    } finally {
      await stub.close();
    }
  });

  it('a second 429 in a row surfaces instead of retrying again', async () => {
    const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '0' }, body: { status: 429 } }));
    try {
      const client = clientForStub(stub);
      const err = await rejectionOf(client.listUsers());
      assert.ok(err instanceof ScimRateLimitedError);
      assert.equal(stub.requests.length, 2);
    } finally {
      await stub.close();
    }
  });

  it('injected 429 storms and 5xx faults from the simulator are classified', async () => {
    const sim = await startSim({ mode: 'genesys', faults: { stormRate: 1, retryAfterSeconds: 30 } });
    try {
      const client = clientFor(sim);
      const storm = await rejectionOf(client.listUsers());
      assert.ok(storm instanceof ScimRateLimitedError, String(storm));
      assert.equal(storm.retryAfterMs, 30_000);
      sim.setFaults({ stormRate: 0, errorRate: 1 });
      const client2 = clientFor(sim);
      const err = await rejectionOf(client2.listUsers());
      assert.ok(err instanceof ScimTransientError, String(err));
      assert.ok((err.status ?? 0) >= 500);
      sim.setFaults({ errorRate: 0, dropRate: 1 });
      const dropped = await rejectionOf(clientFor(sim).listUsers());
      assert.ok(dropped instanceof ScimTransientError, String(dropped));
      assert.equal(dropped.status, undefined);
    } finally {
      await sim.close();
    }
  });

  it('large Genesys pages: 429 unless the heavy attributes are excluded', async () => {
    const sim = await startSim({ mode: 'genesys', strictLargePages: true });
    try {
      const client = clientFor(sim, { maxInClientRetryAfterMs: 0 });
      const big = await rejectionOf(client.listUsers({ count: 50 }));
      assert.ok(big instanceof ScimRateLimitedError, String(big));
      const fresh = clientFor(sim);
      const page = await fresh.listUsers({ count: 50, excludedAttributes: [...GENESYS_LARGE_PAGE_EXCLUDES] });
      assert.equal(page.totalResults, 0);
    } finally {
      await sim.close();
    }
  });
});
