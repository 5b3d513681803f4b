import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import type { MatchKey } from '../../src/domain/mapping/config';
import { matchEmployees, ownershipProblem, type MatchResult } from '../../src/domain/matching';
import type { User } from '../../src/scim/model/resources/user';
import { employee, user } from './fixtures';

const ALL: MatchKey[] = ['externalId', 'employeeNumber', 'userName'];

interface MatchCase {
  name: string;
  employees: Partial<RawEmployee>[];
  users: User[];
  precedence?: MatchKey[];
  expected: Partial<MatchResult>;
}

const u = (id: string, userName: string, extra: Partial<User> = {}, employeeNumber?: string) =>
  user({ id, userName, ...extra }, employeeNumber === undefined ? undefined : { employeeNumber });

const cases: MatchCase[] = [
  {
    name: 'no users: everyone unmatched',
    employees: [{ id: 'E1' }, { id: 'E2', email: 'b@example.com' }],
    users: [],
    expected: { matches: {}, unmatched: ['E1', 'E2'], ambiguous: [], contested: [] },
  },
  {
    name: 'externalId first',
    employees: [{ id: 'E1', employee_number: '7', email: 'a@example.com' }],
    users: [u('u-ext', 'x@example.com', { externalId: 'E1' }), u('u-num', 'y@example.com', {}, '7'), u('u-name', 'a@example.com')],
    expected: { matches: { E1: 'u-ext' }, matchedBy: { E1: 'externalId' } },
  },
  {
    name: 'employeeNumber when externalId finds nothing',
    employees: [{ id: 'E1', employee_number: 7, email: 'a@example.com' }],
    users: [u('u-num', 'y@example.com', {}, ' 7 '), u('u-name', 'a@example.com')],
    expected: { matches: { E1: 'u-num' }, matchedBy: { E1: 'employeeNumber' } },
  },
  {
    name: 'userName last, case-insensitive',
    employees: [{ id: 'E1', email: 'Ada.Lovelace@Example.COM' }],
    users: [u('u-name', 'ada.lovelace@example.com')],
    expected: { matches: { E1: 'u-name' }, matchedBy: { E1: 'userName' }, unmatched: [] },
  },
  {
    name: 'configured precedence: userName before externalId',
    employees: [{ id: 'E1', email: 'a@example.com' }],
    users: [u('u-ext', 'x@example.com', { externalId: 'E1' }), u('u-name', 'a@example.com')],
    precedence: ['userName', 'externalId'],
    expected: { matches: { E1: 'u-name' }, matchedBy: { E1: 'userName' } },
  },
  {
    name: 'a key left out of the precedence is not used',
    employees: [{ id: 'E1', email: 'a@example.com' }],
    users: [u('u-name', 'a@example.com')],
    precedence: ['externalId'],
    expected: { matches: {}, unmatched: ['E1'] },
  },
  {
    name: 'externalId is case-exact',
    employees: [{ id: 'emp-1', email: 'a@example.com' }],
    users: [u('u-ext', 'x@example.com', { externalId: 'EMP-1' })],
    expected: { matches: {}, unmatched: ['emp-1'] },
  },
  {
    name: 'inactive users count (a rehire gets the old account)',
    employees: [{ id: 'E1', email: 'a@example.com' }],
    users: [u('u-old', 'a@example.com', { active: false, externalId: 'E1' })],
    expected: { matches: { E1: 'u-old' } },
  },
  {
    name: 'one key finds two users: ambiguous, not guessed, no fallback to the next key',
    employees: [{ id: 'E1', employee_number: '7', email: 'a@example.com' }],
    users: [u('u2', 'x@example.com', {}, '7'), u('u1', 'y@example.com', {}, '7'), u('u3', 'a@example.com')],
    expected: { matches: {}, unmatched: [], ambiguous: [{ hrId: 'E1', userIds: ['u1', 'u2'], by: 'employeeNumber' }], contested: [] },
  },
  {
    name: 'two records claim one user: contested, neither matched',
    employees: [
      { id: 'E1', email: 'a@example.com' },
      { id: 'E2', email: 'b@example.com', employee_number: '9' },
      { id: 'E3', email: 'c@example.com' },
    ],
    users: [u('u1', 'a@example.com', {}, '9'), u('u3', 'c@example.com')],
    expected: { matches: { E3: 'u3' }, contested: [{ userId: 'u1', hrIds: ['E1', 'E2'] }], ambiguous: [] },
  },
  {
    name: 'the same user listed twice is one user',
    employees: [{ id: 'E1', email: 'a@example.com' }],
    users: [u('u1', 'a@example.com'), u('u1', 'a@example.com')],
    expected: { matches: { E1: 'u1' }, ambiguous: [] },
  },
  {
    name: 'the same HR record twice is one employee',
    employees: [
      { id: 'E1', email: 'old@example.com' },
      { id: 'E1', email: 'a@example.com' },
    ],
    users: [u('u1', 'a@example.com')],
    expected: { matches: { E1: 'u1' }, contested: [], unmatched: [] },
  },
  {
    name: 'blank keys on users never match',
    employees: [{ id: 'E1', email: 'a@example.com', employee_number: '7' }],
    users: [u('u1', 'z@example.com', { externalId: '' }, '')],
    expected: { matches: {}, unmatched: ['E1'] },
  },
  {
    name: 'a recycled email does not take over the account of the employee whose externalId it carries',
    employees: [{ id: 'E2', email: 'a@example.com' }],
    users: [u('u1', 'a@example.com', { externalId: 'E1' })],
    expected: { matches: {}, unmatched: [], owned: [{ hrId: 'E2', userId: 'u1', by: 'userName', owner: 'E1' }] },
  },
  {
    name: 'a recycled employee number neither, even for an inactive account (no reactivation of another HR id)',
    employees: [{ id: 'E2', employee_number: '7', email: 'new@example.com' }],
    users: [u('u1', 'old@example.com', { externalId: 'E1', active: false }, '7')],
    expected: { matches: {}, unmatched: [], owned: [{ hrId: 'E2', userId: 'u1', by: 'employeeNumber', owner: 'E1' }] },
  },
  {
    name: 'a user nobody owns (no externalId) or this employee owns is matched by userName',
    employees: [
      { id: 'E1', email: 'a@example.com' },
      { id: 'E2', email: 'b@example.com' },
    ],
    users: [u('u1', 'a@example.com'), u('u2', 'b@example.com', { externalId: 'E2' })],
    precedence: ['userName'],
    expected: { matches: { E1: 'u1', E2: 'u2' }, owned: [] },
  },
];

