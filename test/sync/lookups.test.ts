import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { learnedNotices, TargetLearning } from '../../src/activities/learning';
import { lookUpCandidates, ManagerDirectory, ReadTargetInstead, TERMS_PER_QUERY, UserLookup } from '../../src/activities/resolve';
import { readTargetOnce } from '../../src/domain/readonce';
import type { Employee } from '../../src/hr/employee';
import { matchEmployees } from '../../src/domain/matching';
import type { MatchKey } from '../../src/domain/mapping/config';
import { RunStore } from '../../src/staging/runstore';
import { startScimSimulator } from '../../sim/scim';
import type { ScimStrictness } from '../../sim/scim/options';
import { clientFor, type Sim } from '../scim/helpers';

/** Runs `fn` as an activity would (it heartbeats). */
const inActivity = <R>(fn: () => Promise<R>): Promise<R> => new MockActivityEnvironment().run(fn) as Promise<R>;

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PRECEDENCE: MatchKey[] = ['externalId', 'employeeNumber', 'userName'];

const employee = (id: string, extra: Partial<Employee> = {}): Employee => ({
  id,
  first_name: 'A',
  last_name: id,
  preferred_name: null,
  email: `${id}@corp.com`,
  department_code: null,
  manager_employee_id: null,
  status: 'active',
  title: null,
  work_phone: null,
  employee_number: null,
  division: null,
  hire_date: null,
  termination_date: null,
  updated_at: '2026-12-01T00:00:00.000Z',
  ...extra,
});

/**
 * The target of every case, one account per rule of which user is taken (matchEmployees, ownershipProblem):
 * found by externalId; a rehire's deactivated account; adopted by userName; a deactivated account with the
 * employee's externalId beside an active one with their userName (externalId wins); an account with the
 * employee's userName but another employee's externalId (never handed over); found by employeeNumber.
 */
const SEED = [
  { userName: 'e1@corp.com', displayName: 'E1', externalId: 'e1' },
  { userName: 'e2.old@corp.com', displayName: 'E2', externalId: 'e2', active: false },
  { userName: 'e3@corp.com', displayName: 'E3' },
  { userName: 'e4.old@corp.com', displayName: 'E4 old', externalId: 'e4', active: false },
  { userName: 'e4@corp.com', displayName: 'E4 new' },
  { userName: 'e5@corp.com', displayName: 'Somebody else', externalId: 'x9' },
  { userName: 'e6.other@corp.com', displayName: 'E6', [ENT]: { employeeNumber: 'N6' } },
  { userName: 'm1@corp.com', displayName: 'M1', externalId: 'm1' },
  { userName: 'm2@corp.com', displayName: 'M2', externalId: 'm2', active: false },
];
const EMPLOYEES = [
  employee('e1', { manager_employee_id: 'm1' }),
  employee('e2', { manager_employee_id: 'm2' }),
  employee('e3'),
  employee('e4'),
  employee('e5'),
  employee('e6', { employee_number: 'N6' }),
  employee('e7', { employee_number: 'N7' }),
];
/** HR id -> the seeded account's userName it must be matched to; e5 is owned by another, e7 a joiner. */
const TAKES = { e1: 'e1@corp.com', e2: 'e2.old@corp.com', e3: 'e3@corp.com', e4: 'e4.old@corp.com', e6: 'e6.other@corp.com' };

interface Case {
  answer: string;
  strict: Partial<ScimStrictness>;
  /** Filtered user lists for the page's 7 employees and its 2 managers, refusals included. */
  lookups: number;
  /** Learned refusals, as the run's summary names them. */
  learned: string[];
}

