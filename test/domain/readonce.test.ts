import assert from 'node:assert/strict';
import { expectedLookups, readTargetOnce, targetReadCost } from '../../src/domain/readonce';

describe('domain: a delta reads the target once when that is cheaper than its lookups', () => {
  const costs: [string, Parameters<typeof targetReadCost>[0], number][] = [
    ['a page of 25 per call', { population: 2000, pageSize: 25, inactivePass: false }, 80],
    ['a part page costs a whole call', { population: 2001, pageSize: 25, inactivePass: false }, 81],
    ['an empty target still costs one call', { population: 0, pageSize: 25, inactivePass: false }, 1],
    ['a list that hides inactive users costs at least one more', { population: 2000, pageSize: 25, inactivePass: true }, 81],
  ];
  for (const [what, input, expected] of costs) it(`cost: ${what}`, () => assert.equal(targetReadCost(input), expected));

  const lookups: [string, Parameters<typeof expectedLookups>[0], number][] = [
    ['one term a query: a call per term', { terms: 103, termsPerQuery: 1 }, 103],
    ['20 terms a query', { terms: 103, termsPerQuery: 20 }, 6],
    ['no terms, no calls', { terms: 0, termsPerQuery: 20 }, 0],
    ['a nonsense width still asks one term a query', { terms: 3, termsPerQuery: 0 }, 3],
  ];
  for (const [what, input, expected] of lookups) it(`lookups: ${what}`, () => assert.equal(expectedLookups(input), expected));

  const decisions: [string, Parameters<typeof readTargetOnce>[0], ReturnType<typeof readTargetOnce>][] = [
    ['a small company where `or` is refused: read at once', { cost: 81, spent: 0, expected: 103 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 103 lookups' }],
    ['`or` works: a page of questions is a few calls, keep asking', { cost: 81, spent: 0, expected: 6 }, { read: false }],
    ['a large company with a small delta: keep asking', { cost: 4001, spent: 0, expected: 17 }, { read: false }],
    ['lookups add up over the pages until they pass the read', { cost: 81, spent: 78, expected: 6 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 84 lookups' }],
    ['exactly the cost: asking is no dearer, keep asking', { cost: 81, spent: 75, expected: 6 }, { read: false }],
    ['nothing left to ask: never read', { cost: 1, spent: 500, expected: 0 }, { read: false }],
  ];
  for (const [what, input, expected] of decisions) it(`decision: ${what}`, () => assert.deepEqual(readTargetOnce(input), expected));
});