describe('domain: ownershipProblem', () => {
  const rows: [string, { id: string; externalId?: string }, MatchKey, RegExp | undefined][] = [
    ['E1', { id: 'u1', externalId: 'E1' }, 'userName', undefined],
    ['E1', { id: 'u1' }, 'userName', undefined],
    ['E1', { id: 'u1', externalId: '' }, 'employeeNumber', undefined],
    ['E2', { id: 'u1', externalId: 'E1' }, 'externalId', undefined],
    ['E2', { id: 'u1', externalId: 'E1' }, 'userName', /^userName matches user u1, whose externalId is another employee's \(E1\)/],
    ['E2', { id: 'u1', externalId: 'E1' }, 'employeeNumber', /^employeeNumber matches user u1, .*a person must decide/],
    ['e1', { id: 'u1', externalId: 'E1' }, 'userName', /another employee's \(E1\)/],
  ];
  for (const [hrId, found, by, expected] of rows) {
    it(`${hrId} by ${by} on ${JSON.stringify(found)}: ${expected ? 'refused' : 'allowed'}`, () => {
      const problem = ownershipProblem(hrId, found, by);
      if (expected) assert.match(problem ?? '', expected);
      else assert.equal(problem, undefined);
    });
  }
});

describe('domain: matchEmployees', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = matchEmployees(c.employees.map((e) => employee(e)), c.users, c.precedence ?? ALL);
      for (const [key, value] of Object.entries(c.expected)) {
        assert.deepEqual(result[key as keyof MatchResult], value, key);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(result)), result, 'plain JSON data');
    });
  }
});