/** Each answer Genesys leaves undocumented (docs/targets.md), as the simulator plays it. */
const CASES: Case[] = [
  { answer: '`or` and the combined `and` accepted, filtered lists show inactive users', strict: {}, lookups: 5, learned: [] },
  { answer: 'filtered lists hide inactive users', strict: { filteredListsActiveOnly: true }, lookups: 5, learned: [] },
  { answer: '`or` refused', strict: { noOrFilters: true }, lookups: 23, learned: ['or-combined filter'] },
  { answer: '`or` refused, filtered lists hide inactive users', strict: { noOrFilters: true, filteredListsActiveOnly: true }, lookups: 29, learned: ['or-combined filter'] },
  {
    answer: '`and` and `or` refused, filtered lists hide inactive users: inactive users read once',
    strict: { noAndFilters: true, filteredListsActiveOnly: true },
    lookups: 20,
    learned: ['and-combined filter', 'or-combined filter'],
  },
];

describe('delta lookups against the Genesys simulator, under each undocumented answer', () => {
  let sim: Sim;
  let dir: string;
  let store_: RunStore;
  afterEach(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (strict: Partial<ScimStrictness>) => {
    sim = await startScimSimulator({ rateLimitPerMinute: null, users: SEED, strict });
    dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-lookups-'));
    const store = new RunStore(dir);
    store.begin('run', 'token');
    store_ = store;
    const learning = new TargetLearning(store, 'run');
    return { learning, lookup: new UserLookup(clientFor(sim), learning, store, 'run') };
  };
  const lists = () => Object.entries(sim.stats().byRoute).filter(([k]) => k.startsWith('GET /users ')).reduce((n, [, v]) => n + v, 0);

  for (const c of CASES) {
    it(`${c.answer}: the same users are taken, in ${c.lookups} lookups`, async () => {
      const { learning, lookup } = await start(c.strict);
      const { users, notes } = await inActivity(() => lookUpCandidates(lookup, EMPLOYEES, PRECEDENCE));
      const managers = await inActivity(() => new ManagerDirectory(clientFor(sim), { lookup }).resolve(['m1', 'm2', 'm9']));

      const result = matchEmployees(EMPLOYEES, users, PRECEDENCE);
      const userName = (id: string) => users.find((u) => u.id === id)?.userName;
      assert.deepEqual(Object.fromEntries(Object.entries(result.matches).map(([hrId, id]) => [hrId, userName(id)])), TAKES);
      assert.deepEqual(result.owned.map((o) => [o.hrId, o.owner]), [['e5', 'x9']], 'another employee\'s account is never handed over');
      assert.deepEqual(result.unmatched, ['e7']);
      assert.deepEqual([...notes.keys()], []);
      const byName = new Map(sim.users().map((u) => [u.userName, u.id]));
      assert.deepEqual(managers, { m1: byName.get('m1@corp.com'), m2: byName.get('m2@corp.com') }, 'a deactivated manager is found too');

      assert.equal(lists(), c.lookups, JSON.stringify(sim.stats().byFilter));
      const filters = store(learning);
      assert.deepEqual(filters, c.learned);
      // Once learned, a refused form is not asked again.
      const refusedOr = Object.entries(sim.stats().byFilter).filter(([k]) => / or /.test(k) && / 400$/.test(k));
      assert.ok(refusedOr.reduce((n, [, v]) => n + v, 0) <= 1, JSON.stringify(refusedOr));
    });
  }

  it('a page larger than one query: the first key in ceil(n / 20) queries, and a joiner costs two more on Genesys', async () => {
    const { lookup } = await start({});
    const page = Array.from({ length: 45 }, (_, i) => employee(i === 0 ? 'e1' : `j${i}`));
    const { users } = await inActivity(() => lookUpCandidates(lookup, page, PRECEDENCE));
    assert.deepEqual(users.map((u) => u.userName), ['e1@corp.com']);
    // 45 terms by externalId, then the 44 joiners' other key (userName) and their inactive users, 20 terms a query.
    assert.equal(lists(), Math.ceil(45 / TERMS_PER_QUERY) + Math.ceil(44 / TERMS_PER_QUERY) + Math.ceil((44 * 2) / TERMS_PER_QUERY));
  });

  it('a URL too long for the target (414): asked again in halves, learned, and later queries carry half as many terms', async () => {
    const { learning, lookup } = await start({ maxUrlLength: 600 });
    const page = [...EMPLOYEES, ...Array.from({ length: 38 }, (_, i) => employee(`j${i}`))];
    const { users } = await inActivity(() => lookUpCandidates(lookup, page, PRECEDENCE));
    const result = matchEmployees(page, users, PRECEDENCE);
    const userName = (id: string) => users.find((u) => u.id === id)?.userName;
    assert.deepEqual(Object.fromEntries(Object.entries(result.matches).map(([hrId, id]) => [hrId, userName(id)])), TAKES, 'the same users are taken');
    const statuses = sim.requests(200).filter((r) => r.path.includes('/users?filter=')).map((r) => r.status);
    assert.deepEqual(statuses.filter((s) => s === 414), [414], 'only the first 20-term query was too long');
    assert.equal(lookup.perQuery, TERMS_PER_QUERY / 2);
    assert.deepEqual(store(learning), [], 'a long filter is not a refused form');
    assert.ok(learnedNotices(store_.learned('run')).some((n) => /or-combined filter of 20 terms: too long for the target \(414/.test(n)));
  });

  it('once reading the target is cheaper than asking on, the next lookup is not made', async () => {
    const { lookup } = await start({ noOrFilters: true });
    // Three calls is what reading this target would cost: the refused `or` query and two single terms are all it asks.
    lookup.rentUntil((used) => readTargetOnce({ cost: 3, spent: used, expected: 1 }));
    await assert.rejects(inActivity(() => lookUpCandidates(lookup, EMPLOYEES, PRECEDENCE)), (err: unknown) => err instanceof ReadTargetInstead && /cheaper than 4 lookups/.test(err.reason));
    assert.equal(lists(), 3);
  });

  it('a refused key (noExtensionFilters): learned from its first refusal, asked no more, named on the rows it could have found', async () => {
    const { learning, lookup } = await start({ noExtensionFilters: true });
    const { users, notes } = await inActivity(() => lookUpCandidates(lookup, EMPLOYEES, PRECEDENCE));
    assert.deepEqual(store(learning), ['filter on employeeNumber']);
    const asked = Object.entries(sim.stats().byFilter).filter(([k]) => /employeeNumber/.test(k));
    // Once in an or-joined query, once alone (which tells the key from the `or`): both refused, then never again.
    assert.deepEqual(asked.map(([k, n]) => [/ or /.test(k), k.slice(-3), n]), [[true, '400', 1], [false, '400', 1]], JSON.stringify(asked));
    const result = matchEmployees(EMPLOYEES, users, PRECEDENCE);
    assert.deepEqual(result.unmatched.sort(), ['e6', 'e7']);
    for (const hrId of ['e6', 'e7']) assert.match(notes.get(hrId)?.join() ?? '', /filter on employeeNumber is refused by the target: not looked up by employeeNumber/);
  });

  it('no filter on `active` and filtered lists hiding inactive users: a joiner\'s row says inactive users could not be searched', async () => {
    const { lookup } = await start({ noAndFilters: true, noActiveFilter: true, filteredListsActiveOnly: true });
    const { users, notes } = await inActivity(() => lookUpCandidates(lookup, EMPLOYEES, PRECEDENCE));
    const result = matchEmployees(EMPLOYEES, users, PRECEDENCE);
    assert.equal(result.matches.e1 !== undefined, true);
    assert.deepEqual([...notes.keys()].sort(), ['e2', 'e7']);
    assert.match(notes.get('e7')?.join() ?? '', /inactive users could not be searched/);
  });
});

/** The filter forms the run learned the target refuses, sorted. */
function store(learning: TargetLearning): string[] {
  return ['and-combined filter', 'or-combined filter', 'filter on externalId', 'filter on employeeNumber', 'filter on userName'].filter((f) => learning.filterRefused(f)).sort();
}
