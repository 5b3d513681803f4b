import { strict as assert } from 'node:assert';
import fetch from 'node-fetch';
import { Harness, patch } from './helpers';

describe('SCIM simulator: fault injection', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('answers 5xx with a SCIM error at errorRate 1, but never on admin or token endpoints', async () => {
    h = await Harness.start({ faults: { errorRate: 1 } });
    const r = await h.json('GET', '/users');
    assert.ok([500, 502, 503, 504].includes(r.status), String(r.status));
    assert.equal(r.body.status, String(r.status));
    assert.ok(r.res.headers.get('inin-ratelimit-count'));
    assert.equal((await h.admin('GET', 'stats')).status, 200);
    await h.issueToken();
    assert.equal(h.sim.stats().faults.errors, 1);
    assert.equal(h.sim.requests(10).find((e) => e.route === '/users')?.fault, 'error');
  });

  it('destroys the connection at dropRate 1', async () => {
    h = await Harness.start({ faults: { dropRate: 1 } });
    await assert.rejects(() => h.req('GET', '/users'), (e: Error) => /socket hang up|ECONNRESET/i.test(e.message));
    assert.equal(h.sim.stats().byRoute['GET /users dropped'], 1);
  });

  it('answers 429 storms at stormRate 1 and during a stormUntil window', async () => {
    h = await Harness.start({ faults: { stormRate: 1, retryAfterSeconds: 2 } });
    const r = await h.req('GET', '/users');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '2');
    assert.equal(((await r.json()) as { code: string }).code, 'too.many.requests.retry.after');
    h.sim.setFaults({ stormRate: 0, stormUntil: Date.now() + 60_000 });
    assert.equal((await h.req('GET', '/users')).status, 429);
    h.sim.setFaults({ stormUntil: undefined });
    assert.equal((await h.req('GET', '/users')).status, 200);
  });

  it('adds delayMs of latency to every API request', async () => {
    h = await Harness.start({ faults: { delayMs: 150 } });
    const t0 = Date.now();
    assert.equal((await h.req('GET', '/users')).status, 200);
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(h.sim.stats().faults.delays, 1);
  });

  it('simulates a concurrent edit at conflictRate 1: the If-Match write gets invalidVers', async () => {
    h = await Harness.start({ faults: { conflictRate: 1 } });
    const u = await h.createUser({ userName: 'c@corp.com', displayName: 'C' });
    const r = await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'If-Match': '"1"' });
    assert.equal(r.status, 400);
    assert.equal(r.body.scimType, 'invalidVers');
    assert.equal(h.sim.users()[0].meta!.version, '"2"');
    h.sim.setFaults({ conflictRate: 0 });
    const retry = await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'If-Match': '"2"' });
    assert.equal(retry.status, 200);
    // Writes without If-Match are never conflicted.
    h.sim.setFaults({ conflictRate: 1 });
    assert.equal((await h.json('PATCH', `/users/${u.id}`, patch({ op: 'replace', path: 'title', value: 'y' }))).status, 200);
  });

  it('is deterministic for a given seed', async () => {
    const pattern = async (seed: number) => {
      const s = await Harness.start({ seed, faults: { errorRate: 0.5 } });
      const codes: number[] = [];
      for (let i = 0; i < 16; i++) codes.push((await s.req('GET', '/users')).status);
      await s.close();
      return codes;
    };
    const a = await pattern(7);
    assert.deepEqual(await pattern(7), a);
    assert.ok(a.includes(200) && a.some((c) => c >= 500), a.join(','));
  });

  it('merges fault changes posted to /__sim/faults', async () => {
    h = await Harness.start();
    const res = await h.admin('POST', 'faults', { errorRate: 1 });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { errorRate: number }).errorRate, 1);
    assert.ok((await h.req('GET', '/users')).status >= 500);
    const ok = await fetch(`${h.sim.apiUrl}/__sim/users`);
    assert.equal(ok.status, 200);
  });
});
