import assert from 'node:assert/strict';
import type { MatchKey } from '../../src/domain/mapping/config';
import { expectedLookups, managersOutside, pageTerms, readBeforeLookup, readBeforePage, readTargetOnce, targetReadCost } from '../../src/domain/readonce';
import { employee } from './fixtures';

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

  const ada = employee({ id: 'E1', manager_employee_id: 'M1' });
  const bob = employee({ id: 'E2', email: 'bob@example.com', employee_number: 'N2', manager_employee_id: 'E1' });
  const cy = employee({ id: 'E3', email: 'cy@example.com', manager_employee_id: 'M1' });
  const dee = employee({ id: 'E4', email: 'dee@example.com', manager_employee_id: 'M2' });
  const outside: [string, Parameters<typeof managersOutside>[0], string[]][] = [
    ['no employees, no managers', [], []],
    ['a manager on the page is not outside it', [ada, bob], ['M1']],
    ['one named twice is listed twice', [ada, bob, cy, dee], ['M1', 'M1', 'M2']],
    ['nobody managed', [employee({ id: 'E9' })], []],
  ];
  for (const [what, employees, expected] of outside) it(`outside: ${what}`, () => assert.deepEqual(managersOutside(employees), expected));

  const known = (...ids: string[]) => (hrId: string) => ids.includes(hrId);
  const byAll: MatchKey[] = ['externalId', 'employeeNumber', 'userName'];
  const terms: [string, Parameters<typeof pageTerms>[0], number][] = [
    ['an empty page asks nothing', { employees: [], matchPrecedence: byAll, outside: [], known: known() }, 0],
    ['each employee once, whatever its keys, and each manager outside once', { employees: [ada, bob, cy, dee], matchPrecedence: byAll, outside: ['M1', 'M1', 'M2'], known: known() }, 6],
    ['a manager the run knows is not asked', { employees: [ada, bob, cy, dee], matchPrecedence: byAll, outside: ['M1', 'M1', 'M2'], known: known('M1') }, 5],
    ['an employee without a key to match by is not asked', { employees: [ada, bob, cy], matchPrecedence: ['employeeNumber'], outside: [], known: known() }, 1],
  ];
  for (const [what, input, expected] of terms) it(`terms: ${what}`, () => assert.equal(pageTerms(input), expected));

  const beforePage: [string, Parameters<typeof readBeforePage>[0], ReturnType<typeof readBeforePage>][] = [
    ['`or` refused: each term a call, dearer than the read', { cost: 81, spent: 0, terms: 103, termsPerQuery: 1 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 103 lookups' }],
    ['`or` taken: the same page in 6 queries', { cost: 81, spent: 0, terms: 103, termsPerQuery: 20 }, { read: false }],
    ['what the run spent counts', { cost: 81, spent: 76, terms: 103, termsPerQuery: 20 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 82 lookups' }],
    ['a page with nothing to ask never reads', { cost: 1, spent: 500, terms: 0, termsPerQuery: 20 }, { read: false }],
  ];
  for (const [what, input, expected] of beforePage) it(`before a page: ${what}`, () => assert.deepEqual(readBeforePage(input), expected));

  const beforeLookup: [string, Parameters<typeof readBeforeLookup>[0], ReturnType<typeof readBeforeLookup>][] = [
    ['the first question taught `or` is refused: the rest at a call each', { cost: 81, spent: 0, used: 1, terms: 103, termsPerQuery: 1 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 103 lookups' }],
    ['`or` still taken: keep asking', { cost: 81, spent: 0, used: 1, terms: 103, termsPerQuery: 20 }, { read: false }],
    ['past the page\'s expected questions, the one about to go still counts', { cost: 81, spent: 70, used: 11, terms: 103, termsPerQuery: 20 }, { read: true, reason: 'reading the target once (81 calls): cheaper than 82 lookups' }],
    ['at the cost exactly: keep asking', { cost: 81, spent: 70, used: 10, terms: 103, termsPerQuery: 20 }, { read: false }],
  ];
  for (const [what, input, expected] of beforeLookup) it(`before a lookup: ${what}`, () => assert.deepEqual(readBeforeLookup(input), expected));
});
