import assert from 'node:assert/strict';
import { countingCalls } from '../../src/scim';
import { clientFor, startSim, type Sim } from './helpers';

/**
 * A worker runs several activities at once on one client (a page's chunks side by side, the next page
 * planned meanwhile): each counts its own target calls, not the client's total since it started.
 */
describe('scim client: calls counted per activity', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ mode: 'scim2' });
  });
  after(async () => sim?.close());

  it('two bodies running at once each count their own calls; a body inside another counts in both', async () => {
    const scim = clientFor(sim);
    const body = (n: number, inner = 0) =>
      countingCalls(async () => {
        const from = scim.calls();
        let nested = 0;
        for (let i = 0; i < n; i++) {
          await scim.listUsers({ count: 1 });
          if (i === 0 && inner > 0) {
            nested = await countingCalls(async () => {
              const start = scim.calls();
              for (let k = 0; k < inner; k++) await scim.listUsers({ count: 1 });
              return scim.calls() - start;
            });
          }
        }
        return { own: scim.calls() - from, nested };
      });
    const totalBefore = scim.stats().apiCalls;
    const listedBefore = sim.stats().byRoute['GET /users 200'] ?? 0;
    const [a, b] = await Promise.all([body(3, 2), body(5)]);
    assert.deepEqual(a, { own: 5, nested: 2 });
    assert.deepEqual(b, { own: 5, nested: 0 });
    assert.equal(scim.stats().apiCalls - totalBefore, 10, 'the client total still counts every call');
    assert.equal((sim.stats().byRoute['GET /users 200'] ?? 0) - listedBefore, 10, 'the target saw them all');
  });
});
